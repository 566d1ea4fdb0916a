"""The registration workbook of Yerevan's district offices, generated from the models.

- `template`: write an empty workbook (instructions, data sheets, drop-downs, codes);
- `export`: write children, families and services into it;
- `read` / `iter_read`: read filled workbooks (or KoboToolbox/ODK exports) back into
  validated records, with findings located by cell;
- `cross_district_report`: beneficiaries registered in several districts, services
  given twice, and the budget table (`casestd.workbook.reporter`);
- `xlsform`: the same form as an XLSForm (`casestd.workbook.forms`).

Needs the ``workbook`` extra (``pip install 'casestd[workbook]'``).
"""

from __future__ import annotations

from casestd.workbook.exporter import ExportError, export
from casestd.workbook.importer import iter_read, read
from casestd.workbook.layout import Column, Sheet, sheet, sheets, template_id
from casestd.workbook.results import CellFinding, RowResult
from casestd.workbook.writer import template

__all__ = [
    "CellFinding",
    "Column",
    "ExportError",
    "RowResult",
    "Sheet",
    "export",
    "iter_read",
    "read",
    "sheet",
    "sheets",
    "template",
    "template_id",
]

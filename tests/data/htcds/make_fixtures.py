"""Write the HTCDS fixtures of tests/test_exchange_htcds.py from HTCDS's own Excel templates.

    python tests/data/htcds/make_fixtures.py PATH/TO/UNMigration/HTCDS

reads ``Toolkit/Excel/`` of a checkout of https://github.com/UNMigration/HTCDS
(commit 3c2f6537cd76c3305975aa5eef7a1bf26fe20a30; CC BY 4.0, IOM) and writes,
beside this script, each template with its own header rows, validation and
about sheets (and, for the .xlsm, its macros) kept as they are, its empty
numbered rows cut to 20, and a few rows of invented cases filled in as a
caseworker fills them: labels from the drop-downs, multi-select cells joined
by the templates' "; ", Excel dates, Armenian phone numbers as people write them.
It also writes ``headers.json``: the two header rows of each Excel template and
the names of the XLSForm's survey questions, as HTCDS publishes them.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path

from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
MARKER = "Zzmarkerqx"
#: Rows as a caseworker types them, by the templates' visible labels (row 2).
ROWS: list[dict[str, object]] = [
    {
        "Case Owner": "sw-104",
        "First Name": MARKER,
        "Second Name": "Petrosyan",
        "Birthdate": dt.datetime(2006, 4, 3),
        "Gender": "Feminine",
        "Citizenship": "Armenia",
        "Mobile Phone": "091 23 45 67",
        "Mailing City": "Gyumri",
        "Mailing State/Province": "Shirak",
        "Mailing Country": "Armenia",
        "Trafficking Status": "Possible victim of trafficking",
        "Method of Recruitment": "Through friends or social events; Through online social networks",
        "Location of Recruitment": "Armenia",
        "Methods of Control": "Debt bondage; Withholds documents",
        "Type of Exploitation": "Forced labour",
        "Forced Labour Industry": "Water supply; sewerage, waste management and remediation; "
        "Construction",
        "Location of Exploitation": "Moscow, Russia",
        "Status": "Active",
        "Reason for Incoming Referral": "Additional Services Required",
    },
    {
        "First Name": "Anna",
        "Second Name": "Hakobyan",
        "Birthdate": "15.03.1998",
        "Gender": "Feminin",  # not a value of the list: reported at the cell, not echoed
        "Citizenship": "Russian Federation",
        "Trafficking Status": "Possible victim of trafficking",
        "Type of Exploitation": "Sexual exploitation",
        "Type of Sex Exploitation": "Prostitution",
        "Location of Exploitation": "United Arab Emirates",
    },
    {
        "First Name": "Արմեն",
        "Second Name": "Սարգսյան",
        "Birthdate": dt.datetime(1990, 11, 30),
        "Gender": "Masculine",
        "Citizenship": "AM",
        "Home Phone": "+374 10 123456",
        "Trafficking Status": "Possible victim of trafficking",
        "Trafficking Status Decision Making Organization": "Police",
        "Methods of Control": "Threats of law enforcement",
        "Type of Exploitation": "Forced labour; Forced begging",
        "Status": "Follow up",
    },
]


def _fill(sheet: object, rows: list[dict[str, object]]) -> None:
    labels = {cell.value: cell.column for cell in sheet[2] if cell.value}  # type: ignore[index]
    sheet.delete_rows(23, sheet.max_row)  # type: ignore[attr-defined]
    for offset, row in enumerate(rows):
        for label, value in row.items():
            sheet.cell(row=3 + offset, column=labels[label], value=value)  # type: ignore[attr-defined]


def headers(checkout: Path) -> None:
    """Write headers.json: what each HTCDS document names its columns."""
    found: list[dict[str, object]] = []
    for path in sorted((checkout / "Toolkit" / "Excel").glob("*.xls*")):
        sheet = load_workbook(path).worksheets[0]
        names, labels = ([v for v in row] for row in sheet.iter_rows(max_row=2, values_only=True))
        found.append({"file": f"Toolkit/Excel/{path.name}", "names": names, "labels": labels})
    survey = load_workbook(checkout / "Toolkit" / "Survey" / "htcds_xlsform.xlsx")["survey"]
    columns = [cell.value for cell in survey[1]]
    rows = survey.iter_rows(min_row=2, values_only=True)
    names = [row[columns.index("name")] for row in rows if row[columns.index("name")]]
    found.append({"file": "Toolkit/Survey/htcds_xlsform.xlsx", "names": names, "labels": None})
    text = json.dumps({"documents": found}, indent=1, ensure_ascii=False) + "\n"
    (HERE / "headers.json").write_text(text, encoding="utf-8")


def main(checkout: Path) -> None:
    headers(checkout)
    excel = checkout / "Toolkit" / "Excel"
    single = load_workbook(
        excel / "HTCDS Excel Spreadsheet single select with validation v2.0.xlsx"
    )
    _fill(single["Case Sheet"], ROWS)
    single.save(HERE / "single-select-filled.xlsx")
    multi = load_workbook(
        excel / "HTCDS Excel Spreadsheet multi select with validation v2.0.xlsm", keep_vba=True
    )
    _fill(multi["Case Sheet"], ROWS[:1])
    multi.save(HERE / "multi-select-filled.xlsm")
    plain = load_workbook(excel / "HTCDS Excel Spreadsheet v2.0.xlsx")
    sheet = plain.active
    _fill(sheet, ROWS[2:])
    with (HERE / "plain-saved-as.csv").open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        for row in sheet.iter_rows(max_row=3, values_only=True):  # type: ignore[union-attr]
            writer.writerow(
                [
                    "" if v is None else v.strftime("%d.%m.%Y") if isinstance(v, dt.datetime) else v
                    for v in row
                ]
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]))

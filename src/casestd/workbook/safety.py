"""What makes a workbook safe to write and to read.

Writing: a text that a spreadsheet would take for a formula (OWASP's list: it
starts with ``=``, ``+``, ``-``, ``@``, a tab, CR or LF) is written as a text
cell with Excel's quote prefix, so it is shown, never computed; its value is
unchanged.

Reading: `check_file` looks at a file before any spreadsheet parser does and
names what is wrong with it as an ``input.*`` rule: not a workbook, an
encrypted (password-protected) file, a truncated or corrupt archive, or an
archive whose members would expand beyond `MAX_EXPANDED_BYTES` or by more than
`MAX_RATIO` (a zip bomb). XML inside workbooks is parsed by openpyxl with
defusedxml (entity expansion and external entities refused); `require_defusedxml`
makes sure it is.

>>> is_risky("=HYPERLINK(\\"http://x\\")"), is_risky("-5"), is_risky("Anna")
(True, True, False)
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Protection

#: The first characters that make a spreadsheet read a text as a formula (OWASP).
RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r", "\n")
#: Largest total size the members of a workbook archive may expand to.
MAX_EXPANDED_BYTES = 2 * 1024**3
#: Largest ratio of expanded to compressed size of one big member.
MAX_RATIO = 200
#: Members smaller than this are not held to `MAX_RATIO` (empty sheets compress well).
_RATIO_FLOOR = 8 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_OPEN = Protection(locked=False)


def is_risky(value: object) -> bool:
    """True when ``value`` is a text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(RISKY_FIRST)


def text_cell(sheet: Any, value: Any, **style: Any) -> Any:
    """A write-only cell holding ``value``; a risky text is kept as text, quote-prefixed."""
    cell = WriteOnlyCell(sheet, value=value)
    if is_risky(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


def require_defusedxml() -> None:
    """Raise RuntimeError unless openpyxl parses XML with defusedxml."""
    from openpyxl import xml

    if not xml.DEFUSEDXML:
        raise RuntimeError(
            "openpyxl is not using defusedxml: install defusedxml and leave "
            "OPENPYXL_DEFUSEDXML unset"
        )


def _ole_problem(path: Path) -> str:
    with path.open("rb") as stream:
        head = stream.read(4 * 1024 * 1024)
    return "input.encrypted" if _ENCRYPTION_STREAM in head else "input.not_workbook"


def check_file(path: str | Path) -> str | None:
    """The ``input.*`` rule a file breaks before it can be read as a workbook, or None.

    ``input.not_found``, ``input.not_workbook``, ``input.encrypted``,
    ``input.corrupt`` or ``input.zip_bomb``. The file's content is never
    quoted.
    """
    file = Path(path)
    try:
        with file.open("rb") as stream:
            head = stream.read(8)
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        return "input.not_found"
    except OSError:
        return "input.not_found"
    if head.startswith(_OLE_MAGIC):
        return _ole_problem(file)
    if not head.startswith(_ZIP_MAGIC):
        return "input.not_workbook"
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                return "input.not_workbook"
            total = 0
            for member in members:
                total += member.file_size
                ratio = member.file_size / max(1, member.compress_size)
                if member.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
                    return "input.zip_bomb"
            if total > MAX_EXPANDED_BYTES:
                return "input.zip_bomb"
            broken = archive.testzip() if file.stat().st_size < 64 * 1024 * 1024 else None
            if broken is not None:
                return "input.corrupt"
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        return "input.corrupt"
    return None


def has_macros(path: str | Path) -> bool:
    """True when the workbook archive holds a VBA project (it is never run nor kept)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.lower().endswith("vbaproject.bin") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False

"""How the sheets of HTCDS spreadsheets are read: which table and columns, and each cell.

`layout` finds a sheet's table and columns from its first two rows: HTCDS's
hidden row of field names (with the spellings of its different documents,
``variants`` in ``htcds.json``) and its row of labels; where the two disagree
the label wins. `read_cell` turns a cell as HTCDS's tools write it (value names
or labels, ``;``- or space-separated multi-select, Excel dates or ``DD.MM.YYYY``
text, identity numbers) into the value of a casestd field; what it cannot read
is passed on as written, for validation to report at its field. Messages of the
import's own findings are data (``data/messages.json``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import attrs

from casestd import codes
from casestd.exchange.htcds import Column, Table, spec, tables
from casestd.normalise.formats import matches
from casestd.report import Finding
from casestd.workbook.cells import as_text, is_empty, read_date, read_partial_date
from casestd.workbook.results import finding as workbook_finding

_NOT_ALNUM = re.compile(r"[\W_]+")
#: Kinds of column that are written but cannot make a valid casestd record part.
_NOT_READ = frozenset({"consent", "case_status", "label"})


def header_key(text: Any) -> str:
    """A header as compared: case, spaces, ``_`` and a KoboToolbox group path ignored."""
    if not isinstance(text, str):
        return ""
    return _NOT_ALNUM.sub("", text.rsplit("/", 1)[-1].casefold())


@functools.cache
def _messages() -> dict[str, dict[str, str]]:
    import json
    from importlib import resources

    text = resources.files("casestd.exchange").joinpath("data/messages.json").read_text("utf-8")
    data: dict[str, dict[str, str]] = json.loads(text)
    return {key: value for key, value in data.items() if not key.startswith("_")}


def finding(
    rule: str, lang: str, severity: str = "error", path: str = "", **params: Any
) -> Finding:
    """A finding of an HTCDS import rule (or of a workbook reading rule) in ``lang``."""
    entry = _messages().get(rule)
    if entry is None:
        return workbook_finding(rule, lang, severity, path, **params)
    text = (entry.get(lang) or entry["en"]).format(**params)
    return Finding(rule, severity, path, text)  # type: ignore[arg-type]


def imported(column: Column) -> bool:
    """True when import reads ``column`` into a record (else it warns at a filled cell).

    >>> from casestd.exchange.htcds import table
    >>> [c.field for c in table("cases").columns if not imported(c)][:3]
    ['cas_CaseOwner', 'prs_Salutation', 'con_Consent']
    """
    return column.path is not None and column.record is None and column.kind not in _NOT_READ


@functools.cache
def why_not() -> dict[str, str]:
    """Why a field or a kind of record is not imported, by HTCDS field name or record."""
    found = {f["field"]: f.get("why_not", "") for f in spec()["fields"]}
    found.update({key: text for key, text in spec()["not_imported"].items()})
    return found


@functools.cache
def _by_name(entry: Table) -> dict[str, Column]:
    found = {header_key(column.field): column for column in entry.columns}
    for variant, field in spec()["variants"].items():
        column = found.get(header_key(field))
        if column is not None:
            found[header_key(variant)] = column
    return found


@functools.cache
def _by_label(entry: Table) -> dict[str, Column]:
    found: dict[str, Column] = {}
    for column in entry.columns:
        found.setdefault(header_key(column.label), column)
    return found


@attrs.frozen
class Layout:
    """How a sheet's columns map to an HTCDS table."""

    table: Table
    columns: dict[int, Column]
    first_row: int
    headers: dict[int, str]
    conflicts: tuple[tuple[int, str, str], ...] = ()
    unmapped: tuple[str, ...] = ()


def layout(first: Sequence[Any], second: Sequence[Any]) -> Layout | None:
    """The table and column mapping of a sheet from its first two rows, or None."""
    best: tuple[int, Table] | None = None
    for entry in tables():
        names_found = sum(header_key(v) in _by_name(entry) for v in first)
        labels_found = sum(header_key(v) in _by_label(entry) for v in first)
        score = max(names_found, labels_found)
        if score >= 2 and (best is None or score > best[0]):
            best = (score, entry)
    if best is None:
        return None
    entry = best[1]
    by_name, by_label = _by_name(entry), _by_label(entry)
    named = sum(header_key(v) in by_name for v in first)
    second_labels = sum(header_key(v) in by_label for v in second)
    filled_second = sum(not is_empty(v) for v in second)
    has_labels = named >= sum(header_key(v) in by_label for v in first) and (
        filled_second and second_labels * 2 >= filled_second
    )
    columns: dict[int, Column] = {}
    conflicts = []
    unmapped = []
    headers: dict[int, str] = {}
    for index in range(max(len(first), len(second) if has_labels else 0)):
        top = first[index] if index < len(first) else None
        below = second[index] if has_labels and index < len(second) else None
        by_top = by_name.get(header_key(top)) or (
            None if has_labels else by_label.get(header_key(top))
        )
        by_below = by_label.get(header_key(below)) if below is not None else None
        column = by_below or by_top
        header = (
            as_text(below if not is_empty(below) else top)
            if not (is_empty(top) and is_empty(below))
            else ""
        )
        if header:
            headers[index] = header
        if by_top is not None and by_below is not None and by_top is not by_below:
            conflicts.append((index, by_top.field, by_below.field))
        if column is not None and column not in columns.values():
            columns[index] = column
        elif header:
            unmapped.append(header)
    return Layout(
        entry, columns, 3 if has_labels else 2, headers, tuple(conflicts), tuple(unmapped)
    )


def lookup(list_id: str, text: str) -> str | None:
    """The code of list ``list_id`` that ``text`` names (code, value name or label)."""
    return codes.get(list_id).lookup(text)


@functools.cache
def _widest(list_id: str) -> int:
    """How many ``;``-separated parts the longest value of a list spans (1 for most)."""
    widest = 1
    for code in codes.get(list_id):
        texts = [*code.labels.values(), *code.source_codes.values()]
        texts += [alias for aliases in code.source_aliases.values() for alias in aliases]
        widest = max(widest, *(text.count(";") + 1 for text in texts))
    return widest


def split_values(list_id: str, value: Any) -> list[str]:
    """The codes of a multi-select cell: ``;``-separated value names or labels, where a
    label may hold a ``;`` itself, or space-separated names (KoboToolbox). A part that
    names no code is kept as written, for validation to report. The work is bounded:
    a value is looked for across at most as many parts as the list's longest label has.

    >>> split_values("isic_section", "Water supply; sewerage, waste management and "
    ...              "remediation; F_Construction")
    ['water_supply_waste', 'construction']
    >>> split_values("control_method", "DebtBondage TakesEarnings")
    ['debt_bondage', 'takes_earnings']
    """
    parts = [part.strip() for part in as_text(value).split(";")]
    parts = [part for part in parts if part]
    found: list[str] = []
    start = 0
    widest = _widest(list_id)
    while start < len(parts):
        for end in range(min(len(parts), start + widest), start, -1):
            code = lookup(list_id, "; ".join(parts[start:end]))
            if code is not None:
                found.append(code)
                start = end
                break
        else:
            words = parts[start].split()
            coded = [lookup(list_id, word) for word in words]
            if len(words) > 1 and all(coded):
                found.extend(code for code in coded if code)
            else:
                found.append(parts[start])
            start += 1
    return list(dict.fromkeys(found))


def _integer(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def _identifier(value: Any) -> dict[str, str]:
    text = as_text(value)
    for kind in spec()["identity_number_types"]:
        if matches(kind, text):
            return {"type": kind, "value": text}
    return {"type": "other", "value": text}


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set the value at a dotted ``path`` (``person.names.0.given``), making its holders."""
    parts = path.split(".")
    holder: Any = data
    for part, following in zip(parts, [*parts[1:], None], strict=True):
        if following is None:
            break
        nxt: Any = [] if following.isdigit() else {}
        if isinstance(holder, list):
            index = int(part)
            while len(holder) <= index:
                holder.append(type(nxt)())
            holder = holder[index]
        else:
            holder = holder.setdefault(part, nxt)
    if isinstance(holder, list):
        index = int(parts[-1])
        while len(holder) <= index:
            holder.append(None)
        holder[index] = value
    else:
        holder[parts[-1]] = value


def place(text: str) -> tuple[str | None, str | None]:
    """(country code, town) of a location written as a country or 'town, country'."""
    found = lookup("country", text)
    if found is not None:
        return found, None
    town, _, country = text.rpartition(",")
    found = lookup("country", country.strip()) if town.strip() else None
    return (found, town.strip()) if found else (None, None)


def count_at(data: dict[str, Any], parts: list[str]) -> int:
    """How many items the list at ``parts`` of ``data`` holds (0 when there is none)."""
    holder: Any = data
    for part in parts:
        holder = holder.get(part) if isinstance(holder, dict) else None
    return len(holder) if isinstance(holder, list) else 0


def read_cell(column: Column, value: Any) -> Any:
    """The casestd value of a cell of ``column`` (what it cannot read, as written)."""
    kind = column.kind
    if kind == "code" and column.list_id:
        text = as_text(value)
        return lookup(column.list_id, text) or text
    if kind == "codes" and column.list_id:
        return split_values(column.list_id, value)
    if kind == "partial_date":
        return {"value": read_partial_date(value)}
    if kind == "date":
        return read_date(value)
    if kind == "int":
        return _integer(value)
    if kind == "identifier":
        return _identifier(value)
    if kind == "ids":
        return [part.strip() for part in as_text(value).split(";") if part.strip()]
    return as_text(value)

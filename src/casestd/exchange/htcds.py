"""casestd records as HTCDS 2.0 tables: field names, value names, one victim per row.

`export` writes trafficking victims (with their case and its latest incoming and
outgoing referral), their trafficking events, perpetrators and organisations in
the field names and value names of IOM's Human Trafficking Case Data Standard
2.0, as its Excel templates lay them out: one sheet per table (``Case Sheet``,
``Trafficking Events``, ``Perpetrators``, ``Organisations``), a hidden first row
of field names and a second row of labels (XLSX), or one CSV file per table
with the field names as header (``out.csv``, ``out.events.csv``, ...).
Multi-select values are ``;``-separated, phones E.164 as casestd stores them,
countries ISO 3166-1 alpha-2, dates ISO 8601. The layout is data
(``data/htcds.json``); `casestd.exchange.htcds_import` reads it back.

What HTCDS cannot hold is reported, never dropped in silence: a code without an
HTCDS value is written as HTCDS's ``Other`` (or left empty where the list has
none), a victim's second case, extra referrals, names, phones or languages are
left out, as are the values of the mapped fields no column writes (``not_exported``
in ``htcds.json``), and each such loss is counted in the `Export`'s notes, by
field and code (never by value). Text a spreadsheet would run as a formula is written as
text (XLSX) or with a leading ``'`` (CSV).

>>> [t.title for t in tables()]
['Case Sheet', 'Trafficking Events', 'Perpetrators', 'Organisations']
>>> value_name("trafficker_relationship", "unacquainted")
'Unaquainted'
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import IO, Any

import attrs
from pydantic import BaseModel

from casestd import codes
from casestd.model import Case, Organisation, Perpetrator, Referral, TraffickingVictim
from casestd.report import Finding

#: Text of the HTCDS value of a list that stands for everything else.
OTHER = "Other"


@attrs.frozen
class Column:
    """One column of an HTCDS table: its field name, label and the casestd path it holds."""

    field: str
    label: str
    path: str | None
    kind: str
    list_id: str | None = None
    record: str | None = None
    system: str | None = None
    use: str | None = None
    event: str | None = None


@attrs.frozen
class Table:
    """A sheet (or CSV file) of the export: the entity its rows hold, and its columns."""

    name: str
    title: str
    entity: str
    columns: tuple[Column, ...]
    part: str | None = None
    parent: str | None = None

    @property
    def fields(self) -> list[str]:
        """The field names, in order (the header)."""
        return [column.field for column in self.columns]


@functools.cache
def spec() -> dict[str, Any]:
    """The contents of ``htcds.json``."""
    text = resources.files("casestd.exchange").joinpath("data/htcds.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@functools.cache
def tables() -> tuple[Table, ...]:
    """The tables casestd writes and reads, in order."""
    found = []
    for entry in spec()["tables"]:
        columns = tuple(
            Column(
                field=c["field"],
                label=c["label"],
                path=c["path"],
                kind=c["kind"],
                list_id=c.get("list"),
                record=c.get("record"),
                system=c.get("system"),
                use=c.get("use"),
                event=c.get("event"),
            )
            for c in entry["columns"]
        )
        found.append(
            Table(
                entry["name"],
                entry["title"],
                entry["entity"],
                columns,
                entry.get("part"),
                entry.get("parent"),
            )
        )
    return tuple(found)


def table(name: str) -> Table:
    """The table ``name`` (``cases``, ``events``, ``perpetrators``, ``organisations``)."""
    return next(entry for entry in tables() if entry.name == name)


def value_name(list_id: str, code: str) -> str | None:
    """The HTCDS value of a code: its HTCDS source code, or the code itself for a list
    HTCDS takes from ISO (countries, languages, regions); None when HTCDS has none."""
    code_list = codes.get(list_id)
    if "htcds" not in code_list.sources or list_id == "country":
        return code
    entry = code_list.codes.get(code)
    return entry.source_codes.get("htcds") if entry is not None else None


@functools.cache
def _has_other(list_id: str) -> bool:
    return any(c.source_codes.get("htcds") == OTHER for c in codes.get(list_id))


def get(data: Any, path: str) -> Any:
    """The value at a dotted ``path`` (``person.names.0.given``) of JSON data, or None."""
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit():
            data = data[int(part)] if int(part) < len(data) else None
        else:
            return None
    return data


@attrs.define
class Notes:
    """What the export could not write, counted by rule, field and code (never by value)."""

    counts: Counter[tuple[str, str, str]] = attrs.field(factory=Counter)

    def add(self, rule: str, field: str, code: str = "") -> None:
        self.counts[(rule, field, code)] += 1

    def findings(self) -> list[Finding]:
        """One warning per kind of loss, with how many rows it concerns."""
        found = []
        for (rule, field, code), count in sorted(self.counts.items()):
            text = _NOTE_TEXT[rule].format(field=field, code=code, count=count)
            found.append(Finding(rule, "warning", "", text))
        return found


_NOTE_TEXT = {
    "htcds.no_value": "code {code} has no HTCDS value in {field}: written as Other or left "
    "empty ({count} rows)",
    "htcds.not_exported": "{field} holds more than HTCDS has room for: the rest is not "
    "exported ({count} rows)",
    "htcds.entity_not_exported": "{field} records have no HTCDS table: not exported ({count})",
    "htcds.field_not_exported": "{field} has no column in the HTCDS tables casestd writes "
    "(not_exported in htcds.json says why): not exported ({count} rows)",
}


def holds(data: Any, path: str) -> bool:
    """True when JSON ``data`` has a value at the dotted ``path``, through lists.

    >>> holds({"reviews": [{"notes": ""}, {"notes": "x"}]}, "reviews.notes")
    True
    >>> holds({"reviews": []}, "reviews.notes")
    False
    """
    if not path:
        return data not in (None, "", [], {})
    head, _, rest = path.partition(".")
    if isinstance(data, list):
        return any(holds(item, path) for item in data)
    return isinstance(data, dict) and holds(data.get(head), rest)


@functools.cache
def unwritten() -> tuple[tuple[str, str, str], ...]:
    """(record, path, HTCDS field) of each mapped field no table writes (``not_exported``),
    leaving out those whose casestd field another HTCDS field's column writes."""
    fields = {entry["field"]: entry["casestd"] for entry in spec()["fields"]}
    written = {fields.get(c.field) for entry in tables() for c in entry.columns if c.path}
    found = []
    for field in spec()["not_exported"]:
        if fields[field] not in written:
            entity, _, path = fields[field].partition(".")
            found.append((entity, path, field))
    return tuple(found)


class _Writer:
    """Turns records into the rows of each table."""

    def __init__(self, records: Iterable[BaseModel]) -> None:
        self.notes = Notes()
        self.victims: list[dict[str, Any]] = []
        self.cases: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.referrals: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.perpetrators: list[dict[str, Any]] = []
        self.organisations: list[dict[str, Any]] = []
        for record in records:
            data = record.model_dump(mode="json", exclude_none=True)
            if isinstance(record, TraffickingVictim):
                self.victims.append(data)
            elif isinstance(record, Case):
                if data["subject"]["type"] == "trafficking_victim":
                    self.cases[data["subject"]["id"]].append(data)
            elif isinstance(record, Referral):
                self.referrals[data["case_id"]].append(data)
            elif isinstance(record, Perpetrator):
                self.perpetrators.append(data)
            elif isinstance(record, Organisation):
                self.organisations.append(data)
            else:
                self.notes.add("htcds.entity_not_exported", type(record).__name__)

    def related(self, victim: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """The victim's latest case and that case's latest incoming and outgoing referral."""
        found: dict[str, dict[str, Any]] = {"record": victim}
        cases = sorted(  # the trafficking case first, then the latest
            self.cases.get(victim["id"], []),
            key=lambda c: (c["case_type"] == "trafficking", c["opened"]),
        )
        if len(cases) > 1:
            self.notes.add("htcds.not_exported", "case (a victim's earlier cases)")
        if not cases:
            return found
        case = found["case"] = cases[-1]
        referrals = sorted(self.referrals.get(case["id"], []), key=lambda r: r["referred"])
        incoming = [r for r in referrals if r["to_agency"] == case["agency"]]
        outgoing = [r for r in referrals if r["to_agency"] != case["agency"]]
        for name, group in (("incoming_referral", incoming), ("outgoing_referral", outgoing)):
            if group:
                found[name] = group[-1]
            if len(group) > 1:
                self.notes.add("htcds.not_exported", f"referral ({name.replace('_', ' ')}s)")
        return found

    def code(self, column: Column, code: str) -> str | None:
        assert column.list_id is not None
        found = value_name(column.list_id, code)
        if found is None:
            self.notes.add("htcds.no_value", column.field, code)
            return OTHER if _has_other(column.list_id) else None
        return found

    def value(self, column: Column, sources: Mapping[str, dict[str, Any]]) -> Any:
        """The cell of ``column`` for a row whose records are ``sources``."""
        if column.path is None:
            return None
        data = sources.get(column.record or "record")
        if data is None:
            return None
        kind = column.kind
        if kind in ("contact", "event_countries", "consent", "residence", "event_city"):
            return getattr(self, f"_{kind}")(column, data)
        value = get(data, column.path)
        if column.path == "recruitment_methods" and not value and data.get("recruitment_method"):
            value = [data["recruitment_method"]]  # deprecated single field
        if value is None or value == []:
            return None
        held = get(data, column.path[:-2]) if column.path.endswith(".0") else None
        if held and len(held) > 1 and column.path != "person.languages.0":
            self.notes.add("htcds.not_exported", column.path[:-2])
        if column.path == "person.languages.1" and len(data["person"]["languages"]) > 2:
            self.notes.add("htcds.not_exported", "person.languages")
        if column.path == "person.names.0.given" and len(data["person"].get("names", ())) > 1:
            self.notes.add("htcds.not_exported", "person.names (other scripts)")
        return self._typed(column, kind, value, data)

    def _typed(self, column: Column, kind: str, value: Any, data: dict[str, Any]) -> Any:
        if kind == "code":
            return self.code(column, value)
        if kind == "codes":
            names = [self.code(column, code) for code in value]
            return ";".join(dict.fromkeys(name for name in names if name)) or None
        if kind == "case_status":
            if value == "open" and data.get("stage") == "follow_up":
                return "FollowUp"
            return self.code(column, value)
        if kind == "label":
            assert column.list_id is not None
            return codes.get(column.list_id).label(value, "en")
        if kind == "partial_date":
            text = value["value"]
            return dt.date.fromisoformat(text) if len(text) == 10 else text
        if kind == "date":
            return dt.datetime.fromisoformat(value).date()
        if kind == "identifier":
            return value["value"]
        if kind == "ids":
            return ";".join(value)
        return value

    def _contact(self, column: Column, data: dict[str, Any]) -> Any:
        held = get(data, column.path or "") or ()
        contacts = [c for c in held if c["system"] == column.system]
        if column.use == "home":
            contacts = [c for c in contacts if c.get("use") == "home"]
        elif column.use == "mobile":
            contacts = [c for c in contacts if c.get("use") != "home"]
        if len(contacts) > 1:
            self.notes.add("htcds.not_exported", f"{column.path} ({column.field})")
        return contacts[0]["value"] if contacts else None

    def _event_countries(self, column: Column, data: dict[str, Any]) -> Any:
        countries = [
            e["country"] for e in data.get("trafficking_events", ()) if e["type"] == column.event
        ]
        return ";".join(dict.fromkeys(countries)) or None

    def _consent(self, column: Column, data: dict[str, Any]) -> Any:
        consents = data.get("consents", ())
        chosen = [c for c in consents if c["scope"] == "data_processing"] or list(consents)
        return chosen[-1]["given"] if chosen else None

    def _residence(self, column: Column, data: dict[str, Any]) -> Any:
        country = data.get(column.path or "")
        return country or ("AM" if data.get("address") else None)

    def _event_city(self, column: Column, data: dict[str, Any]) -> Any:
        location = data.get("location") or {}
        if location.get("community") and location.get("place"):
            self.notes.add("htcds.not_exported", "trafficking_events.location.place")
        return location.get("community") or location.get("place")

    def unwritten(self, sources: Mapping[str, dict[str, Any]]) -> None:
        """Count the values of the row's records that no HTCDS column holds."""
        held = {"trafficking_victim": sources["record"], "case": sources.get("case")}
        for entity, path, field in unwritten():
            if holds(held.get(entity), path):
                self.notes.add("htcds.field_not_exported", f"{entity}.{path} ({field})")

    def rows(self, entry: Table) -> Iterator[list[Any]]:
        """The rows of ``entry``, one per record (per event for the events table)."""
        if entry.name == "cases":
            for victim in self.victims:
                sources = self.related(victim)
                self.unwritten(sources)
                yield [self.value(column, sources) for column in entry.columns]
        elif entry.name == "events":
            for victim in self.victims:
                for event in victim.get("trafficking_events", ()):
                    item = {**event, "#parent": victim["id"]}
                    yield [self.value(column, {"record": item}) for column in entry.columns]
        else:
            records = self.perpetrators if entry.name == "perpetrators" else self.organisations
            for data in records:
                yield [self.value(column, {"record": data}) for column in entry.columns]


@attrs.frozen
class Export:
    """What `export` wrote: the files, the rows of each table, and what HTCDS could not hold."""

    files: tuple[str, ...]
    rows: Mapping[str, int]
    notes: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: files, rows per table and the notes (rule, severity, message)."""
        return {
            "files": list(self.files),
            "rows": dict(self.rows),
            "notes": [note.to_dict() for note in self.notes],
        }


def table_paths(target: str | Path) -> dict[str, Path]:
    """Where each table goes when ``target`` is a CSV file: the cases there, the others
    beside it (``out.csv``, ``out.events.csv``, ``out.perpetrators.csv``, ...)."""
    path = Path(target)
    return {
        entry.name: path if entry.name == "cases" else path.with_suffix(f".{entry.name}.csv")
        for entry in tables()
    }


def export(records: Iterable[BaseModel], target: str | Path) -> Export:
    """Write ``records`` as HTCDS tables to ``target`` (``.xlsx`` or ``.csv``)."""
    writer = _Writer(records)
    counts: dict[str, int] = {}
    if str(target).lower().endswith(".xlsx"):
        from casestd.exchange.htcds_xlsx import write_workbook

        counts = write_workbook(target, [(entry, writer.rows(entry)) for entry in tables()])
        files: tuple[str, ...] = (str(target),)
    else:
        paths = table_paths(target)
        for entry in tables():
            with paths[entry.name].open("w", encoding="utf-8", newline="") as stream:
                counts[entry.name] = write_csv(entry, writer.rows(entry), stream)
        files = tuple(str(path) for path in paths.values())
    return Export(files, counts, tuple(writer.notes.findings()))


def csv_text(value: Any) -> str:
    """A cell as CSV text: ISO dates, ``TRUE``/``FALSE``, risky text with a leading ``'``."""
    from casestd.indicators.outputs import safe_text

    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_text(str(value)) if isinstance(value, str) else str(value)


def write_csv(entry: Table, rows: Iterable[list[Any]], out: IO[str]) -> int:
    """Write one table as CSV (header: the field names); returns the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(entry.fields)
    count = 0
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
        count += 1
    return count

"""The columns of the registration workbook, derived from the models and code lists.

Each sheet holds one entity (or the members of a family, one per row); its
columns are the entity's fields, flattened: a nested model becomes its
fields (``address.region``), a list of codes or texts one ``;``-separated
cell, a list of models a fixed number of column groups (``names.0.given``,
``names.1.given``...). ``layout.json`` says only which entity each sheet
holds, how many groups a repeated part gets and what casestd fills in;
a field added to a model shows up here without an edit.

>>> children = sheet("children")
>>> [column.path for column in children.columns][:4]
['#key', 'meta.agency', 'meta.district', 'names.0.given']
>>> children.column("citizenships").kind, children.column("sex").list_id
('codes', 'sex')
>>> children.column("names.0.given").header("hy")
'Անուն 1'
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

import attrs
from pydantic import BaseModel

from casestd.dictionary.fields import describe
from casestd.dictionary.labels import field_label
from casestd.model import ENTITIES
from casestd.model.common import ContactPoint, Identifier, PartialDate
from casestd.version import STANDARD_VERSION

LANGUAGES: tuple[str, ...] = ("en", "hy", "ru")
#: Machine paths of the two columns that are not fields: a row's own No. and its family's.
KEY, PARENT = "#key", "#parent"
#: Kinds of column; each has its own cell format and reading.
KINDS = (
    "key",
    "parent",
    "text",
    "texts",
    "code",
    "codes",
    "bool",
    "int",
    "number",
    "date",
    "partial_date",
    "datetime",
    "uuid",
    "reference",
    "phone",
    "identifier",
)


@functools.cache
def settings() -> dict[str, Any]:
    """The contents of ``layout.json``."""
    text = resources.files("casestd.workbook").joinpath("layout.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def texts_file(name: str) -> dict[str, dict[str, str]]:
    """A data file of texts, ``key -> lang -> text``, without its ``_comment`` entries."""
    text = resources.files("casestd.workbook").joinpath(name).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return {key: value for key, value in data.items() if not key.startswith("_")}


@functools.cache
def strings() -> dict[str, dict[str, str]]:
    """The fixed text of the workbook, ``key -> lang -> text`` (``strings.json``)."""
    return texts_file("strings.json")


def text(key: str, lang: str, **params: object) -> str:
    """The fixed text ``key`` in ``lang`` (English where a translation is missing).

    >>> text("sheet.children", "ru")
    'Дети'
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    entry = strings()[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**params) if params else template


@attrs.frozen
class Column:
    """One column of a sheet: the field it holds and how its cells are written and read.

    ``path`` is the machine path written in the sheet's hidden second row
    (``names.0.given``; ``#key`` and ``#parent`` for the row's No. and its
    family's No.). ``required`` means the record needs a value there (when
    its group is used); ``filled`` that casestd fills the cell when it is
    left empty (``default`` is then the code it takes, if any).
    """

    path: str
    kind: str
    labels: Mapping[str, str] = attrs.field(repr=False)
    required: bool = False
    list_id: str | None = None
    group: tuple[str, int] | None = None
    default: str | None = None
    filled: bool = False
    hidden: bool = False
    personal: bool = False
    targets: tuple[str, ...] = ()
    description: str = attrs.field(default="", repr=False)

    def header(self, lang: str) -> str:
        """The header in ``lang``."""
        return self.labels.get(lang) or self.labels["en"]

    @property
    def marked_required(self) -> bool:
        """True when the officer must fill the column (required, and casestd does not)."""
        return self.required and not self.filled and self.default is None


@attrs.frozen
class Sheet:
    """A data sheet: its machine name, entity and columns."""

    name: str
    entity: str
    columns: tuple[Column, ...]
    part: str | None = None
    parent: str | None = None

    def title(self, lang: str) -> str:
        """The sheet's title in ``lang`` (the tab name)."""
        return text(f"sheet.{self.name}", lang)

    def titles(self) -> dict[str, str]:
        """The sheet's title in each language."""
        return {lang: self.title(lang) for lang in LANGUAGES}

    @property
    def model(self) -> type[BaseModel]:
        """The model one row holds: the entity, or the model of its ``part``."""
        model = ENTITIES[self.entity]
        if self.part is None:
            return model
        inner = describe(self.part, model.model_fields[self.part]).model
        assert inner is not None
        return inner

    def column(self, path: str) -> Column:
        """The column holding ``path``; raises KeyError when there is none."""
        for column in self.columns:
            if column.path == path:
                return column
        raise KeyError(path)

    @property
    def paths(self) -> dict[str, Column]:
        """Path -> column."""
        return {column.path: column for column in self.columns}


def _kind(owner: type[BaseModel], name: str, doc: Any) -> str:
    if owner is PartialDate and name == "value":
        return "partial_date"
    if owner is ContactPoint and name == "value":
        return "phone"
    if owner is Identifier and name == "value":
        return "identifier"
    if doc.list_id is not None:
        return "codes" if doc.many else "code"
    if doc.kind == "string":
        return "texts" if doc.many else "text"
    simple = {
        "boolean": "bool",
        "integer": "int",
        "number": "number",
        "date": "date",
        "date-time": "datetime",
        "uuid": "uuid",
    }
    return simple[doc.kind]


def _labels(owner: type[BaseModel], name: str) -> dict[str, str]:
    labels = {lang: field_label(owner, name, lang) for lang in LANGUAGES}
    labels.update(strings().get(f"header.{owner.__name__}.{name}", {}))
    return labels


@attrs.frozen
class _Place:
    """Where a field sits: its path prefix, the labels of its parent, its group."""

    prefix: str
    parent: Mapping[str, str] | None
    required: bool
    group: tuple[str, int] | None


def _columns(model: type[BaseModel], place: _Place, omit: frozenset[str]) -> Iterator[Column]:
    config = settings()
    for name, info in model.model_fields.items():
        path = place.prefix + name
        if path in omit:
            continue
        doc = describe(name, info)
        labels = _labels(model, name)
        required = place.required and doc.required
        if doc.model is not None and doc.many:
            count = config["groups"].get(path, config["groups"]["default"])
            minimum = next((m.min_length for m in info.metadata if hasattr(m, "min_length")), 0)
            for number in range(count):
                yield from _columns(
                    doc.model,
                    _Place(
                        f"{path}.{number}.",
                        {lang: f"{label} {number + 1}" for lang, label in labels.items()},
                        required and number < (minimum or 0),
                        (path, number),
                    ),
                    omit,
                )
            continue
        if doc.model is not None:
            yield from _columns(doc.model, _Place(path + ".", labels, required, place.group), omit)
            continue
        kind = _kind(model, name, doc)
        if place.group is not None and place.parent is not None:
            number = place.group[1] + 1
            labels = {
                lang: text("group", lang, label=labels[lang], number=number) for lang in labels
            }
        elif place.parent is not None and name == "value":
            labels = dict(place.parent)
        elif place.parent is not None and kind == "bool":
            labels = {lang: f"{place.parent[lang]}: {labels[lang]}" for lang in labels}
        references = config.get("references", {})
        default = config["group_defaults"].get(path)
        yield Column(
            path=path,
            kind="reference" if name in references and kind == "uuid" else kind,
            labels=labels,
            required=required,
            list_id=doc.list_id,
            group=place.group,
            default=default,
            filled=path in config["filled"],
            hidden=path in config["hidden"],
            personal=doc.personal,
            targets=tuple(references.get(name, ())),
            description=doc.description,
        )


def _unique_headers(columns: list[Column]) -> list[Column]:
    """Columns whose headers repeat get the path appended, so headers stay readable back."""
    result = []
    for lang in LANGUAGES:
        seen: dict[str, int] = {}
        for column in columns:
            seen[column.header(lang)] = seen.get(column.header(lang), 0) + 1
        for index, column in enumerate(columns):
            if seen[column.header(lang)] > 1:
                labels = dict(column.labels)
                labels[lang] = f"{column.header(lang)} ({column.path})"
                columns[index] = attrs.evolve(column, labels=labels)
    result.extend(columns)
    return result


@functools.cache
def sheet(name: str) -> Sheet:
    """The data sheet ``name`` (``children``, ``families``, ``members``, ``services``)."""
    spec = next((s for s in settings()["sheets"] if s["name"] == name), None)
    if spec is None:
        raise KeyError(name)
    entity_model = ENTITIES[spec["entity"]]
    model: type[BaseModel] = entity_model
    if spec.get("part"):
        inner = describe(spec["part"], entity_model.model_fields[spec["part"]]).model
        assert inner is not None
        model = inner
    key = Column(
        KEY,
        "key",
        {lang: text("column.key", lang) for lang in LANGUAGES},
        description="The row's No.",
    )
    columns = [key]
    if spec.get("parent"):
        columns.append(
            Column(
                PARENT,
                "parent",
                {lang: text("column.parent", lang) for lang in LANGUAGES},
                required=True,
                targets=(spec["parent"],),
                description="The No. of the row of the parent sheet this row belongs to.",
            )
        )
    fields = list(_columns(model, _Place("", None, True, None), frozenset(spec.get("omit", ()))))
    visible = [column for column in fields if not column.hidden]
    hidden = [column for column in fields if column.hidden]
    columns.extend(visible + hidden)
    return Sheet(
        name=name,
        entity=spec["entity"],
        columns=tuple(_unique_headers(columns)),
        part=spec.get("part"),
        parent=spec.get("parent"),
    )


def sheets() -> tuple[Sheet, ...]:
    """Every data sheet, in workbook order."""
    return tuple(sheet(spec["name"]) for spec in settings()["sheets"])


@functools.cache
def template_id() -> str:
    """Id of this layout: the standard version and a digest of every sheet's column paths.

    Two workbooks with the same template id have the same columns; a model
    change gives a new id.
    """
    digest = hashlib.sha256()
    for entry in sheets():
        digest.update(entry.name.encode())
        for column in entry.columns:
            digest.update(f"\0{column.path}:{column.kind}".encode())
    return f"casestd-registration-{STANDARD_VERSION}-{digest.hexdigest()[:10]}"

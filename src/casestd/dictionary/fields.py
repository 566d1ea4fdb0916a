"""What the dictionary says about each field, read from the pydantic models."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import attrs
from pydantic import AwareDatetime, BaseModel, NaiveDatetime
from pydantic.fields import FieldInfo

from casestd.model.types import CodeRef, is_personal
from casestd.model.walk import unwrap

#: JSON kinds of scalar types, checked in order (``datetime`` before ``date``,
#: ``bool`` before ``int``).
_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (AwareDatetime, "date-time"),
    (NaiveDatetime, "date-time"),
    (dt.datetime, "date-time"),
    (dt.date, "date"),
    (UUID, "uuid"),
)


@attrs.frozen
class FieldDoc:
    """One field of a model as the dictionary shows it."""

    name: str
    kind: str
    many: bool
    model: type[BaseModel] | None
    required: bool
    list_id: str | None
    description: str
    personal: bool


def _kind(inner: Any) -> tuple[str, type[BaseModel] | None]:
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return "object", inner
    for cls, kind in _KINDS:
        if inner is cls or (isinstance(inner, type) and issubclass(inner, cls)):
            return kind, None
    raise TypeError(f"the data dictionary does not know how to describe the type {inner!r}")


def describe(name: str, info: FieldInfo) -> FieldDoc:
    """The dictionary entry of field ``name``: its JSON type, code list and marks.

    >>> from casestd.model.child import Child
    >>> entry = describe("citizenships", Child.model_fields["citizenships"])
    >>> entry.kind, entry.many, entry.list_id, entry.required
    ('string', True, 'country', False)
    """
    inner, many, list_id = unwrap(info.annotation)
    for meta in info.metadata:
        if isinstance(meta, CodeRef):
            list_id = meta.list_id
    kind, model = _kind(inner)
    return FieldDoc(
        name=name,
        kind=kind,
        many=many,
        model=model,
        required=info.is_required(),
        list_id=list_id,
        description=info.description or "",
        personal=is_personal(info),
    )


def fields_of(model: type[BaseModel]) -> tuple[FieldDoc, ...]:
    """The entries of the fields of ``model``, in the model's order."""
    return tuple(describe(name, info) for name, info in model.model_fields.items())


def models_from(root: type[BaseModel]) -> tuple[type[BaseModel], ...]:
    """``root`` and every model reached from it through its fields, in order of first use.

    >>> from casestd.model.case import Case
    >>> [m.__name__ for m in models_from(Case)][:4]
    ['Case', 'RecordMeta', 'Subject', 'Assessment']
    """
    seen: dict[type[BaseModel], None] = {}

    def visit(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
        if model in seen:
            return
        seen[model] = None
        yield model
        for entry in fields_of(model):
            if entry.model is not None:
                yield from visit(entry.model)

    return tuple(visit(root))


def summary(model: type[BaseModel]) -> str:
    """The first paragraph of the model's docstring, on one line."""
    doc = inspect.cleandoc(model.__doc__ or "")
    return " ".join(doc.split("\n\n", 1)[0].split())

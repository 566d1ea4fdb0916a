"""Find the coded fields of a model, for rules that look at every code."""

from __future__ import annotations

import functools
import types
import typing
from typing import Any

import attrs
from pydantic import BaseModel

from casestd.model.types import CodeRef


@attrs.frozen
class CodedField:
    """A field that holds a code (``list_id``) or nested models with codes."""

    name: str
    many: bool
    list_id: str | None = None
    nested: tuple[CodedField, ...] = ()


def unwrap(annotation: Any) -> tuple[Any, bool, str | None]:
    """(inner type, is a list, code list id) of a field annotation."""
    many = False
    list_id: str | None = None
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            for meta in annotation.__metadata__:
                if isinstance(meta, CodeRef):
                    list_id = meta.list_id
            annotation = annotation.__origin__
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        elif origin is list:
            many = True
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, many, list_id


@functools.cache
def coded_fields(model: type[BaseModel]) -> tuple[CodedField, ...]:
    """The fields of ``model`` that hold codes, directly or in nested models."""
    found: list[CodedField] = []
    for name, info in model.model_fields.items():
        inner, many, list_id = unwrap(info.annotation)
        for meta in info.metadata:
            if isinstance(meta, CodeRef):
                list_id = meta.list_id
        if list_id is not None:
            found.append(CodedField(name, many, list_id))
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            nested = coded_fields(inner)
            if nested:
                found.append(CodedField(name, many, nested=nested))
    return tuple(found)


@functools.cache
def field_names(model: type[BaseModel]) -> frozenset[str]:
    """The names of the fields of ``model`` and of every model nested in it."""
    names = set(model.model_fields)
    for info in model.model_fields.values():
        inner, _, _ = unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            names |= field_names(inner)
    return frozenset(names)


#: A field of a model that can hold many values: (name, holds a list, nested model or None).
ContainerField = tuple[str, bool, "type[BaseModel] | None"]


@functools.cache
def container_fields(model: type[BaseModel]) -> tuple[ContainerField, ...]:
    """The fields of ``model`` that hold a list or a nested model.

    These are where validation errors can multiply: one per item of a list,
    one per key of an object; every other field gives at most one error.
    """
    found: list[ContainerField] = []
    for name, info in model.model_fields.items():
        inner, many, _ = unwrap(info.annotation)
        nested = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
        if many or nested is not None:
            found.append((name, many, nested))
    return tuple(found)

"""The rule that warns about deprecated codes, for every entity."""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel

from casestd import codes
from casestd.model.walk import CodedField, coded_fields
from casestd.rules.engine import Hit, Hits, Path, RuleContext, rule

Found = list[tuple[Path, str, str]]


def _keep_deprecated(fields: tuple[CodedField, ...]) -> tuple[CodedField, ...]:
    kept: list[CodedField] = []
    for field in fields:
        if field.list_id is not None:
            if codes.get(field.list_id).deprecated():
                kept.append(field)
        else:
            nested = _keep_deprecated(field.nested)
            if nested:
                kept.append(CodedField(field.name, field.many, nested=nested))
    return tuple(kept)


@functools.cache
def fields_with_deprecated_codes(model: type[BaseModel]) -> tuple[CodedField, ...]:
    """Only the coded fields whose list has deprecated codes: nothing to walk otherwise."""
    return _keep_deprecated(coded_fields(model))


#: A field to walk: (name, holds a list, list id and its deprecated codes or None, nested).
_Step = tuple[str, bool, "tuple[str, frozenset[str]] | None", "tuple[_Step, ...]"]


def _steps(fields: tuple[CodedField, ...]) -> tuple[_Step, ...]:
    return tuple(
        (
            field.name,
            field.many,
            None if field.list_id is None
            else (field.list_id, frozenset(codes.get(field.list_id).deprecated())),
            _steps(field.nested),
        )
        for field in fields
    )  # fmt: skip


@functools.cache
def _walk_of(model: type[BaseModel]) -> tuple[_Step, ...]:
    return _steps(fields_with_deprecated_codes(model))


def _collect(record: Any, steps: tuple[_Step, ...], path: Path, found: Found) -> None:
    """Append (path, list id, code) for each deprecated code held in ``record``."""
    for name, many, coded, nested in steps:
        value = getattr(record, name)
        if value is None:
            continue
        if not many:
            if coded is None:
                _collect(value, nested, (*path, name), found)
            elif value in coded[1]:
                found.append(((*path, name), coded[0], value))
            continue
        for index, item in enumerate(value):
            if coded is None:
                _collect(item, nested, (*path, name, index), found)
            elif item in coded[1]:
                found.append(((*path, name, index), coded[0], item))


@rule("code.deprecated")
def deprecated_code(record: BaseModel, ctx: RuleContext) -> Hits:
    """A deprecated code is accepted, with a warning that names its replacement."""
    steps = _walk_of(type(record))
    if not steps:
        return ()
    found: Found = []
    _collect(record, steps, (), found)
    if not found:
        return ()
    return [
        Hit(path, {"list": list_id, "code": value, "replacement": _replacement(list_id, value)})
        for path, list_id, value in found
    ]


def _replacement(list_id: str, code: str) -> str:
    return codes.get(list_id).codes[code].replaced_by or "-"

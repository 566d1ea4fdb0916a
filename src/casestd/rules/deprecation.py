"""The rule that warns about deprecated codes, for every entity."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from casestd import codes
from casestd.model.walk import CodedField, coded_fields
from casestd.rules.engine import Hit, Path, RuleContext, rule

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


@functools.cache
def _deprecated(list_id: str) -> frozenset[str]:
    return frozenset(codes.get(list_id).deprecated())


def _collect(record: Any, fields: tuple[CodedField, ...], path: Path, found: Found) -> None:
    """Append (path, list id, code) for each deprecated code held in ``record``."""
    for field in fields:
        value = getattr(record, field.name)
        if value is None:
            continue
        if not field.many:
            value = (value,)
        for index, item in enumerate(value):
            if field.list_id is None:
                where = (*path, field.name, index) if field.many else (*path, field.name)
                _collect(item, field.nested, where, found)
            elif item in _deprecated(field.list_id):
                where = (*path, field.name, index) if field.many else (*path, field.name)
                found.append((where, field.list_id, item))


@rule("code.deprecated")
def deprecated_code(record: BaseModel, ctx: RuleContext) -> Iterator[Hit]:
    """A deprecated code is accepted, with a warning that names its replacement."""
    fields = fields_with_deprecated_codes(type(record))
    if not fields:
        return
    found: Found = []
    _collect(record, fields, (), found)
    for path, list_id, value in found:
        replacement = codes.get(list_id).codes[value].replaced_by
        yield Hit(path, {"list": list_id, "code": value, "replacement": replacement or "-"})

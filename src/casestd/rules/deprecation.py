"""The rule that warns about deprecated codes, for every entity."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from pydantic import BaseModel

from casestd import codes
from casestd.model.walk import CodedField, coded_fields, codes_in
from casestd.rules.common import ALL
from casestd.rules.engine import Hit, RuleContext, rule


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


@rule("code.deprecated", "warning", *ALL)
def deprecated_code(record: BaseModel, ctx: RuleContext) -> Iterator[Hit]:
    """A deprecated code is accepted, with a warning that names its replacement."""
    for path, list_id, value in codes_in(record, fields_with_deprecated_codes(type(record))):
        entry = codes.get(list_id).codes[value]
        if entry.deprecated:
            yield Hit(
                path, {"list": list_id, "code": value, "replacement": entry.replaced_by or "-"}
            )

"""Constrained types shared by the entities: codes, dates, phones, identifiers.

Every type here checks its input and never rewrites it: a payload that is not
already in the standard form gets a finding. Importers that convert data on
purpose use the cleaners of `casestd.normalise`, which these types build on.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from uuid import UUID

import attrs
from pydantic import (
    AfterValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from casestd import codes
from casestd.normalise import name, partial_date
from casestd.normalise.phone import E164, is_valid_e164

PERSONAL_DATA = "x-personal-data"
CODE_LIST = "x-code-list"


def personal(description: str, **kwargs: Any) -> Any:
    """A pydantic ``Field`` for personal data: described, marked, left out of reprs."""
    return Field(
        description=description, repr=False, json_schema_extra={PERSONAL_DATA: True}, **kwargs
    )


def is_personal(field: Any) -> bool:
    """True when a pydantic ``FieldInfo`` is marked as personal data."""
    extra = field.json_schema_extra
    return isinstance(extra, dict) and extra.get(PERSONAL_DATA) is True


@attrs.frozen
class CodeRef:
    """Annotation that restricts a string to the codes of one code list.

    Deprecated codes are accepted here; the ``code.deprecated`` rule warns.
    """

    list_id: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        values = list(codes.get(self.list_id).codes)
        return core_schema.custom_error_schema(
            core_schema.literal_schema(values),
            custom_error_type="code_unknown",
            custom_error_message=f"not a code of list {self.list_id}",
            custom_error_context={"list": self.list_id},
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "enum": list(codes.get(self.list_id).codes),
            CODE_LIST: self.list_id,
        }


#: The text forms accepted for dates, timestamps and UUIDs: ISO 8601 / RFC 3339 with
#: a "T" and a "+HH:MM" or "Z" offset, and UUIDs in their canonical hyphenated form.
TEXT_PATTERNS = {
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "date-time": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})$",
    "uuid": r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
}


#: The same shapes with the offset optional: a missing offset is reported as such.
_SHAPES = {
    **TEXT_PATTERNS,
    "date-time": TEXT_PATTERNS["date-time"].replace(":[0-9]{2})$", ":[0-9]{2})?$"),
}


@attrs.frozen
class FromText:
    """Annotation: the value itself, or its canonical ISO 8601 / UUID text, nothing else.

    Numbers are not read as timestamps, other spellings are not accepted, and
    the whole check runs in pydantic-core.
    """

    kind: Literal["date", "date-time", "uuid"]

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        parsers: dict[str, tuple[type, core_schema.CoreSchema]] = {
            "date": (dt.date, core_schema.date_schema(strict=False)),
            "date-time": (
                dt.datetime,
                core_schema.datetime_schema(strict=False, tz_constraint="aware"),
            ),
            "uuid": (UUID, core_schema.uuid_schema(strict=False)),
        }
        python_type, parser = parsers[self.kind]
        instance = core_schema.is_instance_schema(python_type)
        accepted = core_schema.union_schema(
            [instance, core_schema.str_schema(strict=True)],
            custom_error_type=f"{self.kind.replace('-', '')}_type",
        )
        canonical = core_schema.union_schema(
            [instance, core_schema.str_schema(pattern=_SHAPES[self.kind])],
            custom_error_type=f"{self.kind.replace('-', '')}_text",
            custom_error_message=f"expected {self.kind} in its canonical text form",
        )
        return core_schema.chain_schema([accepted, canonical, parser])

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "format": self.kind, "pattern": TEXT_PATTERNS[self.kind]}


#: A calendar date written ``YYYY-MM-DD``; numbers are not read as timestamps.
IsoDate = Annotated[dt.date, FromText("date")]
#: A timezone-aware timestamp in ISO 8601 (``2024-03-01T10:00:00+04:00``).
Timestamp = Annotated[dt.datetime, FromText("date-time")]
#: The id of a record: a UUID written in its canonical text form.
RecordId = Annotated[UUID, FromText("uuid")]

_VISIBLE = rf"[^\s{name.CONTROL}]"
_INNER = rf"[^{name.CONTROL}]"
#: One line of text: no control characters, no leading or trailing space.
ONE_LINE = rf"^{_VISIBLE}({_INNER}*{_VISIBLE})?$"
#: Text that may span lines: no control characters but tab and line breaks.
MULTI_LINE = r"^\S[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
#: Free text of one line, at most 200 characters.
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=ONE_LINE)]
#: Free text that may span lines, at most 4000 characters.
LongText = Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=MULTI_LINE)]
#: One part of a personal name.
NamePart = Annotated[
    str, StringConstraints(min_length=1, max_length=name.MAX_LENGTH, pattern=ONE_LINE)
]
#: The id of an agency or of a worker in an agency's own system.
AgencyId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
]
#: The version of the standard a record was written against.
SemVer = Annotated[
    str, StringConstraints(pattern=r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
]


def _check_partial_date(value: str) -> str:
    try:
        partial_date.bounds(value)
    except ValueError:
        raise PydanticCustomError("partial_date", "expected YYYY, YYYY-MM or YYYY-MM-DD") from None
    return value


#: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, a real calendar date.
PartialDateText = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"),
    AfterValidator(_check_partial_date),
]


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; 29 February becomes 28 February.

    >>> add_years(dt.date(2008, 2, 29), 18)
    datetime.date(2026, 2, 28)
    """
    try:  # the constructor, not day.replace: it takes a fraction of the time
        return dt.date(day.year + years, day.month, day.day)
    except ValueError:
        return dt.date(day.year + years, day.month, 28)


def whole_years(start: dt.date, end: dt.date) -> int:
    """Completed years from ``start`` to ``end`` (an age).

    >>> whole_years(dt.date(2010, 6, 15), dt.date(2028, 6, 14))
    17
    """
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


#: An e-mail address of the form local@domain.tld.
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


_E164 = re.compile(E164)


def check_e164(value: str) -> str:
    """Accept a valid phone number written in E.164, or raise a custom error."""
    if not _E164.fullmatch(value):
        raise PydanticCustomError("phone_format", "expected an E.164 phone number")
    if not is_valid_e164(value):
        raise PydanticCustomError("phone_invalid", "not a valid phone number")
    return value


_EMAIL = re.compile(EMAIL)


def check_email(value: str) -> str:
    """Accept an address of the form ``local@domain.tld``, or raise a custom error."""
    if not _EMAIL.match(value):
        raise PydanticCustomError("email_format", "expected an e-mail address")
    return value

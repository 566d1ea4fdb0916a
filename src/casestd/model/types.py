"""Constrained types shared by the entities: codes, dates, phones, identifiers.

Every type here checks its input and never rewrites it: a payload that is not
already in the standard form gets a finding, and the helpers such as
`to_e164` are there for importers that convert data on purpose.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, Any, Literal
from uuid import UUID

import attrs
import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE
from phonenumbers.phonemetadata import PhoneMetadata
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

_VISIBLE = r"[^\s\x00-\x1f\x7f-\x9f]"
_INNER = r"[^\x00-\x1f\x7f-\x9f]"
#: One line of text: no control characters, no leading or trailing space.
ONE_LINE = rf"^{_VISIBLE}({_INNER}*{_VISIBLE})?$"
#: Text that may span lines: no control characters but tab and line breaks.
MULTI_LINE = r"^\S[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
#: Free text of one line, at most 200 characters.
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=ONE_LINE)]
#: Free text that may span lines, at most 4000 characters.
LongText = Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=MULTI_LINE)]
#: One part of a personal name.
NamePart = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=ONE_LINE)]
#: The id of an agency or of a worker in an agency's own system.
AgencyId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
]
#: The version of the standard a record was written against.
SemVer = Annotated[
    str, StringConstraints(pattern=r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
]

_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


@functools.lru_cache(maxsize=8192)
def partial_date_bounds(text: str) -> tuple[dt.date, dt.date]:
    """The earliest and latest calendar dates a partial date can stand for.

    >>> partial_date_bounds("2012")
    (datetime.date(2012, 1, 1), datetime.date(2012, 12, 31))
    >>> partial_date_bounds("2012-02")
    (datetime.date(2012, 2, 1), datetime.date(2012, 2, 29))
    >>> partial_date_bounds("2012-02-30")
    Traceback (most recent call last):
    ValueError: not a calendar date
    """
    match = _PARTIAL_DATE.match(text)
    if not match:
        raise ValueError("not a partial date")
    year, month, day = match.groups()
    try:
        if day is not None:
            exact = dt.date(int(year), int(month), int(day))
            return exact, exact
        if month is not None:
            first = dt.date(int(year), int(month), 1)
            following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, following - dt.timedelta(days=1)
        return dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    except ValueError:
        raise ValueError("not a calendar date") from None


def _check_partial_date(value: str) -> str:
    try:
        partial_date_bounds(value)
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
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def whole_years(start: dt.date, end: dt.date) -> int:
    """Completed years from ``start`` to ``end`` (an age).

    >>> whole_years(dt.date(2010, 6, 15), dt.date(2028, 6, 14))
    17
    """
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def to_e164(text: str, region: str = "AM") -> str:
    """Convert a phone number as people write it to E.164, for importers.

    Raises ValueError (without the number in its message) when it is not a
    valid number.

    >>> to_e164("010 54 12 34")
    '+37410541234'
    >>> to_e164("+7 495 123-45-67")
    '+74951234567'
    """
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


#: A phone number in E.164 form: "+", country code and number, 8 to 15 digits.
E164 = r"^\+[1-9][0-9]{6,14}$"
#: An e-mail address of the form local@domain.tld.
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


_TYPES = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
)
_Desc = tuple["re.Pattern[str]", frozenset[int]]


def _desc(desc: Any) -> _Desc | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return re.compile(desc.national_number_pattern), frozenset(desc.possible_length or ())


@functools.cache
def _numbering_plan(region: str) -> tuple[_Desc, tuple[_Desc, ...]] | None:
    """The general and per-type number patterns of a region, from phonenumbers' metadata."""
    metadata = PhoneMetadata.metadata_for_region(region)
    general = _desc(metadata.general_desc) if metadata else None
    if metadata is None or general is None:
        return None
    kinds = tuple(d for d in (_desc(getattr(metadata, name)) for name in _TYPES) if d)
    return general, kinds


def _matches(number: str, desc: _Desc) -> bool:
    pattern, lengths = desc
    return (not lengths or len(number) in lengths) and pattern.fullmatch(number) is not None


def _plan_says_valid(digits: str) -> bool:
    for size in (1, 2, 3):
        regions = COUNTRY_CODE_TO_REGION_CODE.get(int(digits[:size]))
        if regions:
            break
    else:
        return False
    plan = _numbering_plan(regions[0]) if len(regions) == 1 else None
    if plan is None:
        return False
    national = digits[size:]
    general, kinds = plan
    return _matches(national, general) and any(_matches(national, kind) for kind in kinds)


def is_valid_e164(value: str) -> bool:
    """True when ``value`` is a valid number written in canonical E.164.

    The same answer as phonenumbers' ``is_valid_number`` together with
    ``format_number(..., E164) == value``. A number of a country code that one
    region uses is matched against the plan's patterns directly, about ten
    times faster; anything else goes through phonenumbers.

    >>> is_valid_e164("+37491234567"), is_valid_e164("+37400000000")
    (True, False)
    """
    if _plan_says_valid(value[1:]):
        return True
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return bool(phonenumbers.is_valid_number(number)) and e164 == value


def check_e164(value: str) -> str:
    """Accept a valid phone number written in E.164, or raise a custom error."""
    if not re.fullmatch(E164, value):
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

"""Phone numbers: as people write them in Armenia, and in E.164 (``+37491234567``).

Armenian numbers are written nationally with a leading 0 (``091 234567``,
``(010) 54-12-34``) or internationally (``+374 91 234567``). The standard
stores E.164. Whether a number exists is checked against the numbering plan
of its country, from phonenumbers' metadata (`is_valid_e164`).

>>> compact("091 23-45-67")
'+37491234567'
>>> validate("+7 495 123-45-67")
'+74951234567'
>>> format("+37491234567"), format("+37491234567", international=True)
('091 234567', '+374 91 234567')
>>> is_valid("060 123456")  # not a number of Armenia's plan
False
"""

from __future__ import annotations

import functools
import re
from typing import Any

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneNumberFormat
from phonenumbers.phonemetadata import PhoneMetadata

from casestd.normalise.exceptions import InvalidComponent, InvalidFormat
from casestd.normalise.formats import accepts

#: Numbers written without a country code are read as numbers of this region.
DEFAULT_REGION = "AM"
#: A phone number in E.164 form: "+", country code and number, 8 to 15 digits.
E164 = r"^\+[1-9][0-9]{6,14}$"


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidFormat("not a phone number") from None


def compact(text: str, region: str = DEFAULT_REGION) -> str:
    """The number in E.164 as written, whether or not the numbering plan has it.

    Raises `InvalidFormat` when ``text`` cannot be read as a phone number.
    """
    return str(phonenumbers.format_number(_parse(text, region), PhoneNumberFormat.E164))


def validate(text: str, region: str = DEFAULT_REGION) -> str:
    """The number in E.164, or raise `InvalidFormat` (not a phone number) or
    `InvalidComponent` (no such number in the country's numbering plan).

    >>> validate("010 54 12 34")
    '+37410541234'
    """
    number = _parse(text, region)
    if not phonenumbers.is_valid_number(number):
        raise InvalidComponent("not a valid phone number")
    return str(phonenumbers.format_number(number, PhoneNumberFormat.E164))


def is_valid(text: str, region: str = DEFAULT_REGION) -> bool:
    """True when `validate` accepts ``text``."""
    return accepts(lambda number: validate(number, region), text)


def format(text: str, region: str = DEFAULT_REGION, *, international: bool = False) -> str:
    """The number as people write it: nationally (``091 234567``) or internationally.

    A number of another country is always written internationally. Raises
    as `validate` does.
    """
    number = phonenumbers.parse(validate(text, region), None)
    national = not international and phonenumbers.region_code_for_number(number) == region
    style = PhoneNumberFormat.NATIONAL if national else PhoneNumberFormat.INTERNATIONAL
    return str(phonenumbers.format_number(number, style))


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
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return bool(phonenumbers.is_valid_number(number)) and e164 == value


__all__ = [
    "DEFAULT_REGION",
    "E164",
    "compact",
    "format",
    "is_valid",
    "is_valid_e164",
    "validate",
]

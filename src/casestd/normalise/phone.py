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
_Desc = tuple[str, frozenset[int]]


def _desc(desc: Any) -> _Desc | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return desc.national_number_pattern, frozenset(desc.possible_length or ())


@functools.cache
def _numbering_plan(region: str) -> tuple[_Desc, tuple[_Desc, ...]] | None:
    """The general and per-type number patterns of a region, from phonenumbers' metadata."""
    metadata = PhoneMetadata.metadata_for_region(region)
    general = _desc(metadata.general_desc) if metadata else None
    if metadata is None or general is None:
        return None
    kinds = tuple(d for d in (_desc(getattr(metadata, name)) for name in _TYPES) if d)
    return general, kinds


def _allows(desc: _Desc, length: int) -> bool:
    return not desc[1] or length in desc[1]


@functools.cache
def _regions_by_code() -> dict[str, tuple[str, ...]]:
    """Country calling code, as written -> the regions that use it."""
    return {str(code): tuple(regions) for code, regions in COUNTRY_CODE_TO_REGION_CODE.items()}


@functools.cache
def _plan_pattern(code: str, length: int) -> re.Pattern[str] | None:
    """One pattern for the national numbers of ``length`` digits that the plan of
    country code ``code`` has: those the general pattern takes whole, of a type
    whose pattern takes them too.

    None when the code is no country's, is shared by several regions, or its
    plan has no number of that length. The pattern says what matching the
    general pattern and then each type's would say (the types as alternatives,
    the general pattern as a look-ahead), in one pass of the regular expression
    engine instead of one per type.
    """
    regions = _regions_by_code().get(code, ())
    plan = _numbering_plan(regions[0]) if len(regions) == 1 else None
    if plan is None or not _allows(plan[0], length):
        return None
    kinds = [kind[0] for kind in plan[1] if _allows(kind, length)]
    if not kinds:
        return None
    alternatives = "|".join(f"(?:{pattern})" for pattern in kinds)
    return re.compile(f"(?=(?:{plan[0][0]})\\Z)(?:{alternatives})")


@functools.cache
def _code_lengths() -> dict[str, int]:
    """The first three digits of a number -> how many of them are its country code.

    Country codes are prefix-free (no code begins another), so three digits decide.
    """
    found: dict[str, int] = {}
    for code in _regions_by_code():
        free = 3 - len(code)
        for rest in range(10**free):
            found[f"{code}{rest:0{free}d}"[:3]] = len(code)
    return found


def _plan_says_valid(digits: str) -> bool:
    """True when the plan of the one region of the number's country code has the number;
    False when it does not, or when its country code is not one region's."""
    size = _code_lengths().get(digits[:3], 0)
    pattern = _plan_pattern(digits[:size], len(digits) - size) if size else None
    return pattern is not None and pattern.fullmatch(digits, size) is not None


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

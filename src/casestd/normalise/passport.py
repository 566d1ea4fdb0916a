"""Armenian passports: two Latin capital letters and seven digits (``AB1234567``).

>>> compact("ab 123 4567")
'AB1234567'
>>> validate("AK 0123456")
'AK0123456'
>>> is_valid("AB123456"), is_valid("АВ1234567")  # too short; Cyrillic letters
(False, False)
"""

from __future__ import annotations

from casestd.normalise.exceptions import InvalidFormat, InvalidLength
from casestd.normalise.formats import alnum, matches, without_separators

#: The identifier types whose value is a passport number.
TYPES = frozenset({"passport", "foreign_passport"})
LENGTH = 9


def compact(text: str) -> str:
    """Upper case, with everything but ASCII letters and digits dropped (the form keys compare).

    Works for foreign passports too, whose numbers have other lengths.
    """
    return alnum(text)


def validate(text: str) -> str:
    """The number as the standard stores it (``AB1234567``), or raise a `ValidationError`."""
    number = without_separators(text).upper()
    if not number.isascii() or not number.isalnum():
        raise InvalidFormat("a passport number is written in Latin letters and digits")
    if len(number) != LENGTH:
        raise InvalidLength("an Armenian passport number has two letters and seven digits")
    if not matches("passport", number):
        raise InvalidFormat("an Armenian passport number has two letters and seven digits")
    return number


def is_valid(text: str) -> bool:
    """True when `validate` accepts ``text``."""
    try:
        validate(text)
    except ValueError:
        return False
    return True

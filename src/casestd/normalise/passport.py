"""Armenian passports: two Latin capital letters and seven digits (``AB1234567``).

>>> compact("ab 123 4567")
'AB1234567'
>>> validate("AK 0123456")
'AK0123456'
>>> is_valid("AB123456"), is_valid("АВ1234567")  # too short; Cyrillic letters
(False, False)
"""

from __future__ import annotations

from casestd.normalise.formats import accepts, alnum, checked, without_separators

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
    return checked(
        "passport",
        without_separators(text).upper(),
        LENGTH,
        "an Armenian passport number is two Latin letters and seven digits",
        "an Armenian passport number has two letters and seven digits",
        letters=True,
    )


def is_valid(text: str) -> bool:
    """True when `validate` accepts ``text``."""
    return accepts(validate, text)

"""The public service number (PSN, հանրային ծառայությունների համարանիշ, ՀԾՀ).

Ten digits, given to every resident of Armenia; the deprecated social card
number has the same form. No check-digit algorithm is published, so only the
form is checked.

>>> compact("123 456-7890")
'1234567890'
>>> validate("1234 567 890")
'1234567890'
>>> is_valid("123456789"), is_valid("PSN 1234567890")
(False, False)
"""

from __future__ import annotations

import re

from casestd.normalise.formats import accepts, checked, without_separators

#: The identifier types whose value is a public service number.
TYPES = frozenset({"public_service_number", "social_card_number"})
LENGTH = 10
_NOT_DIGIT = re.compile(r"\D")


def compact(text: str) -> str:
    """The digits of the number, everything else dropped (the form keys compare)."""
    return _NOT_DIGIT.sub("", text)


def validate(text: str) -> str:
    """The number as the standard stores it (10 digits), or raise a `ValidationError`.

    Spaces, dashes, dots and slashes between digits are allowed; any other
    character is `InvalidFormat`, a count other than 10 `InvalidLength`.
    """
    return checked(
        "public_service_number",
        without_separators(text),
        LENGTH,
        "a public service number is written in digits only",
        "a public service number has 10 digits",
    )


def is_valid(text: str) -> bool:
    """True when `validate` accepts ``text``."""
    return accepts(validate, text)

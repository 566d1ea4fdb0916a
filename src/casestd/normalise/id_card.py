"""The national ID card (նույնականացման քարտ): a number of nine digits.

>>> compact("012 345 678")
'012345678'
>>> validate("012-345-678")
'012345678'
>>> is_valid("01234567")
False
"""

from __future__ import annotations

from casestd.normalise.formats import accepts, checked, transliterated, without_separators

LENGTH = 9


def compact(text: str) -> str:
    """Upper-case ASCII letters and digits only, Armenian and Cyrillic letters transliterated.

    >>> compact("ԱԲ 12-34")
    'AB1234'
    """
    return transliterated(text)


def validate(text: str) -> str:
    """The number as the standard stores it (nine digits), or raise a `ValidationError`."""
    return checked(
        "id_card",
        without_separators(text),
        LENGTH,
        "an ID card number is written in digits only",
        "an ID card number has 9 digits",
    )


def is_valid(text: str) -> bool:
    """True when `validate` accepts ``text``."""
    return accepts(validate, text)

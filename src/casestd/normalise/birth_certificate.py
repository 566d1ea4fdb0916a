"""Birth certificates (ծննդյան վկայական): a series and a number, as printed.

Certificates are written with their series in Armenian or Latin letters and
with spaces, dashes or slashes (``II-ԱՄ 123456``, ``II-AM 123456``). The
standard keeps the number as printed; `compact` gives the form two
writings of one certificate share.

>>> compact("II-ԱՄ 123456") == compact("ii am 123456") == "IIAM123456"
True
>>> validate("  II-AM   123456 ")
'II-AM 123456'
>>> is_valid("№ 12")
False
"""

from __future__ import annotations

from casestd.normalise.exceptions import InvalidFormat
from casestd.normalise.formats import accepts, matches, transliterated


def compact(text: str) -> str:
    """Upper-case ASCII letters and digits only, Armenian letters transliterated."""
    return transliterated(text)


def validate(text: str) -> str:
    """The number as printed, runs of spaces made one and the ends trimmed.

    Raises `InvalidFormat` when it is not 3 to 30 letters (Latin or Armenian),
    digits, spaces, ``/`` or ``-`` starting with a letter or digit.
    """
    number = " ".join(text.split())
    if not matches("birth_certificate", number):
        raise InvalidFormat(
            "a birth certificate number has 3 to 30 letters, digits, spaces, '/' or '-'"
        )
    return number


def is_valid(text: str) -> bool:
    """True when `validate` accepts ``text``."""
    return accepts(validate, text)

"""The format of each identifier type, from ``identifier_formats.json``.

One file says what a valid public service number, passport, ID card or birth
certificate looks like: the model checks identifiers against it, the JSON
Schemas publish it, and the cleaners of this package validate with it.

>>> identifier_formats()["id_card"]["example"]
'9 digits'
>>> matches("passport", "AB1234567"), matches("passport", "ab1234567")
(True, False)
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from importlib import resources

from anyascii import anyascii

from casestd.normalise.exceptions import InvalidFormat, InvalidLength

_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
#: What separates the groups of a number as people write it; `validate` allows these.
SEPARATORS = frozenset(" -./\u00a0")


@functools.cache
def identifier_formats() -> dict[str, dict[str, str]]:
    """Identifier type -> ``pattern`` (a regular expression) and ``example`` (for messages)."""
    text = (
        resources.files("casestd.normalise").joinpath("identifier_formats.json").read_text("utf-8")
    )
    data: dict[str, dict[str, str]] = json.loads(text)
    data.pop("_comment", None)
    return data


@functools.cache
def pattern(kind: str) -> re.Pattern[str]:
    """The compiled pattern of identifier type ``kind``; KeyError for an unknown type."""
    return re.compile(identifier_formats()[kind]["pattern"])


def matches(kind: str, text: str) -> bool:
    """True when ``text`` has the format of identifier type ``kind``, exactly as written."""
    return pattern(kind).match(text) is not None


def without_separators(text: str) -> str:
    """``text`` without the `SEPARATORS` people put between the groups of a number."""
    return "".join(char for char in text if char not in SEPARATORS)


def checked(
    kind: str, number: str, length: int, form: str, size: str, *, letters: bool = False
) -> str:
    """``number`` when it is ``length`` ASCII digits (or ``letters`` and digits) in the
    format of identifier type ``kind``; else raise `InvalidFormat` (``form``) or
    `InvalidLength` (``size``), messages that never quote the number."""
    allowed = number.isalnum() if letters else number.isdigit()
    if not number.isascii() or not allowed:
        raise InvalidFormat(form)
    if len(number) != length:
        raise InvalidLength(size)
    if not matches(kind, number):
        raise InvalidFormat(form)
    return number


def accepts(validate: Callable[[str], object], text: str) -> bool:
    """True when ``validate`` returns for ``text`` instead of raising ValueError."""
    try:
        validate(text)
    except ValueError:
        return False
    return True


def alnum(text: str) -> str:
    """Upper case, everything but ASCII letters and digits dropped.

    >>> alnum("ab 12-34/Ж")
    'AB1234'
    """
    return _NOT_ALNUM.sub("", text.upper())


def transliterated(text: str) -> str:
    """`alnum` after Armenian and Cyrillic letters are written in Latin ones (anyascii).

    >>> transliterated("ԱԲ 12-34")
    'AB1234'
    """
    return alnum(anyascii(text))


__all__ = [
    "SEPARATORS",
    "accepts",
    "alnum",
    "checked",
    "identifier_formats",
    "matches",
    "pattern",
    "transliterated",
    "without_separators",
]

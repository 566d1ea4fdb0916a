"""Parts of personal names (given, patronymic, family): white space and Unicode form.

A name is kept as written: its script, spelling and case are never changed.
Only what does not show is cleaned: runs of white space become one space,
the ends are trimmed, and the text is put in Unicode normal form C, so that
one name typed on two keyboards (a precomposed letter, or a letter and a
combining mark) is one string. NFC, not NFKC: NFKC would break the Armenian
ligature և into ե and ւ.

>>> compact("  Анна   Мария ")
'Анна Мария'
>>> compact("Jose\\u0301") == "Jos\\u00e9"
True
>>> validate("Պետրոսյան"), is_valid("   "), is_valid("A\\x00")
('Պետրոսյան', False, False)
>>> words("Ani  Armeni")
['Ani', 'Armeni']
>>> script("Պետրոսյան"), script("Петросян"), script("Petrosyan"), script("123")
('armn', 'cyrl', 'latn', None)
"""

from __future__ import annotations

import re
import unicodedata

from casestd.normalise.exceptions import InvalidFormat, InvalidLength
from casestd.normalise.formats import accepts

#: The longest name part the standard stores, in characters.
MAX_LENGTH = 100
#: Control characters (C0, DEL and C1), as the body of a regular-expression class.
CONTROL = r"\x00-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{CONTROL}]")


def compact(text: str) -> str:
    """``text`` in Unicode NFC, white space runs made one space, the ends trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def validate(text: str) -> str:
    """The `compact` form of a name part, or raise a `ValidationError`: empty or with
    control characters (`InvalidFormat`), longer than `MAX_LENGTH` (`InvalidLength`)."""
    value = compact(text)
    if not value or _CONTROL.search(value):
        raise InvalidFormat("a name part is visible text on one line")
    if len(value) > MAX_LENGTH:
        raise InvalidLength(f"a name part has at most {MAX_LENGTH} characters")
    return value


def is_valid(text: str) -> bool:
    """True when `validate` accepts ``text``."""
    return accepts(validate, text)


#: Unicode script names and the ISO 15924 code of the scripts names are written in.
_SCRIPTS = (("ARMENIAN", "armn"), ("CYRILLIC", "cyrl"), ("LATIN", "latn"))


def script(text: str) -> str | None:
    """The ISO 15924 code (``armn``, ``cyrl``, ``latn``) of the first letter of ``text``
    written in one of them; None when it has none."""
    for char in text:
        if char.isalpha():
            found = unicodedata.name(char, "")
            for prefix, code in _SCRIPTS:
                if found.startswith(prefix):
                    return code
    return None


def words(text: str) -> list[str]:
    """The words of a name part, split at white space (``[]`` for blank text)."""
    return text.split()


__all__ = ["CONTROL", "MAX_LENGTH", "compact", "is_valid", "script", "validate", "words"]

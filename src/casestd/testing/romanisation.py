"""Armenian and Russian spellings of a name written in Latin letters, as registers do.

The letter tables are data (``data/romanisation.json``); the rules that
depend on where a letter stands are here: initial ե and ո (``Ye``, ``Vo``)
in BGN/PCGN and the passport system, ու as one vowel, the Western ``-ian``.

>>> [romanise("Պետրոսյան", s) for s in ("passport", "bgn", "iso9985", "western")]
['Petrosyan', 'Petrosyan', 'Petrosyan', 'Bedrosian']
>>> romanise("Երվանդ", "bgn"), romanise("Ոսկանյան", "passport"), romanise("Չոբանյան", "bgn")
('Yervand', 'Voskanyan', 'Ch’obanyan')
>>> romanise("Խաչատրյան", "iso9985"), romanise("Հակոբյան", "western")
('Xačatryan', 'Hagopian')
>>> russian_latin("Оганесян"), russian_latin("Арутюнян", icao=True)
('Oganesyan', 'Arutiunian')
"""

from __future__ import annotations

import functools
from typing import Any

from casestd.testing.samples import romanisation_tables

#: The Latin romanisations of Armenian script that `romanise` knows.
ARMENIAN_SYSTEMS = ("passport", "bgn", "iso9985", "western")


def _systems(spec: dict[str, Any], common: dict[str, str]) -> dict[str, dict[str, str]]:
    """Each system's letters: the common ones and its own, or its base's and its own."""
    tables: dict[str, dict[str, str]] = {}
    for name, table in spec.items():
        if "base" not in table:
            tables[name] = {**common, **table}
    for name, table in spec.items():
        if "base" in table:
            tables[name] = {**tables[table["base"]], **table["letters"]}
    return tables


@functools.cache
def _armenian() -> tuple[dict[str, dict[str, str]], frozenset[str]]:
    data = romanisation_tables()["armenian"]
    return _systems(data["systems"], data["common"]), frozenset(data["vowels"])


@functools.cache
def _russian() -> tuple[dict[str, dict[str, str]], frozenset[str]]:
    data = romanisation_tables()["russian"]
    return _systems(data["systems"], {}), frozenset(data["vowels"])


def alphabet(script: str) -> str:
    """The letters of a script (``armn``, ``cyrl``, ``latn``) that typos are made of."""
    alphabets: dict[str, str] = romanisation_tables()["alphabets"]
    return alphabets[script]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def romanise(armenian: str, system: str) -> str:
    """An Armenian-script name in a Latin romanisation.

    ``system`` is ``passport`` (the Armenian passport system), ``bgn``
    (BGN/PCGN 1981, apostrophes for aspirates), ``iso9985`` (with diacritics)
    or ``western`` (Western Armenian sounds: voiced and voiceless stops swap,
    ``ou`` for ու, ``-ian`` for -յան).
    """
    tables, vowels = _armenian()
    table = tables[system]
    low = armenian.lower()
    out: list[str] = []
    index = 0
    while index < len(low):
        char = low[index]
        before = low[index - 1] if index else ""
        initial = not before.isalpha()
        after_vowel = before in vowels or low[max(0, index - 2) : index] == "ու"
        if char == "ո" and low[index + 1 : index + 2] == "ւ":
            out.append({"iso9985": "ow", "western": "ou"}.get(system, "u"))
            index += 2
            continue
        if system == "western" and low[index:] == "յան":
            out.append("ian")
            break
        if system in ("bgn", "passport"):
            if char == "ե" and (initial or after_vowel):
                out.append("ye")
            elif char == "և" and (initial or after_vowel):
                out.append("yev")
            elif char == "ո" and initial:
                out.append("vo")
            else:
                out.append(table.get(char, char))
        elif system == "western" and char == "ե" and initial:
            out.append("ye")
        else:
            out.append(table.get(char, char))
        index += 1
    return _capital("".join(out))


def russian_latin(cyrillic: str, icao: bool = False) -> str:
    """A Russian-spelt name in Latin letters: BGN/PCGN, or the ICAO passport table."""
    tables, vowels = _russian()
    table = tables["icao" if icao else "bgn"]
    low = cyrillic.lower()
    out = []
    for index, char in enumerate(low):
        if char == "е" and not icao and (index == 0 or low[index - 1] in vowels):
            out.append("ye")
        else:
            out.append(table.get(char, char))
    return _capital("".join(out))


__all__ = ["ARMENIAN_SYSTEMS", "alphabet", "romanise", "russian_latin"]

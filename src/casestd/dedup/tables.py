"""The data tables of name folding, read once from ``casestd/dedup/data/*.json``.

The tables, not the code, say how letters fold: ``armenian.json`` (Armenian
letter to phonetic class), ``latin.json`` (Cyrillic and Latin side, classes and
how each is written in a key), ``rules.json`` (ordered folding rules, family-name
endings, the phonetic code, patronymic endings) and ``aliases.json`` (curated
Russian-mediated and Western forms). `tables` checks them when it loads them.

>>> t = tables()
>>> t.armenian_letters["ղ"], t.render["c"], t.ending_key
('k', 'ts', 'yan')
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

_DATA = "casestd.dedup.data"

#: A compiled regular expression and its replacement.
Rewrite = tuple[re.Pattern[str], str]


@dataclass(frozen=True)
class AliasGroup:
    """One curated alias group: a name in Armenian script and its other forms."""

    name: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Tables:
    """All the folding data, checked and compiled."""

    armenian_pairs: dict[str, str]
    armenian_letters: dict[str, str]
    render: dict[str, str]
    before_ascii: dict[str, str]
    ascii_rewrites: tuple[Rewrite, ...]
    tokens: tuple[tuple[str, str], ...]
    #: The spellings of ``tokens`` as one alternation, longest first: at each place it
    #: matches the first token that fits, as a scan of ``tokens`` in order would.
    token_pattern: re.Pattern[str]
    #: Spelling -> class, of ``tokens``.
    token_classes: dict[str, str]
    rules: tuple[Rewrite, ...]
    ending: re.Pattern[str]
    ending_key: str
    phonetic_vowels: str
    phonetic_first_vowel: str
    phonetic_merge: dict[str, str]
    patronymic_suffixes: tuple[str, ...]
    alias_groups: tuple[AliasGroup, ...]


def _load(name: str) -> dict[str, Any]:
    text = resources.files(_DATA).joinpath(name).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _rewrites(rows: list[list[str]]) -> tuple[Rewrite, ...]:
    return tuple((re.compile(row[0]), row[1]) for row in rows)


def _check(tables: Tables) -> None:
    classes = set(tables.render)
    used = {
        *tables.armenian_pairs.values(),
        *tables.armenian_letters.values(),
        *(cls for _, cls in tables.tokens),
    }
    unknown = {char for value in used for char in value} - classes
    if unknown:
        raise ValueError(f"dedup tables use undefined classes: {sorted(unknown)}")
    spelled = dict(tables.tokens)
    for cls, text in tables.render.items():
        if text and spelled.get(text) != cls:
            raise ValueError(f"dedup class {cls!r} is written {text!r}, which reads back otherwise")


@functools.cache
def tables() -> Tables:
    """The folding tables, loaded and checked on first use.

    Raises ValueError when a table names a class that ``latin.json`` does not
    define, or writes a class in a way that reads back as another class.
    """
    armenian = _load("armenian.json")
    latin = _load("latin.json")
    rules = _load("rules.json")
    aliases = _load("aliases.json")
    phonetic = rules["phonetic"]
    tokens = tuple(sorted(latin["tokens"].items(), key=lambda item: -len(item[0])))
    result = Tables(
        armenian_pairs=dict(armenian["pairs"]),
        armenian_letters=dict(armenian["letters"]),
        render={cls: spec["key"] for cls, spec in latin["classes"].items()},
        before_ascii=dict(latin["before_ascii"]),
        ascii_rewrites=_rewrites(latin["ascii_rewrites"]),
        tokens=tokens,
        token_pattern=re.compile("|".join(re.escape(spelling) for spelling, _ in tokens)),
        token_classes=dict(tokens),
        rules=_rewrites(rules["rules"]),
        ending=re.compile(rules["ending"]),
        ending_key=rules["ending_key"],
        phonetic_vowels=phonetic["vowels"],
        phonetic_first_vowel=phonetic["first_vowel"],
        phonetic_merge=dict(phonetic["merge"]),
        patronymic_suffixes=tuple(rules["patronymic_suffixes"]),
        alias_groups=tuple(
            AliasGroup(name=group["name"], forms=tuple(group["forms"]))
            for group in aliases["groups"]
        ),
    )
    _check(result)
    return result

"""From one word in any script to its string of phonetic classes.

Armenian letters go through casestd's own letter-to-class table. Everything
else (Russian Cyrillic, Latin with or without diacritics) is made ASCII by
`anyascii <https://pypi.org/project/anyascii/>`_, after casestd's own table
for the romanisation letters anyascii would flatten (``č`` is ``ch``, not
``c``), then rewritten and cut into classes by the Latin table. The class codes
are single characters; ``tables().render`` says how each is written in a key.

>>> to_classes("ղազարյան"), to_classes("казарян"), to_classes("ghazaryan")
('kazaryan', 'kazaryan', 'kazaryan')
>>> to_classes("Hovhannisyan")
'hovhannisyan'
>>> to_classes("shukh")
'Sux'
"""

from __future__ import annotations

import re

from anyascii import anyascii

from casestd.dedup.tables import Tables, tables

_ARMENIAN = re.compile(r"([\u0531-\u058f\ufb13-\ufb17]+)")
_NOT_LETTER = re.compile(r"[^a-z]+")


def _armenian(run: str, data: Tables) -> str:
    out: list[str] = []
    index = 0
    while index < len(run):
        pair = data.armenian_pairs.get(run[index : index + 2])
        if pair is not None:
            out.append(pair)
            index += 2
            continue
        out.append(data.armenian_letters.get(run[index], ""))
        index += 1
    return "".join(out)


def _latin(run: str, data: Tables) -> str:
    text = "".join(data.before_ascii.get(char, char) for char in run)
    text = anyascii(text).lower()
    for pattern, replacement in data.ascii_rewrites:
        text = pattern.sub(replacement, text)
    text = _NOT_LETTER.sub("", text)
    classes = data.token_classes
    return "".join([classes[spelling] for spelling in data.token_pattern.findall(text)])


def to_classes(word: str) -> str:
    """The phonetic classes of one word, already NFKC-normalised and case-folded.

    Armenian runs use the Armenian table; other runs go through anyascii and
    the Latin table. Characters that are not letters are dropped.
    """
    data = tables()
    parts = _ARMENIAN.split(word)
    return "".join(
        _armenian(part, data) if index % 2 else _latin(part, data)
        for index, part in enumerate(parts)
        if part
    )

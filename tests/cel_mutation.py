"""Mutants of CEL expressions: one comparison flipped, or one clause dropped, at a time.

Only the text outside ``@macro(...)`` calls is changed, so a mutant of a rule
stays a mutant of that rule; the macros' bodies are mutated on their own.

>>> [m for _, m in mutants("a < b && !(c == 'x')")]
["a >= b && !(c == 'x')", "a < b && !(c != 'x')", "!(c == 'x')", 'a < b']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from casestd.rules.portable import call_arguments

#: Each comparison and what it flips to.
FLIPS = {"<=": ">", ">=": "<", "==": "!=", "!=": "==", "<": ">=", ">": "<="}
_COMPARISON = re.compile(r"<=|>=|==|!=|<|>")
_MACRO = re.compile(r"@[a-z_]+\(")


def _opaque(text: str) -> list[bool]:
    """For each character: inside a string literal or a macro call (not to be mutated)."""
    hidden = [False] * len(text)
    index, quote = 0, ""
    while index < len(text):
        char = text[index]
        if quote:
            hidden[index] = True
            if char == "\\":
                hidden[index + 1] = True
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote, hidden[index] = char, True
        else:
            found = _MACRO.match(text, index)
            if found:
                end = _close(text, found.end() - 1)
                for i in range(index, end):
                    hidden[i] = True
                index = end
                continue
        index += 1
    return hidden


def _close(text: str, start: int) -> int:
    """The index after the bracket that closes the one at ``start``."""
    return call_arguments(text, start)[1]


def _flips(text: str, hidden: list[bool]) -> Iterator[tuple[str, str]]:
    for found in _COMPARISON.finditer(text):
        if hidden[found.start()]:
            continue
        operator = found[0]
        yield (
            f"flip {operator} at {found.start()}",
            (text[: found.start()] + FLIPS[operator] + text[found.end() :]),
        )


def _groups(text: str, hidden: list[bool]) -> Iterator[tuple[int, int]]:
    """(start, end) of the whole text and of each bracketed part outside macros."""
    yield 0, len(text)
    for index, char in enumerate(text):
        if char in "([" and not hidden[index]:
            yield index + 1, _close(text, index) - 1


def _operands(text: str, hidden: list[bool], start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of the top-level ``&&``/``||`` operands of text[start:end], per ``?:`` or argument."""
    depth, cuts, parts = 0, [start], []
    index = start
    while index < end:
        char = text[index]
        if hidden[index]:
            index += 1
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and char in "?:,":
            parts.append((cuts, index))
            cuts = [index + 1]
        elif depth == 0 and text.startswith(("&&", "||"), index):
            cuts.append(index)
            cuts.append(index + 2)
            index += 1
        index += 1
    parts.append((cuts, end))
    for cut, stop in parts:
        bounds = [*cut, stop]
        if len(bounds) <= 2:
            continue
        spans = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
        yield from _drops(text, spans)


def _drops(text: str, spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """For each operand, the span to cut: the operand and one operator beside it."""
    for i, (start, stop) in enumerate(spans):
        if i + 1 < len(spans):
            yield start, spans[i + 1][0]
        else:
            yield spans[i - 1][1], stop


def mutants(text: str) -> list[tuple[str, str]]:
    """(what changed, mutated text) for every single flip and every single dropped clause."""
    hidden = _opaque(text)
    found = list(_flips(text, hidden))
    seen = set()
    for start, end in _groups(text, hidden):
        for cut_start, cut_end in _operands(text, hidden, start, end):
            if (cut_start, cut_end) in seen:
                continue
            seen.add((cut_start, cut_end))
            mutated = (text[:cut_start] + text[cut_end:]).strip()
            found.append((f"drop {text[cut_start:cut_end].strip()!r}", " ".join(mutated.split())))
    return found

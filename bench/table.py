"""Printing the result tables of the benchmark scripts."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def table_row(*cells: object, widths: Sequence[int], cell: Callable[[object], str] = str) -> str:
    """One table line: the first cell left-aligned, the others right-aligned."""
    first, *rest = [cell(value) for value in cells]
    line = [first.ljust(widths[0])]
    line += [text.rjust(width) for text, width in zip(rest, widths[1:], strict=True)]
    return "  " + "  ".join(line)

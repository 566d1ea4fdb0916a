"""Small Markdown helpers: table cells, tables, links and anchors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def cell(value: str) -> str:
    """``value`` made safe for one cell of a pipe table: one line, pipes and tags escaped.

    >>> cell("a | b\\nc <d>")
    'a \\\\| b c &lt;d&gt;'
    """
    text = " ".join(value.split())
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def code(value: str) -> str:
    """``value`` as inline code.

    >>> code("sex")
    '`sex`'
    """
    return f"`{value}`"


def link(label: str, target: str) -> str:
    """A Markdown link; ``label`` is expected to be escaped already."""
    return f"[{label}]({target})"


def anchor(name: str) -> str:
    """An explicit HTML anchor, so that links do not depend on how headings are slugged."""
    return f'<a id="{name}"></a>'


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """The lines of a pipe table; the cells are used as given (escape them with `cell`).

    >>> table(["a", "b"], [["1", "2"]])
    ['| a | b |', '| --- | --- |', '| 1 | 2 |']
    """
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for row in rows:
        if len(row) != len(header):
            raise ValueError("a row does not have as many cells as the header")
        lines.append("| " + " | ".join(row) + " |")
    return lines

"""Read records from JSON (one object or an array) and JSON Lines, streaming.

JSON Lines is read line by line, so a file of any length is read in constant
memory. A JSON document (an object or an array) is read whole, up to
`MAX_DOCUMENT_BYTES`: larger collections belong in JSON Lines. A record that
cannot be read is not dropped: it comes back as an `Item` with a problem.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from casestd.io.jsontext import MAX_RECORD_BYTES

#: Largest JSON document (object or array) read whole; use JSON Lines beyond.
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024
_WHITESPACE = b" \t\r\n"
_BOM = b"\xef\xbb\xbf"


class ReadError(Exception):
    """A whole file cannot be read; the message never quotes its content."""


@attrs.frozen
class Item:
    """One record as read: JSON text or a parsed object, or the problem that stopped it."""

    index: int
    data: bytes | dict[str, Any] | None = attrs.field(repr=False)
    problem: str | None = None


def _open(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return Path(path).open("rb")
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as error:
        raise ReadError(error.strerror or "cannot be opened") from None


def _first_line(stream: IO[bytes]) -> bytes:
    """The first line that is not blank, without a UTF-8 byte order mark."""
    line = stream.readline(MAX_RECORD_BYTES + 1)
    if line.startswith(_BOM):
        line = line[len(_BOM) :]
    while line and not line.strip(_WHITESPACE):
        line = stream.readline(MAX_RECORD_BYTES + 1)
    return line


def _is_object_line(line: bytes) -> bool:
    stripped = line.strip(_WHITESPACE)
    if not stripped.startswith(b"{") or not stripped.endswith(b"}"):
        return False
    try:
        return isinstance(json.loads(stripped), dict)
    except (ValueError, RecursionError):
        return False


def _lines(stream: IO[bytes], first: bytes) -> Iterator[Item]:
    index = 0
    line: bytes = first
    while line:
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the oversized line
                line = stream.readline(1024 * 1024)
            yield Item(index, None, "input.too_large")
            index += 1
        else:
            stripped = line.strip(_WHITESPACE)
            if stripped:
                problem = None if stripped.startswith(b"{") else _non_object_problem(stripped)
                yield Item(index, stripped if problem is None else None, problem)
                index += 1
        line = stream.readline(MAX_RECORD_BYTES + 1)


def _non_object_problem(text: bytes) -> str:
    try:
        json.loads(text)
    except RecursionError:
        return "json.too_deep"
    except ValueError:
        return "json.invalid"
    return "input.not_object"


def _document(stream: IO[bytes], first: bytes) -> Iterator[Item]:
    rest = stream.read(MAX_DOCUMENT_BYTES + 1 - len(first))
    text = first + rest
    if len(text) > MAX_DOCUMENT_BYTES:
        raise ReadError(
            "JSON document larger than the limit; write large collections as JSON Lines"
        )
    try:
        value = json.loads(text)
    except UnicodeDecodeError:
        raise ReadError("not valid UTF-8 text") from None
    except RecursionError:
        raise ReadError("JSON nested too deeply") from None
    except ValueError as error:
        position = getattr(error, "lineno", None), getattr(error, "colno", None)
        raise ReadError(f"not valid JSON (line {position[0]}, column {position[1]})") from None
    if isinstance(value, dict):
        yield Item(0, value)
    elif isinstance(value, list):
        for index, element in enumerate(value):
            if isinstance(element, dict):
                yield Item(index, element)
            else:
                yield Item(index, None, "input.not_object")
    else:
        raise ReadError("the JSON document is neither an object nor an array of objects")


def read_records(path: str) -> Iterator[Item]:
    """Each record of the file at ``path`` (``-`` for standard input), in order.

    The format is found from the content: a first line that is a whole JSON
    object means JSON Lines; otherwise the file is one JSON document.
    Raises `ReadError` when the file as a whole cannot be read.
    """
    stream = _open(path)
    try:
        first = _first_line(stream)
        if _is_object_line(first):
            yield from _lines(stream, first)
        elif first:
            yield from _document(stream, first)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()

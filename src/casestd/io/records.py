"""Read the records of JSON Lines, JSON arrays and single JSON objects, streaming.

`read_records` gives one `Item` per record, in order, each with its
`Location` and its JSON text (validation parses it). Nothing is dropped: a
line or an array item that cannot be read is an item with a `Problem`, and so
is a file that cannot be read at all (``record`` is then False).

How a file is read:

- JSON Lines when its name ends in ``.jsonl`` or ``.ndjson``; otherwise when
  its first line is a whole JSON value with more after it, or, when the first
  line is broken, when most of the next lines are whole JSON objects (so one
  broken line is one finding and every other line is still read). Items are
  located ``FILE:LINE``.
- A JSON array (the text starts with ``[``) is split into its items as it is
  read, in constant memory whatever its length: the splitter follows only
  strings and brackets, and each item's text is parsed like a line of JSON
  Lines (duplicate keys, limits and all). Items are located ``FILE#INDEX``
  with the line where they start.
- Anything else is one JSON document, at most `MAX_RECORD_BYTES` long.

Why not an incremental parser library: ijson (3.6, the usual choice) loses
duplicate keys, its C backend (yajl2_c) crashes the interpreter on an
integer of more than 4,300 digits, and its Python backend quotes the input in
its error messages; see ``docs/performance.md``.
"""

from __future__ import annotations

import functools
import itertools
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

import attrs
import jiter

from casestd.io import jsontext
from casestd.io.jsontext import Problem, encoding_problem, strip_bom
from casestd.io.location import ItemLocation, LineLocation, Location

#: File name endings always read as JSON Lines.
LINES_SUFFIXES = (".jsonl", ".ndjson")
#: Lines read ahead to decide whether a file whose first line is broken is JSON Lines.
LOOKAHEAD_LINES = 20
_CHUNK = 1024 * 1024
_WHITESPACE = b" \t\r\n"
_STRING = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
#: Inside an item: everything up to the next bracket or unfinished string.
_INSIDE = re.compile(rb'(?:[^"\[\]{}]+|' + _STRING + rb")*", re.S)
#: Between items: the same, stopping at commas too.
_BETWEEN = re.compile(rb'(?:[^",\[\]{}]+|' + _STRING + rb")*", re.S)
#: The rest of a string whose start was read: up to its closing quote or the buffer's end.
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*', re.S)
_SPACE = re.compile(rb"[ \t\r\n]*")
#: How deep the one-pass pattern for an item follows brackets; deeper items are scanned.
_QUICK_DEPTH = 8


def _item_pattern(depth: int) -> re.Pattern[bytes]:
    """An item nested at most ``depth`` deep, to its end, in one match.

    Quantifiers are possessive (Python 3.11), so a failed match never backtracks.
    """
    string = rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
    inner = rb'(?:[^"\[\]{}]++|' + string + rb")*+"
    for _ in range(depth - 1):
        inner = rb'(?:[^"\[\]{}]++|' + string + rb"|[\[{]" + inner + rb"[\]}])*+"
    return re.compile(rb'(?:[^",\[\]{}]++|' + string + rb"|[\[{]" + inner + rb"[\]}])*+", re.S)


_ITEM = _item_pattern(_QUICK_DEPTH)
_CLOSING = {ord("]"): ord("["), ord("}"): ord("{")}


@attrs.frozen
class Item:
    """One record as read: its location, its JSON text, or the problem that stopped it.

    ``record`` is False for a problem of the input as a whole (it cannot be
    opened, is empty, holds no records), which is not a record.
    """

    location: Location
    data: bytes | None = attrs.field(repr=False)
    problem: Problem | None = None
    record: bool = True


def _open(path: str) -> IO[bytes] | Problem:
    if path == "-":
        return sys.stdin.buffer
    try:
        return Path(path).open("rb")
    except FileNotFoundError:
        return Problem("input.missing")
    except OSError:  # a folder, no permission, a device error
        return Problem("input.unreadable")


def read_records(path: str) -> Iterator[Item]:
    """Each record of the file at ``path`` (``-`` for standard input), in order."""
    stream = _open(path)
    if isinstance(stream, Problem):
        yield Item(Location(path), None, stream, record=False)
        return
    try:
        yield from _read(path, stream)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _read(path: str, stream: IO[bytes]) -> Iterator[Item]:
    lines = [strip_bom(_readline(stream))]
    while lines[-1] and not lines[-1].strip(_WHITESPACE):  # skip leading blank lines
        lines.append(_readline(stream))
    first = lines[-1].lstrip(_WHITESPACE)
    if path.lower().endswith(LINES_SUFFIXES):
        yield from _json_lines(path, _chain(lines, stream))
    elif not first:
        yield Item(Location(path), None, Problem("input.empty"), record=False)
    elif first.startswith(b"["):
        yield from _array(path, b"".join(lines), stream)
    elif _is_lines(lines, stream):
        yield from _json_lines(path, _chain(lines, stream))
    else:
        yield _document(path, lines, stream)


def _readline(stream: IO[bytes]) -> bytes:
    return stream.readline(jsontext.MAX_RECORD_BYTES + 1)


def _chain(lines: list[bytes], stream: IO[bytes]) -> Iterator[bytes]:
    rest: Callable[[], bytes] = functools.partial(_readline, stream)
    return itertools.chain((line for line in lines if line), iter(rest, b""))


def _complete(line: bytes) -> bool:
    """True when ``line`` holds one whole JSON value (perhaps with repeated keys)."""
    try:
        jiter.from_json(line.strip(_WHITESPACE))
    except ValueError as error:
        return str(error).startswith("number out of range")
    return True


def _is_lines(lines: list[bytes], stream: IO[bytes]) -> bool:
    """Decide between JSON Lines and one document; reads ahead into ``lines``."""
    first = lines[-1]
    if _complete(first):
        # one whole value on the first line: JSON Lines if anything follows it
        while True:
            line = _readline(stream)
            lines.append(line)
            if not line or line.strip(_WHITESPACE):
                return bool(line)
    if not first.lstrip(_WHITESPACE).startswith(b"{"):
        return False
    size = sum(map(len, lines))
    if len(first) > jsontext.MAX_RECORD_BYTES and not first.endswith(b"\n"):
        # too large to be a record either way: decide from the lines after it, reading
        # past its rest without keeping it (the b"\n" ends it for `_json_lines`)
        _skip_rest_of_line(stream)
        lines.append(b"\n")
        size = 0
    ahead: list[bytes] = []
    while len(ahead) < LOOKAHEAD_LINES and size <= jsontext.MAX_RECORD_BYTES:
        line = _readline(stream)
        if not line:
            break
        lines.append(line)
        size += len(line)
        if line.strip(_WHITESPACE):
            ahead.append(line)
    objects = sum(line.lstrip(_WHITESPACE).startswith(b"{") and _complete(line) for line in ahead)
    return objects * 2 > len(ahead)


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        chunk = _readline(stream)
        if not chunk or chunk.endswith(b"\n"):
            return


def _problem_of_line(line: bytes, guess: list[str | None]) -> Problem | None:
    """``input.encoding`` for a line that is not UTF-8 (the guess made once per file)."""
    if line.isascii():
        return None
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        if not guess:
            guess.append(encoding_problem(line).params.get("encoding"))  # type: ignore[arg-type]
        return Problem("input.encoding", (), {"encoding": guess[0]} if guess[0] else {})
    return None


def _json_lines(path: str, lines: Iterable[bytes]) -> Iterator[Item]:
    number, records, guess = 0, 0, []  # type: ignore[var-annotated]
    pending = iter(lines)
    for line in pending:
        number += 1
        location = LineLocation(path, number)
        if len(line) > jsontext.MAX_RECORD_BYTES and not line.endswith(b"\n"):
            for rest in pending:  # skip the rest of the oversized line
                if rest.endswith(b"\n"):
                    break
            yield Item(location, None, Problem("input.too_large"))
            records += 1
            continue
        text = line.strip(_WHITESPACE)
        if not text:
            continue
        records += 1
        if number == 1:
            text = strip_bom(text)
        problem = _problem_of_line(text, guess)
        yield Item(location, None if problem else text, problem)
    if not records:
        yield _no_records(path)


def _no_records(path: str) -> Item:
    return Item(Location(path), None, Problem("input.no_records", severity="warning"), record=False)


def _document(path: str, lines: list[bytes], stream: IO[bytes]) -> Item:
    text = b"".join(lines)
    text += stream.read(max(jsontext.MAX_RECORD_BYTES + 1 - len(text), 0))
    location = ItemLocation(path, 0, line=1 + text[: len(text) - len(text.lstrip())].count(b"\n"))
    if len(text) > jsontext.MAX_RECORD_BYTES:
        return Item(location, None, Problem("input.too_large"))
    return Item(location, text)


@attrs.define
class _Splitter:
    """Splits the text of a JSON array into the texts of its items, reading as it goes.

    It follows strings (so that brackets and commas in them do not count) and
    brackets, nothing else: the text of each item is parsed afterwards. The
    buffer holds at most the item being read (up to `MAX_RECORD_BYTES`) and a
    chunk.
    """

    path: str
    stream: IO[bytes]
    buffer: bytes
    pos: int = 0
    start: int = 0  # where the item being read starts
    line: int = 1  # the line at `counted`
    counted: int = 0
    in_string: bool = False
    too_large: bool = False

    def more(self) -> bool:
        """Read the next chunk, dropping what is no longer needed; False at the end."""
        chunk = self.stream.read(_CHUNK)
        if not chunk:
            return False
        keep = self.pos if self.too_large else min(self.start, self.pos)
        self.line += self.buffer.count(b"\n", self.counted, keep)
        self.buffer = self.buffer[keep:] + chunk
        self.pos, self.start, self.counted = self.pos - keep, max(self.start - keep, 0), 0
        return True

    def line_at(self, position: int) -> int:
        self.line += self.buffer.count(b"\n", self.counted, position)
        self.counted = position
        return self.line

    def skip_space(self) -> None:
        while True:
            self.pos = _SPACE.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buffer) or not self.more():
                return

    def items(self) -> Iterator[Item]:
        self.skip_space()
        self.pos += 1  # the opening bracket
        index = 0
        while True:
            self.skip_space()
            self.start, self.too_large = self.pos, False
            location = ItemLocation(self.path, index, line=self.line_at(self.pos))
            if index == 0 and self.buffer[self.pos : self.pos + 1] == b"]":
                self.pos += 1
                yield _no_records(self.path)
                break
            end = self.quick_end()
            if end is None:
                end = self.item_end()
            if end is None:  # unfinished, or brackets that do not match: nothing after is sure
                yield Item(location, None, Problem("json.invalid"))
                return
            text = self.buffer[self.start : end].strip(_WHITESPACE)
            if self.too_large:
                yield Item(location, None, Problem("input.too_large"))
            else:  # an empty item, as in [1,,2] or [1,], is not JSON
                yield Item(location, text or None, None if text else Problem("json.invalid"))
            index += 1
            if self.buffer[end] == ord("]"):
                break
        self.skip_space()
        if self.pos < len(self.buffer):  # text after the array
            yield Item(Location(self.path), None, Problem("json.invalid"), record=False)

    def quick_end(self) -> int | None:
        """The end of the item at `start` found in one match, or None (then it is scanned)."""
        end = _ITEM.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
        if end - self.start > jsontext.MAX_RECORD_BYTES or end >= len(self.buffer):
            return None
        if self.buffer[end] not in (ord(","), ord("]")):
            return None
        self.pos = end + 1
        return end

    def item_end(self) -> int | None:
        """Scan the item at `start`; the position of the comma or bracket that ends it.

        Leaves `pos` after that comma or bracket; None when the text ends
        first or its brackets do not match.
        """
        opened: list[int] = []
        while True:
            if self.pos - self.start > jsontext.MAX_RECORD_BYTES:
                self.too_large = True  # scan on, but stop keeping the text
            if self.in_string:  # in a string the buffer did not finish
                self.pos = _STRING_REST.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
                if self.buffer.startswith(b'"', self.pos):
                    self.in_string, self.pos = False, self.pos + 1
                    continue
            else:
                pattern = _INSIDE if opened else _BETWEEN
                self.pos = pattern.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
                if self.buffer.startswith(b'"', self.pos):
                    self.in_string, self.pos = True, self.pos + 1
                    continue
            if self.in_string or self.pos >= len(self.buffer):
                if not self.more():
                    self.in_string = False
                    return None
                continue
            char = self.buffer[self.pos]
            self.pos += 1
            if char in (ord("["), ord("{")):
                opened.append(char)
            elif char in _CLOSING:
                if not opened:
                    return self.pos - 1 if char == ord("]") else None
                if opened.pop() != _CLOSING[char]:
                    return None
            else:  # a comma between items
                return self.pos - 1


def _array(path: str, head: bytes, stream: IO[bytes]) -> Iterator[Item]:
    yield from _Splitter(path, stream, head).items()

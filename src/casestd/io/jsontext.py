"""Parse the JSON text of one record into Python values, strictly and within limits.

`parse` reads UTF-8 JSON (a leading byte order mark is allowed) with jiter, the
parser inside pydantic, and reports what makes the text unusable as a
`Problem`: empty, not UTF-8, not JSON, nested too deeply, larger than the
limit. Following I-JSON (RFC 7493), an object that names a key twice is a
problem too (``json.duplicate_key``); the value is still returned (the last
occurrence wins, as in most parsers) so that the rest of the record can be
checked. Integers too long for any parser to hold exactly are kept as a
stand-in of the same sign beyond every bound of the standard, so that they
are reported like any other out-of-range number, however many digits they
have.

A problem never quotes the input: it names a rule, a location and
parameters such as a line and column.
"""

from __future__ import annotations

import codecs
import functools
import json
import re
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any, Literal, NamedTuple

import attrs
import jiter

#: Largest JSON text accepted for one record, in bytes.
MAX_RECORD_BYTES = 16 * 1024 * 1024
#: Stand-in for an integer with more digits than `MAX_INT_DIGITS`: larger than any
#: bound of the standard, and still convertible to a float.
HUGE_INT = 10**300
#: Integers with more digits than this are read as `HUGE_INT` (Python's own limit).
MAX_INT_DIGITS = 4300
BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n"
_POSITION = re.compile(r"at line (\d+) column (\d+)")

Location = tuple[int | str, ...]


@attrs.frozen
class Problem:
    """Why JSON text cannot be used as it is: a rule id, where, and message parameters."""

    rule: str
    path: Location = ()
    params: Mapping[str, str | int] = attrs.field(factory=dict, repr=False)
    severity: Literal["error", "warning"] = "error"


class Parsed(NamedTuple):
    """The parsed value (None when there is none) and the problems found on the way."""

    value: Any
    problems: tuple[Problem, ...] = ()

    def __repr__(self) -> str:  # the value may hold personal data
        return f"Parsed(problems={self.problems!r})"


def strip_bom(data: bytes) -> bytes:
    """``data`` without a leading UTF-8 byte order mark.

    >>> strip_bom(b"\\xef\\xbb\\xbf{}")
    b'{}'
    """
    return data[len(BOM) :] if data.startswith(BOM) else data


def encoding_problem(data: bytes) -> Problem:
    """``input.encoding`` for bytes that are not UTF-8, naming the encoding when it is clear."""
    guess = guess_encoding(data)
    return Problem("input.encoding", (), {"encoding": guess} if guess else {})


@functools.cache
def likely_encodings() -> tuple[str, ...]:
    """The encodings other than UTF-8 that files in this setting come in (``encodings.json``)."""
    text = resources.files("casestd.io").joinpath("encodings.json").read_text("utf-8")
    return tuple(json.loads(text)["likely"])


def guess_encoding(data: bytes) -> str | None:
    """The name of the encoding ``data`` seems to be in, as people know it, or None.

    Only the `likely_encodings` are considered, so that a short record is not
    said to look like an encoding no one in this setting uses.

    >>> guess_encoding("Ереван, улица Абовяна, дом двенадцать".encode("cp1251"))
    'Windows-1251'
    >>> guess_encoding('{"given": "Армен"}'.encode("koi8_r"))
    'KOI8-R'
    """
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer is a dependency
        return None
    candidates = ["ascii", "utf_8", *likely_encodings()]
    best = from_bytes(data[: 64 * 1024], cp_isolation=candidates).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return None
    return display_name(best.encoding)


def display_name(codec: str) -> str:
    """A codec's name as its users write it.

    >>> display_name("cp1251"), display_name("iso8859_5"), display_name("mac_cyrillic")
    ('Windows-1251', 'ISO-8859-5', 'MAC-CYRILLIC')
    """
    name = codecs.lookup(codec).name
    if name.startswith("cp125"):
        return "Windows-" + name[2:]
    if name.startswith("iso8859-"):
        return "ISO-8859-" + name.split("-", 1)[1]
    return name.upper()


def is_blank(data: bytes) -> bool:
    """True for text that holds nothing but whitespace (and perhaps a byte order mark)."""
    return not strip_bom(data).strip(_WHITESPACE)


def loads(data: bytes) -> Any:
    """jiter's parse as casestd uses it; raises ValueError for anything `parse` reports.

    jiter caches the keys (records repeat them), not the values (records hardly repeat
    one); its cache has a fixed size.
    """
    return jiter.from_json(data, allow_inf_nan=False, catch_duplicate_keys=True, cache_mode="keys")


def parse(data: bytes | bytearray | str) -> Parsed:
    """Parse the JSON text of one record; see the module's documentation."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    data = strip_bom(bytes(data))
    if len(data) > MAX_RECORD_BYTES:
        return Parsed(None, (Problem("input.too_large"),))
    try:
        return Parsed(loads(data))
    except ValueError as error:
        reason = str(error)
    if reason.startswith(("Detected duplicate key", "number out of range")):
        return _parse_slowly(data)
    return Parsed(None, (_problem(data, reason),))


def _problem(data: bytes, reason: str) -> Problem:
    if "recursion limit" in reason:
        return Problem("json.too_deep")
    if is_blank(data):
        return Problem("input.empty")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return encoding_problem(data)
    found = _POSITION.search(reason)
    where = {"line": int(found[1]), "column": int(found[2])} if found else {}
    return Problem("json.invalid", (), where)


class _Repeated(dict[str, Any]):
    """An object read from text that named some of its keys more than once."""

    repeated: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    repeated = _Repeated(value)
    seen: set[str] = set()
    repeated.repeated = []
    for key, _ in pairs:
        if key in seen and key not in repeated.repeated:
            repeated.repeated.append(key)
        seen.add(key)
    return repeated


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) <= MAX_INT_DIGITS:
        return int(digits)
    return -HUGE_INT if digits.startswith("-") else HUGE_INT


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_slowly(data: bytes) -> Parsed:
    """Python's parser, for the rare text with repeated keys or enormous integers."""
    try:
        value = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_pairs,
            parse_int=_integer,
            parse_constant=_reject_constant,
        )
    except RecursionError:
        return Parsed(None, (Problem("json.too_deep"),))
    except ValueError as error:  # UnicodeDecodeError included
        return Parsed(None, (_problem(data, str(error)),))
    problems = [
        Problem("json.duplicate_key", path, {"key": key})
        for path, node in _repeated_objects(value, ())
        for key in node.repeated
    ]
    return Parsed(_plain(value), tuple(problems))


def _repeated_objects(value: Any, path: Location) -> Iterator[tuple[Location, _Repeated]]:
    # nesting is at most as deep as Python's parser allowed, well under the recursion limit
    if isinstance(value, _Repeated):
        yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _repeated_objects(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _repeated_objects(item, (*path, index))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value

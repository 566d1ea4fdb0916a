"""Reading records: JSON Lines, streamed arrays, single documents, and where each record is."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jiter
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casestd.io import jsontext, records
from casestd.io.location import ItemLocation, LineLocation, Location

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab,[]{}"\\ \n\u0531'),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet='k"[],{}\\', max_size=3), inner, max_size=4)
    ),
    max_leaves=12,
)


def read(tmp_path: Path, content: bytes, name: str = "x.json") -> list[records.Item]:
    path = tmp_path / name
    path.write_bytes(content)
    return list(records.read_records(str(path)))


def summary(items: list[records.Item]) -> list[tuple[str, bytes | None, str | None]]:
    return [
        (str(i.location).rsplit("/", 1)[-1], i.data, i.problem.rule if i.problem else None)
        for i in items
    ]


def test_a_broken_first_line_is_one_finding_and_the_rest_is_read(tmp_path: Path) -> None:
    items = read(tmp_path, b'{"a":\n{"b":1}\n')
    assert summary(items) == [("x.json:1", b'{"a":', None), ("x.json:2", b'{"b":1}', None)]


def test_many_lines_after_a_broken_first_line_are_all_read(tmp_path: Path) -> None:
    lines = [b'{"id": '] + [b'{"n": %d}' % i for i in range(10_000)]
    items = read(tmp_path, b"\n".join(lines))
    assert len(items) == 10_001 and items[-1].location == LineLocation(
        items[0].location.file, 10_001
    )


def test_lines_are_located_by_line_number_with_blank_lines(tmp_path: Path) -> None:
    content = b"\n".join([b'{"a": 1}', b"", b"  ", b'{"a": 2}'] + [b""] * 9 + [b"[1]"])
    items = read(tmp_path, content, "x.jsonl")
    assert [i.location.to_dict()["line"] for i in items] == [1, 4, 14]
    assert str(items[-1].location).endswith("x.jsonl:14")


@pytest.mark.parametrize("name", ["x.jsonl", "x.NDJSON"])
def test_the_extension_says_json_lines(tmp_path: Path, name: str) -> None:
    # a pretty-printed object in a .jsonl file is read as lines, each broken
    items = read(tmp_path, b'{\n  "a": 1\n}\n', name)
    assert [str(i.location).rsplit(":", 1)[-1] for i in items] == ["1", "2", "3"]


def test_a_pretty_printed_document_stays_one_document(tmp_path: Path) -> None:
    text = json.dumps({"a": {"b": [1, 2]}, "c": "d"}, indent=2).encode()
    (item,) = read(tmp_path, text)
    assert item.location == ItemLocation(item.location.file, 0, line=1) and item.data == text
    (broken,) = read(tmp_path, text[:-3])
    assert broken.data == text[:-3]  # one document, broken: validation says where


def test_one_object_on_one_line_is_a_document(tmp_path: Path) -> None:
    (item,) = read(tmp_path, b'\n\n{"a": 1}\n\n')
    assert str(item.location).endswith("#0") and item.location.to_dict()["line"] == 3


def test_array_items_are_located_by_index_and_line(tmp_path: Path) -> None:
    content = b'[\n  {"a": "x,]}\\"{"},\n  {"b": [1, {"c": 2}]},\n  3\n]\n'
    items = read(tmp_path, content)
    assert summary(items) == [
        ("x.json#0", b'{"a": "x,]}\\"{"}', None),
        ("x.json#1", b'{"b": [1, {"c": 2}]}', None),
        ("x.json#2", b"3", None),
    ]
    assert [i.location.to_dict()["line"] for i in items] == [2, 3, 4]


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (b"[]", [None]),
        (b" [ \n ] ", [None]),
        (b"[1,,2]", [b"1", None, b"2"]),
        (b"[1,]", [b"1", None]),
        (b'[{"a": 1}, {"b": oops}, {"c": 3}]', [b'{"a": 1}', b'{"b": oops}', b'{"c": 3}']),
        (b'[{"a": [1}], {"b": 2}]', [b'{"a": [1}]', b'{"b": 2}']),  # jiter rejects the first
        (b'[{"a": "unfinished', [None]),
        (b"[1] trailing", [b"1", None]),
    ],
)
def test_broken_arrays(tmp_path: Path, content: bytes, found: list[bytes | None]) -> None:
    items = read(tmp_path, content)
    assert [i.data for i in items] == found
    assert all((i.problem is None) == (i.data is not None) for i in items)


@settings(max_examples=200, deadline=None)
@given(st.lists(JSON, max_size=6), st.sampled_from([None, 0, 2]), st.integers(1, 7))
def test_array_items_are_the_items_of_the_array(
    items: list[Any], indent: int | None, chunk: int
) -> None:
    text = json.dumps(items, indent=indent, ensure_ascii=False).encode()
    original = records._CHUNK
    records._CHUNK = chunk  # items across many chunk boundaries
    try:
        found = list(records._Splitter("x", io.BytesIO(text), b"").items())
    finally:
        records._CHUNK = original
    found = [i for i in found if i.record]  # an empty array is one warning
    assert [jiter.from_json(i.data or b"null") for i in found] == items
    assert all(i.problem is None for i in found)


def test_an_array_is_read_as_a_stream(tmp_path: Path) -> None:
    item = json.dumps({"names": [{"given": "x" * 100}]}).encode()
    stream = io.BytesIO(b"[" + b",".join([item] * 100_000) + b"]")  # about 13 MB
    reader = records._Splitter("x", stream, b"").items()
    next(reader)
    assert stream.tell() <= 2 * records._CHUNK
    assert sum(1 for _ in reader) == 99_999


def test_an_oversized_array_item_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsontext, "MAX_RECORD_BYTES", 1000)
    content = b'[{"a": 1}, {"b": "' + b"x" * 5000 + b'"}, {"c": 3}]'
    assert [i.problem and i.problem.rule for i in read(tmp_path, content)] == [
        None,
        "input.too_large",
        None,
    ]


@pytest.mark.parametrize("name", ["x.json", "x.txt", "x.jsonl"])
def test_an_oversized_first_line_does_not_hide_the_lines_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setattr(jsontext, "MAX_RECORD_BYTES", 1000)
    huge = b'{"names": [' + b",".join([b"0"] * 3000) + b"]}"
    content = b"\n".join([huge, b'{"a": 1}', b"", b'{"b": 2}']) + b"\n"
    assert summary(read(tmp_path, content, name)) == [
        (f"{name}:1", None, "input.too_large"),
        (f"{name}:2", b'{"a": 1}', None),
        (f"{name}:4", b'{"b": 2}', None),
    ]


def test_an_oversized_first_line_of_one_document_is_one_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsontext, "MAX_RECORD_BYTES", 1000)
    huge = b'{"names": [' + b",".join([b"0"] * 3000) + b","
    for content in (huge, huge + b'\n  "x",\n  "y"]}\n'):
        assert summary(read(tmp_path, content)) == [("x.json#0", None, "input.too_large")]


def test_unreadable_inputs_are_items_that_are_not_records(tmp_path: Path) -> None:
    (missing,) = records.read_records(str(tmp_path / "nope.json"))
    (folder,) = records.read_records(str(tmp_path))
    (empty,) = read(tmp_path, b"\xef\xbb\xbf  \n")
    (no_lines,) = read(tmp_path, b"\n\n", "x.jsonl")
    found = [(i.problem and i.problem.rule, i.record) for i in (missing, folder, empty, no_lines)]
    assert found == [
        ("input.missing", False),
        ("input.unreadable", False),
        ("input.empty", False),
        ("input.no_records", False),
    ]
    assert missing.location == Location(str(tmp_path / "nope.json"))
    assert no_lines.problem is not None and no_lines.problem.severity == "warning"


def test_a_line_in_another_encoding(tmp_path: Path) -> None:
    line = json.dumps({"street": "улица Абовяна, дом двенадцать"}, ensure_ascii=False)
    content = b'{"a": 1}\n' + line.encode("cp1251") + b"\n" + line.encode("utf-8") + b"\n"
    items = read(tmp_path, content)
    assert [i.problem and i.problem.rule for i in items] == [None, "input.encoding", None]


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=200)
    | st.lists(st.sampled_from([b"[", b"]", b"{", b"}", b'"', b"\\", b",", b"\n", b"1", b" "])).map(
        b"".join
    ),
    st.sampled_from(["x.json", "x.jsonl", "-"]),
)
def test_any_bytes_are_read_without_raising(content: bytes, name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("x.json" if name == "-" else name)
        path.write_bytes(content)
        items = list(records.read_records(str(path)))
    assert items, "every input gives at least one item"
    for item in items:
        assert (item.data is None) != (item.problem is None) or not item.record
        assert item.location.file == str(path)

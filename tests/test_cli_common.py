"""`casestd.cli.common`: reading records in shares for several processes."""

from __future__ import annotations

import json
from pathlib import Path

from casestd.cli.common import RecordReader

CHILD = json.loads((Path(__file__).parent / "data" / "child.json").read_text())


def _lines(path: Path, count: int) -> str:
    lines = [json.dumps(CHILD) if i % 3 else "{broken" for i in range(count)]
    lines.insert(4, "")  # a blank line is no record
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return str(path)


def _seen(reader: RecordReader, files: list[str]) -> list[tuple[str, bool, tuple[str, ...]]]:
    return [
        (str(r.source), r.record, tuple(f.rule for f in r.report.findings))
        for r in reader.results(files)
    ]


def test_shares_cover_every_record_once_with_the_same_results(tmp_path: Path) -> None:
    files = [_lines(tmp_path / "a.jsonl", 11), str(tmp_path / "missing.jsonl")]
    (tmp_path / "b.jsonl").write_text("\n\n", "utf-8")
    files.append(str(tmp_path / "b.jsonl"))
    entities = dict.fromkeys(files, "child")
    whole = _seen(RecordReader(entities, "en"), files)
    parts = [_seen(RecordReader(entities, "en", share=(k, 3)), files) for k in range(3)]
    assert sorted(whole) == sorted(item for part in parts for item in part)
    assert len(whole) == 11 + 2  # the records, the missing file, the file without records
    whole_files = [item for item in whole if not item[1]]
    assert [item for item in parts[0] if not item[1]] == whole_files
    assert all(item[1] for part in parts[1:] for item in part)  # files as a whole: share 0
    lines = [int(source.rsplit(":", 1)[1]) for source, record, _ in parts[1] if record]
    assert lines == [2, 6, 9, 12]  # the 2nd, 5th, 8th, 11th record, line numbers kept

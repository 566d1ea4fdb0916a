"""docs/exchange.md: its Python and shell blocks run as written, in order, in an empty folder."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from casestd.cli import main

DOC = Path(__file__).resolve().parent.parent / "docs" / "exchange.md"
_BLOCK = re.compile(r"^```(python|sh)\n(.*?)^```", re.S | re.M)


def test_every_block_of_docs_exchange_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pycanon")
    blocks = _BLOCK.findall(DOC.read_text("utf-8"))
    assert [kind for kind, _ in blocks].count("sh") >= 3
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "docs"}
    for number, (kind, text) in enumerate(blocks, 1):
        if kind == "python":
            exec(compile(text, f"docs/exchange.md block {number}", "exec"), namespace)
            continue
        for line in text.strip().splitlines():
            words = shlex.split(line, comments=True)
            assert words[0] == "casestd", line
            assert main(words[1:]) == 0, line  # the generated victims are all valid
    capsys.readouterr()
    victims = (tmp_path / "trafficking_victim.jsonl").read_text("utf-8").splitlines()
    back = (tmp_path / "records" / "trafficking_victim.jsonl").read_text("utf-8").splitlines()
    assert len(back) == len(victims) == 900  # every victim read back, valid
    assert {json.loads(line)["id"] for line in back} == {json.loads(v)["id"] for v in victims}
    assert (tmp_path / "htcds.events.csv").is_file() and (tmp_path / "ctdc-4.csv").is_file()

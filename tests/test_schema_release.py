"""Cutting releases: version checks against the diff, files, changelog and the CLI."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import attrs
import pytest

from casestd import cli, codes
from casestd.codes import registry
from casestd.codes.codelist import Code, CodeList
from casestd.schema.cutting import (
    FIRST_RELEASE,
    Plan,
    changelog_section,
    cut_release,
    insert_section,
    plan_release,
)
from casestd.schema.diff import change, diff
from casestd.schema.release import ReleaseError, current, load, verify

CHANGELOG = """# Changelog

All notable changes are recorded here.

## [Unreleased]

### Added

- Something not released yet.

## [0.1.0] - 2024-01-01

- The package.
"""
DAY = datetime.date(2025, 3, 1)


def use_lists(monkeypatch: pytest.MonkeyPatch, edited: dict[str, CodeList]) -> None:
    """Make ``casestd.codes.get`` (read by the export and the release) return edited lists."""

    def get(list_id: str) -> CodeList:
        return edited.get(list_id) or registry.get(list_id)

    monkeypatch.setattr(codes, "get", get)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_release_cycle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, log = tmp_path / "schemas", tmp_path / "CHANGELOG.md"
    log.write_text(CHANGELOG, "utf-8")

    first = cut_release("1.0.0", root, log, today=DAY)
    assert (first.previous, first.changes) == (None, ())
    with pytest.raises(ReleaseError, match="nothing changed"):
        plan_release("1.0.1", root)

    # additive: a new code
    sex = registry.get("sex")
    labels = {"en": "Intersex", "hy": "Ինտերսեքս", "ru": "Интерсекс"}
    added = attrs.evolve(sex, codes={**sex.codes, "intersex": Code("intersex", labels)})
    use_lists(monkeypatch, {"sex": added})
    with pytest.raises(ReleaseError, match="not greater"):
        plan_release("1.0.0", root)
    with pytest.raises(ReleaseError, match=r"need a minor release, 1\.1\.0 or later"):
        plan_release("1.0.1", root)
    assert plan_release("2.0.0", root).bump == "minor"
    minor = cut_release("1.1.0", root, log, today=DAY)
    assert [(c.kind, c.entity, c.breaking) for c in minor.changes] == [("code_added", "sex", False)]

    # breaking: a code removed
    removed = attrs.evolve(added, codes={k: v for k, v in added.codes.items() if k != "other"})
    use_lists(monkeypatch, {"sex": removed})
    with pytest.raises(ReleaseError, match=r"need a major release, 2\.0\.0 or later"):
        plan_release("1.2.0", root)
    major = cut_release("2.0.0", root, log, today=DAY)
    assert (major.previous, major.bump) == ("1.1.0", "major")
    assert diff(load(root / "2.0.0"), current()) == []  # written = what was compared

    for version in ("1.0.0", "1.1.0", "2.0.0"):
        assert verify(root / version) == []
        assert load(root / version).version == version

    text = log.read_text("utf-8")
    headings = [
        "## [Unreleased]",
        "- Something not released yet.",
        "## [Standard 2.0.0] - 2025-03-01",
        "### Breaking",
        "- code list `sex`: code 'other' removed (code_removed)",
        "## [Standard 1.1.0] - 2025-03-01",
        "### Added",
        "- code list `sex`: code 'intersex' added (code_added)",
        "## [Standard 1.0.0] - 2025-03-01",
        FIRST_RELEASE,
        "## [0.1.0] - 2024-01-01",
    ]
    position = 0
    for line in headings:  # each in order, after the one before
        position = text.index(line, position)
    assert text.count("## [Standard ") == 3
    assert "\n\n\n" not in text

    status, out, _ = run(capsys, "schema", "diff", str(root / "1.0.0"), str(root / "1.1.0"))
    assert status == 0
    assert out.splitlines() == [
        "ok       code_added sex sex: code 'intersex' added",
        "required bump: minor (1.0.0 -> 1.1.0)",
    ]
    status, out, _ = run(capsys, "schema", "diff", str(root / "1.1.0"), str(root / "2.0.0"))
    assert status == 1
    assert out.startswith("BREAKING code_removed sex sex: code 'other' removed\n")
    assert out.endswith("required bump: major (1.1.0 -> 2.0.0)\n")
    args = ("schema", "diff", "--format", "json", str(root / "1.1.0"), str(root / "2.0.0"))
    status, out, _ = run(capsys, *args)
    document = json.loads(out)
    assert status == 1
    assert (document["old"], document["new"], document["bump"]) == ("1.1.0", "2.0.0", "major")
    assert document["breaking"] is True
    assert document["changes"][0]["kind"] == "code_removed"
    status, out, _ = run(capsys, "schema", "diff", "--format", "json", "current", "current")
    assert status == 0
    assert json.loads(out)["changes"] == []


def test_release_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, log = tmp_path / "schemas", tmp_path / "CHANGELOG.md"
    args = ("--root", str(root), "--changelog", str(log))
    status, out, err = run(capsys, "schema", "release", "1.0.0", *args)
    assert (status, err) == (0, "")
    assert "released 1.0.0" in out
    assert verify(root / "1.0.0") == []
    assert log.read_text("utf-8").startswith("# Changelog\n\n## [Standard 1.0.0] - ")
    for version, reason in (("1.0.0", "not greater"), ("1.1", "MAJOR.MINOR.PATCH")):
        status, out, err = run(capsys, "schema", "release", version, *args)
        assert status == 2 and out == ""
        assert reason in err and err.count("\n") == 1
    status, _, err = run(capsys, "schema", "release", "1.0.1", *args)
    assert status == 2 and "nothing changed" in err


def test_unreadable_release_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "schema", "diff", str(tmp_path / "missing"), "current")
    assert status == 2 and out == ""
    assert err.startswith("casestd: error: ") and err.count("\n") == 1


def test_section_goes_after_the_intro_without_unreleased() -> None:
    text = "# Changelog\n\nIntro.\n\n## [0.1.0] - 2024-01-01\n\n- Old.\n\n[0.1.0]: https://x\n"
    assert insert_section(text, "## [Standard 1.0.0]\n") == (
        "# Changelog\n\nIntro.\n\n## [Standard 1.0.0]\n\n## [0.1.0] - 2024-01-01\n\n- Old.\n\n"
        "[0.1.0]: https://x\n"
    )
    assert insert_section("# Changelog\n", "## [Standard 1.0.0]\n") == (
        "# Changelog\n\n## [Standard 1.0.0]\n"
    )
    assert insert_section("# Log\n\n## [Unreleased]\n\n[Unreleased]: https://x\n", "## S\n") == (
        "# Log\n\n## [Unreleased]\n\n## S\n\n[Unreleased]: https://x\n"
    )


def test_changelog_groups_in_order() -> None:
    changes = (
        change("label_changed", "sex", "sex", "title changed"),
        change("code_deprecated", "sex", "sex", "code 'other' deprecated"),
        change("property_added", "child", "/nickname", "property added", False),
        change("required_added", "child", "/contacts", "now required"),
    )
    section = changelog_section(Plan("2.0.0", "1.0.0", changes, "major", "2.0.0"), DAY)
    assert section.splitlines() == [
        "## [Standard 2.0.0] - 2025-03-01",
        "",
        "### Breaking",
        "",
        "- `child` `/contacts`: now required (required_added)",
        "",
        "### Added",
        "",
        "- `child` `/nickname`: property added (property_added)",
        "",
        "### Deprecated",
        "",
        "- code list `sex`: code 'other' deprecated (code_deprecated)",
        "",
        "### Changed",
        "",
        "- code list `sex`: title changed (label_changed)",
    ]


def test_many_changes_of_one_kind_in_one_list_make_one_line() -> None:
    removed = tuple(
        change("code_removed", "language", "language", f"code 'a{n:02}' removed") for n in range(40)
    )
    few = (change("code_removed", "sex", "sex", "code 'other' removed"),)
    section = changelog_section(Plan("2.0.0", "1.0.0", removed + few, "major", "2.0.0"), DAY)
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert lines == [
        "- code list `language`: 40 changes, e.g. code 'a00' removed; code 'a01' removed; "
        "code 'a02' removed; `casestd schema diff` lists them all (code_removed)",
        "- code list `sex`: code 'other' removed (code_removed)",
    ]

"""Published releases never change, and the current models match the release they name."""

from __future__ import annotations

from pathlib import Path

import pytest

import casestd
from casestd.schema.release import load, release_files, releases, verify

ROOT = Path(__file__).resolve().parent.parent / "schemas"
RELEASES = releases(ROOT)


def test_the_first_release_exists() -> None:
    assert "1.0.0" in RELEASES


@pytest.mark.parametrize("version", RELEASES)
def test_release_files_match_their_manifest(version: str) -> None:
    assert verify(ROOT / version) == []


def test_current_models_match_the_release_of_standard_version() -> None:
    """Change a model, code list or rule and this fails: cut a new release instead."""
    folder = ROOT / casestd.STANDARD_VERSION
    assert folder.is_dir(), f"no release folder for STANDARD_VERSION {casestd.STANDARD_VERSION}"
    expected = release_files(casestd.STANDARD_VERSION)
    stale = sorted(
        path
        for path, text in expected.items()
        if not (folder / path).is_file() or (folder / path).read_text("utf-8") != text
    )
    assert stale == [], "the models differ from the published release; cut a new one"


#: The most a release may weigh, all its files together but the fixtures of the rules (1.0.0,
#: before the split, was 7.5 MB): what a system that reads the schemas and code lists fetches.
MAX_RELEASE_BYTES = 1_500_000
#: The most the fixtures of the rules (rules/ and rule-tests.json) may weigh: test material.
MAX_RULE_KIT_BYTES = 800_000


def _is_rule_kit(path: str) -> bool:
    return path.startswith("rules/") or path == "rule-tests.json"


@pytest.mark.parametrize("version", [v for v in RELEASES if int(v.split(".")[0]) >= 2])
def test_release_is_under_the_size_limit(version: str) -> None:
    folder = ROOT / version
    sizes = {
        path.relative_to(folder).as_posix(): path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file()
    }
    assert sum(n for p, n in sizes.items() if not _is_rule_kit(p)) < MAX_RELEASE_BYTES
    assert sum(n for p, n in sizes.items() if _is_rule_kit(p)) < MAX_RULE_KIT_BYTES


def test_current_models_make_a_release_under_the_size_limit() -> None:
    files = release_files(casestd.STANDARD_VERSION)
    sizes = {path: len(text.encode("utf-8")) for path, text in files.items()}
    assert sum(n for p, n in sizes.items() if not _is_rule_kit(p)) < MAX_RELEASE_BYTES
    assert sum(n for p, n in sizes.items() if _is_rule_kit(p)) < MAX_RULE_KIT_BYTES
    assert "codes.schema.json" in files


def test_a_release_loads_like_current() -> None:
    published = load(ROOT / casestd.STANDARD_VERSION)
    now = load("current")
    assert published.version == now.version
    assert published.entities == now.entities
    assert published.code_lists == now.code_lists


def test_verify_notices_a_changed_file(tmp_path: Path) -> None:
    from casestd.schema.release import write_release

    folder = write_release(tmp_path, "9.9.9")
    assert verify(folder) == []
    target = folder / "codes" / "sex.csv"
    target.write_text(target.read_text("utf-8") + "x\n", "utf-8")
    (folder / "extra.json").write_text("{}", "utf-8")
    (folder / "codes" / "sex.json").unlink()
    assert sorted(verify(folder)) == [
        "codes/sex.csv (changed)",
        "codes/sex.json (missing)",
        "extra.json",
    ]


def test_releases_after_2_0_0_hold_the_indicator_catalogue() -> None:
    import json

    from casestd.indicators import catalogue
    from casestd.schema.release import CATALOGUE_FILE, holds_catalogue

    later = release_files("2.1.0")
    published = json.loads(later[CATALOGUE_FILE])
    assert published["version"] == catalogue.version()
    assert [i["id"] for i in published["indicators"]] == catalogue.ids()
    assert CATALOGUE_FILE in json.loads(later["manifest.json"])["files"]
    for version in ("1.0.0", "2.0.0"):
        assert not holds_catalogue(version) and CATALOGUE_FILE not in release_files(version)


def test_releases_after_2_0_0_hold_the_rules_fixtures() -> None:
    import json

    from casestd.rules.fixtures import KIT, fixtures
    from casestd.schema.release import holds_rule_kit

    later = release_files("2.1.0")
    kit = json.loads(later[KIT])
    assert kit["standard_version"] == "2.1.0" and len(kit["tests"]) == len(fixtures())
    assert sum(1 for path in later if path.startswith("rules/")) == len(fixtures())
    assert {KIT, fixtures()[0].file} <= set(json.loads(later["manifest.json"])["files"])
    for version in ("1.0.0", "2.0.0"):
        assert not holds_rule_kit(version) and KIT not in release_files(version)

"""The generated country and language lists are what pycountry and CLDR (Babel) give."""

from __future__ import annotations

import pytest

from casestd.codes import generate


def test_generated_lists_are_up_to_date() -> None:
    """Fails after a pycountry or Babel upgrade: run ``python -m casestd.codes.generate``."""
    stale = [
        path.name
        for path, text in generate.files().items()
        if not path.exists() or path.read_text("utf-8") != text
    ]
    assert stale == []
    assert generate.main(["--check"]) == 0


def test_check_reports_a_stale_file(monkeypatch: pytest.MonkeyPatch) -> None:
    real = generate.files()
    first = next(iter(real))
    monkeypatch.setattr(generate, "files", lambda: {**real, first: real[first] + " "})
    assert generate.main(["--check"]) == 1


def test_labels_come_from_cldr_with_curated_gaps() -> None:
    languages = generate.languages()
    assert languages.label("hye", "ru") == "армянский"  # CLDR
    assert languages.label("kmr", "hy") == "քրդերեն (քուրմանջի)"  # curated: CLDR has none
    assert "cldr" in languages.sources
    countries = generate.countries()
    assert countries.label("GE", "hy") == "Վրաստան"
    assert countries.codes["GB"].source_codes["primero"] == "uk"

"""The data dictionary: labels for every field, the generated pages, docs/dictionary kept fresh."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest
from pydantic import BaseModel

from casestd import ENTITIES, codes
from casestd.dictionary import build, check, field_labels, pages
from casestd.dictionary.__main__ import main
from casestd.dictionary.fields import models_from
from casestd.model.child import Child
from casestd.rules import rules_for
from casestd.rules.messages import catalogue

DOCS = Path(__file__).resolve().parents[1] / "docs" / "dictionary"
ARMENIAN = re.compile("[\u0531-\u058f]")
CYRILLIC = re.compile("[\u0400-\u04ff]")


def all_models() -> list[type[BaseModel]]:
    """Every model reached from the six entities, once each."""
    found: dict[type[BaseModel], None] = {}
    for root in ENTITIES.values():
        found.update(dict.fromkeys(models_from(root)))
    return list(found)


def section(page: str, heading: str) -> str:
    """The part of a page from the heading that starts with ``heading`` to the next one."""
    parts = re.split(r"^#+ ", page, flags=re.MULTILINE)
    matches = [part for part in parts if part.startswith(heading)]
    assert len(matches) == 1, heading
    return matches[0]


def row(text: str, field: str) -> str:
    """The table row of ``field`` in a section."""
    rows = [line for line in text.splitlines() if line.startswith(f"| `{field}` |")]
    assert len(rows) == 1, field
    return rows[0]


def test_docs_dictionary_is_up_to_date() -> None:
    stale = check(DOCS)
    assert stale == [], "docs/dictionary is stale: run `python -m casestd.dictionary`"


def test_every_model_and_field_has_hy_and_ru_labels() -> None:
    labels = field_labels()
    models = all_models()
    assert len(models) >= 20
    missing = []
    for model in models:
        for key in [model.__name__, *(f"{model.__name__}.{name}" for name in model.model_fields)]:
            entry = labels.get(key, {})
            if not ARMENIAN.search(entry.get("hy", "")) or not CYRILLIC.search(entry.get("ru", "")):
                missing.append(key)
    assert missing == []


def test_no_label_names_a_field_that_does_not_exist() -> None:
    fields = {model.__name__: set(model.model_fields) for model in all_models()}
    unknown = []
    for key, entry in field_labels().items():
        model, _, field = key.partition(".")
        if model not in fields or (field and field not in fields[model]):
            unknown.append(key)
        assert set(entry) == {"hy", "ru"}, key
    assert unknown == []


def test_labels_are_marked_draft() -> None:
    text = resources.files("casestd.model").joinpath("field_labels.json").read_text("utf-8")
    assert json.loads(text)["_status"] == "draft"


def test_child_page_lists_fields_personal_data_code_lists_and_rules() -> None:
    page = pages(("en",))["en/entities/child.md"]
    child = section(page, "Child (`Child`)")
    for name in Child.model_fields:
        row(child, name)
    assert "[`sex`](../codes/sex.md)" in row(child, "sex")
    assert row(child, "birth_date").startswith(
        "| `birth_date` | object [Partial date](#partialdate)"
    )
    assert row(child, "registration_date").startswith("| `registration_date` | date | yes |")
    names = section(page, "Person name (`PersonName`)")
    for name in ("given", "patronymic", "family", "other_names"):
        assert row(names, name).endswith("| yes |"), name
    assert row(names, "script").endswith("| no |")
    rules = section(page, "Rules")
    child_rules = rules_for("child")
    assert "child.adult_at_registration" in {r.id for r in child_rules}
    for rule in child_rules:
        assert f"| `{rule.id}` | {rule.severity} | " in rules, rule.id
    assert catalogue()["child.adult_at_registration"]["en"] in rules


def test_hy_pages_are_in_armenian() -> None:
    hy = pages()
    child = hy["hy/entities/child.md"]
    assert "**Ծննդյան ամսաթիվ** — Date of birth" in child
    assert "| `child.adult_at_registration` | սխալ | " in child
    assert catalogue()["child.adult_at_registration"]["hy"] in child
    assert "| `female` | Իգական | Female |" in hy["hy/codes/sex.md"]
    for path, text in hy.items():
        if path.startswith("hy/"):
            assert ARMENIAN.search(text.split("\n", 1)[0]), path  # the title


def test_ru_pages_are_in_russian() -> None:
    ru = pages()
    assert catalogue()["child.adult_at_registration"]["ru"] in ru["ru/entities/child.md"]
    assert "| `female` | Женский | Female |" in ru["ru/codes/sex.md"]
    for path, text in ru.items():
        if path.startswith("ru/"):
            assert CYRILLIC.search(text.split("\n", 1)[0]), path  # the title


def test_a_fallback_label_says_so() -> None:
    languages = codes.get("language")
    fallback = next(code for code in languages if "hy" in code.fallback)
    page = pages(("hy",))["hy/codes/language.md"]
    assert f"| `{fallback.code}` | {fallback.labels['en']} (անգլերեն" in page
    assert "| `hye` | հայերեն |" in page


def test_there_is_a_page_per_entity_and_code_list() -> None:
    names = set(pages())
    for lang in ("en", "hy", "ru"):
        assert f"{lang}/index.md" in names
        assert {f"{lang}/entities/{entity}.md" for entity in ENTITIES} <= names
        assert {f"{lang}/codes/{list_id}.md" for list_id in codes.ids()} <= names
    language = pages()["en/codes/language.md"]
    assert language.count("\n| `") == len(codes.get("language"))


def test_build_then_check_is_clean_and_edits_are_reported(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not the dictionary's\n", encoding="utf-8")
    written = build(tmp_path)
    assert tmp_path / "hy" / "codes" / "country.md" in written
    assert check(tmp_path) == []

    edited = tmp_path / "en" / "entities" / "child.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert check(tmp_path) == [str(edited)]

    missing = tmp_path / "hy" / "codes" / "sex.md"
    missing.unlink()
    extra = tmp_path / "en" / "codes" / "retired_list.md"
    extra.write_text("# gone\n", encoding="utf-8")
    assert check(tmp_path) == sorted([str(edited), str(missing), str(extra)])

    build(tmp_path)
    assert check(tmp_path) == []
    assert not extra.exists()
    assert notes.exists()


def test_command_builds_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # --rules too: by default the command writes docs/rules.md of the checkout, which
    # would hide a stale page from tests/test_dictionary_rules.py
    out = ["--out", str(tmp_path), "--lang", "en", "--rules", str(tmp_path / "rules.md")]
    assert main(out) == 0
    assert (tmp_path / "rules.md").is_file()
    assert main([*out, "--check"]) == 0
    (tmp_path / "en" / "index.md").write_text("stale\n", encoding="utf-8")
    assert main([*out, "--check"]) == 1
    assert "en/index.md" in capsys.readouterr().out


def test_the_indicator_page_describes_every_indicator_and_breakdown() -> None:
    from casestd.indicators import catalogue

    for lang in ("en", "hy", "ru"):
        page = pages((lang,))[f"{lang}/indicators.md"]
        for indicator in catalogue.indicators():
            assert f'<a id="{indicator.id}"></a>`{indicator.id}`' in page
            assert indicator.title(lang) in page
        for breakdown in catalogue.breakdowns():
            assert f'<a id="breakdown-{breakdown.id}"></a>' in page
        assert "(indicators.md)" in pages((lang,))[f"{lang}/index.md"]

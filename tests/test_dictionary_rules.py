"""docs/rules.md: every rule a user meets, with its messages and the input limits."""

from __future__ import annotations

import json
from pathlib import Path

import jiter
import pytest

import casestd
from casestd import rules
from casestd.dictionary import rules as page
from casestd.rules.messages import catalogue

ROOT = Path(__file__).resolve().parent.parent


def test_docs_rules_md_is_up_to_date() -> None:
    written = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert written == page.rules_page(), "regenerate with: python -m casestd.dictionary"


def test_every_rule_id_is_on_the_page_with_every_message() -> None:
    text = page.rules_page()
    for key, messages in catalogue().items():
        rule_id = key.split("/", 1)[0]
        assert f"### `{rule_id}`" in text, rule_id
        for lang in ("en", "hy", "ru"):
            assert messages[lang].split("{", 1)[0].strip() in text, (key, lang)


def test_every_rule_id_has_a_kind() -> None:
    data = json.loads((ROOT / "src/casestd/rules/input_rules.json").read_text("utf-8"))
    described = set(data["rules"]) | {r.id for r in rules.all_rules()}
    ids = {key.split("/", 1)[0] for key in catalogue()}
    assert {i for i in ids if not i.startswith("field.")} == described
    assert all(rule_id in ids for rule_id in data["rules"])


def test_rules_named_in_the_issue_are_documented() -> None:
    text = page.rules_page()
    for rule_id in ("field.code", "json.invalid", "input.too_large", "json.too_deep",
                    "field.unknown_unnamed", "json.duplicate_key", "report.truncated"):  # fmt: skip
        assert f"### `{rule_id}`" in text
    assert "16 MiB" in text


def test_the_nesting_limit_on_the_page_is_the_parsers() -> None:
    assert "200 levels" in page.limits()
    jiter.from_json(b"[" * 200 + b"]" * 200)
    with pytest.raises(ValueError, match="recursion"):
        jiter.from_json(b"[" * 300 + b"]" * 300)
    assert casestd.validate("child", "[" * 300 + "]" * 300).findings[0].rule == "json.too_deep"


def test_the_template_can_hold_more_sections() -> None:
    extra = {**page.SECTIONS}
    with pytest.raises(ValueError, match="differ"):
        page.rules_page({**extra, "cel_rules": lambda: "x"})
    extra.pop("limits")
    with pytest.raises(ValueError, match="differ"):
        page.rules_page(extra)

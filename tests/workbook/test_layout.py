"""The columns come from the models: every field has its column, a new field gets one."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from casestd.dictionary.fields import describe
from casestd.model.child import Child
from casestd.workbook import layout
from casestd.workbook.layout import _columns, _Place, sheet, sheets, template_id


def _leaf_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    found = set()
    for name, info in model.model_fields.items():
        doc = describe(name, info)
        if doc.model is not None:
            inner = prefix + name + (".0." if doc.many else ".")
            found |= _leaf_fields(doc.model, inner)
        else:
            found.add(prefix + name)
    return found


def test_every_field_of_every_sheet_has_a_column() -> None:
    for entry in sheets():
        paths = set(entry.paths)
        omitted = set(
            layout.settings()["sheets"][[s.name for s in sheets()].index(entry.name)].get(
                "omit", []
            )
        )
        for field in _leaf_fields(entry.model):
            if not any(field.startswith(o) for o in omitted):
                assert field in paths, (entry.name, field)


def test_headers_are_unique_per_language() -> None:
    for entry in sheets():
        for lang in ("hy", "ru", "en"):
            headers = [column.header(lang) for column in entry.columns]
            assert len(headers) == len(set(headers)), (entry.name, lang)


def test_a_field_added_to_a_model_appears_without_edits() -> None:
    class Newer(Child):
        school_name: str | None = Field(default=None, description="Name of the school.")
        disabilities: list[str] = Field(default_factory=list, description="Listed.")

    paths = {c.path: c for c in _columns(Newer, _Place("", None, True, None), frozenset())}
    assert paths["school_name"].kind == "text"
    assert paths["disabilities"].kind == "texts"


def test_template_id_changes_with_the_columns(monkeypatch: Any) -> None:
    before = template_id()
    assert before.startswith("casestd-registration-")
    changed = dict(layout.settings())
    changed["groups"] = {**changed["groups"], "names": 2}
    monkeypatch.setattr(layout, "settings", lambda: changed)
    layout.sheet.cache_clear()
    layout.template_id.cache_clear()
    try:
        assert template_id() != before
        assert "names.2.given" not in sheet("children").paths
    finally:
        layout.sheet.cache_clear()
        layout.template_id.cache_clear()

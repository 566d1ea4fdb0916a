"""casestd's code lists against the values HTCDS 2.0, Primero and CTDC publish.

The published values are copied into ``tests/data/standards/`` (sources, commits and
files named in each file): HTCDS's picklists, the labels its validated Excel
templates store, its XLSForm choices and the names ``Field Definitions.md`` uses;
Primero's lookups; the columns of CTDC's 2024 global dataset. Each value carries
the casestd code it must resolve to, so a value that resolves to a wrong code
fails as surely as one that does not resolve.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from casestd import ENTITIES, codes
from casestd.exchange import ctdc
from casestd.model.walk import unwrap

DATA = Path(__file__).resolve().parent / "data" / "standards"
HTCDS: dict[str, Any] = json.loads((DATA / "htcds.json").read_text("utf-8"))
PRIMERO: dict[str, Any] = json.loads((DATA / "primero.json").read_text("utf-8"))
CTDC: dict[str, Any] = json.loads((DATA / "ctdc.json").read_text("utf-8"))
#: HTCDS's fields and the casestd field each maps to: the exporter's and importer's mapping.
HTCDS_FIELDS: list[dict[str, Any]] = json.loads(
    resources.files("casestd.exchange").joinpath("data/htcds.json").read_text("utf-8")
)["fields"]

#: HTCDS picklist values that do not resolve, and why (none today).
UNRESOLVED_HTCDS: dict[tuple[str, str], str] = {}
#: Primero ids that do not resolve, and why (none today).
UNRESOLVED_PRIMERO: dict[tuple[str, str], str] = {}

Value = tuple[str, str, str]  # list id, published text, expected casestd code


def picklist_values() -> Iterator[tuple[str, str, str, str]]:
    """(field, list, name, code) and (field, list, label, code) of every HTCDS picklist."""
    for picklist in HTCDS["picklists"]:
        for value in picklist["values"]:
            yield picklist["field"], picklist["list"], value["name"], value["code"]
            yield picklist["field"], picklist["list"], value["label"], value["code"]


def template_values() -> Iterator[Value]:
    """Every label of the validation sheets of HTCDS's Excel templates, and the XLSForm."""
    for column in HTCDS["templates"]:
        for value in column["values"]:
            yield column["list"], value["label"], value["code"]
    for choices in HTCDS["xlsform"]:
        for value in choices["values"]:
            yield choices["list"], value["name"], value["code"]
            yield choices["list"], value["label"], value["code"]


def definition_values() -> Iterator[Value]:
    """The names under which ``Field Definitions.md`` defines values."""
    for section in HTCDS["field_definitions"]:
        for value in section["values"]:
            yield section["list"], value["name"], value["code"]


def primero_values() -> Iterator[tuple[str, str, str, str]]:
    """(lookup, list, id, code) of every Primero lookup with a casestd counterpart."""
    for lookup in PRIMERO["lookups"]:
        for value in lookup["values"]:
            yield lookup["lookup"], lookup["list"], value["id"], value["code"]


def primero_labels() -> Iterator[Value]:
    for lookup in PRIMERO["lookups"]:
        for value in lookup["values"]:
            if value["label"]:
                yield lookup["list"], value["label"], value["code"]


def resolves(list_id: str, text: str, code: str) -> bool:
    return codes.get(list_id).lookup(text) == code


def share(values: list[Value]) -> float:
    return sum(resolves(*value) for value in values) / len(values)


def test_the_test_data_is_what_the_sources_publish() -> None:
    assert HTCDS["source"]["repository"] == "UNMigration/HTCDS"
    assert len(HTCDS_FIELDS) == 83
    assert sum(len(p["values"]) for p in HTCDS["picklists"]) == 182
    assert PRIMERO["source"]["repository"] == "primeroIMS/primero"
    # a stray space and the source's own misspelling are kept as published
    labels = [v["label"] for c in HTCDS["templates"] for v in c["values"]]
    assert "Debt bondage " in labels
    names = [v["name"] for p in HTCDS["picklists"] for v in p["values"]]
    assert "Unaquainted" in names
    ids = [text for _, _, text, _ in primero_values()]
    assert "family_seunification_service" in ids


def test_every_htcds_template_label_and_xlsform_choice_resolves() -> None:
    values = list(template_values())
    wrong = [value for value in values if not resolves(*value)]
    assert not wrong, wrong[:10]


def check_share(
    values: list[tuple[str, str, str, str]], known: dict[tuple[str, str], str], least: float
) -> None:
    """The values that do not resolve are exactly the ``known`` ones, and few enough."""
    wrong = {
        (list_id, text): code
        for _, list_id, text, code in values
        if not resolves(list_id, text, code)
    }
    assert set(wrong) == set(known), wrong
    assert 1 - len(wrong) / len(values) >= least


def test_htcds_picklist_values_resolve() -> None:
    check_share(list(picklist_values()), UNRESOLVED_HTCDS, 0.95)


def test_field_definition_names_resolve() -> None:
    wrong = [value for value in definition_values() if not resolves(*value)]
    assert not wrong, wrong


def test_each_list_declares_its_htcds_value_names_as_published() -> None:
    """The HTCDS name is the code's ``htcds`` source code, or one of its htcds aliases."""
    missing = []
    for picklist in HTCDS["picklists"]:
        code_list = codes.get(picklist["list"])
        assert "htcds" in code_list.sources, picklist["list"]
        for value in picklist["values"]:
            code = code_list.codes[value["code"]]
            name = value["name"].strip()
            if code.source_codes.get("htcds") != name and name not in code.source_aliases.get(
                "htcds", ()
            ):
                missing.append((picklist["list"], name))
    assert not missing, missing


def test_primero_ids_resolve() -> None:
    check_share(list(primero_values()), UNRESOLVED_PRIMERO, 0.98)


def test_primero_labels_resolve() -> None:
    values = list(primero_labels())
    assert share(values) == 1, [v for v in values if not resolves(*v)]


def test_each_primero_lookup_with_a_counterpart_is_declared_on_its_list() -> None:
    for lookup in PRIMERO["lookups"]:
        assert "primero" in codes.get(lookup["list"]).sources, lookup["list"]


def test_primero_lookups_without_counterpart_say_why() -> None:
    assert all(entry["reason"] for entry in PRIMERO["without_counterpart"])


def _field_exists(dotted: str) -> bool:
    entity, *parts = dotted.split(".")
    model: Any = ENTITIES[entity]
    for part in parts:
        if part not in model.model_fields:
            return False
        model = unwrap(model.model_fields[part].annotation)[0]
    return True


def test_the_exporter_writes_every_ctdc_column_casestd_can_feed() -> None:
    assert list(ctdc.columns()) == list(dict.fromkeys(c["column"] for c in CTDC["columns"]))


@pytest.mark.parametrize("column", CTDC["columns"], ids=lambda c: f"{c['column']}-{c['kind']}")
def test_every_ctdc_column_casestd_can_feed_is_mapped(column: dict[str, Any]) -> None:
    if column["kind"] == "derived":
        fields = next(c for c in ctdc.spec()["columns"] if c["column"] == column["column"])
        assert all(_field_exists(field) for field in fields["fields"]), fields["fields"]
        return
    code_list = codes.get(column["list"])
    assert "ctdc" in code_list.sources, column["list"]
    if column["kind"] == "flag":
        declared = [c.code for c in code_list if c.source_codes.get("ctdc") == column["column"]]
        assert declared == column["codes"], (column["column"], declared)
    else:
        for value, expected in column["values"].items():
            declared = [c.code for c in code_list if c.source_codes.get("ctdc") == value]
            assert set(expected) <= set(declared), (column["column"], value, declared)


def test_every_code_of_a_list_with_ctdc_flags_feeds_one_column() -> None:
    flagged = {c["list"] for c in CTDC["columns"] if c["kind"] == "flag"}
    for list_id in flagged - {"isic_section", "sexual_exploitation_type"}:
        loose = {c.code for c in codes.get(list_id) if "ctdc" not in c.source_codes}
        # CTDC has no column for "other" means of control; "unknown" is its -99
        assert loose <= {"other", "unknown"}, (list_id, loose)


def test_every_htcds_field_has_a_counterpart_or_a_reason() -> None:
    for field in HTCDS_FIELDS:
        if field["casestd"] is None:
            assert field["why_not"], field["field"]
        else:
            assert _field_exists(field["casestd"]), (field["field"], field["casestd"])
    mapped = [f for f in HTCDS_FIELDS if f["casestd"]]
    assert len(mapped) >= 65

"""casestd.exchange.htcds_cells: HTCDS's own header rows and cells, as its documents write them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casestd import codes
from casestd.exchange import htcds, htcds_cells
from casestd.exchange.htcds_cells import header_key, imported, layout, split_values

#: The header rows of HTCDS's three Excel templates and the question names of its XLSForm,
#: as published (tests/data/htcds/make_fixtures.py writes them from a checkout).
DOCUMENTS: list[dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parent / "data" / "htcds" / "headers.json").read_text("utf-8")
)["documents"]
EXCEL = [d for d in DOCUMENTS if d["labels"] is not None]
XLSFORM = next(d for d in DOCUMENTS if d["labels"] is None)
PREFIXES = ("org_", "prs_", "vic_", "per_", "cas_", "hte_", "spl_", "con_", "cco_")


def _canonical(name: str) -> str:
    variants: dict[str, str] = htcds.spec()["variants"]
    return variants.get(name, name)


@pytest.mark.parametrize("document", EXCEL, ids=lambda d: d["file"].rsplit("/", 1)[-1])
def test_every_column_of_each_excel_template_is_found_by_its_label(
    document: dict[str, Any],
) -> None:
    found = layout(document["names"], document["labels"])
    assert found is not None and found.table.name == "cases"
    assert found.first_row == 3  # a row of names, a row of labels
    labels = {c.label: c for c in htcds.table("cases").columns}
    for index, label in enumerate(document["labels"]):
        if label is not None:
            assert found.columns[index] is labels[label], label
    assert found.unmapped == ()
    # the hidden names of the mailing address are in another order than the labels
    names = {index: name for index, name, _ in found.conflicts}
    assert set(names.values()) == {
        "prs_MailingCity",
        "prs_MailingCountry",
        "prs_MailingStreet",
        "prs_MailingPostalCode",
    }
    for index, name in enumerate(document["names"]):
        if name is not None and index not in names:
            assert found.columns[index].field == _canonical(name)


def test_every_question_of_the_xlsform_is_found_by_its_name() -> None:
    names = XLSFORM["names"]
    found = layout(names, [])
    assert found is not None and found.table.name == "cases"
    assert found.first_row == 2 and found.conflicts == ()
    for index, name in enumerate(names):
        if name.startswith(PREFIXES):
            assert found.columns[index].field == _canonical(name), name
        else:  # start, end, __version__: the form's own
            assert index not in found.columns
    assert set(found.unmapped) == {n for n in names if not n.startswith(PREFIXES)}
    # a KoboToolbox export prefixes the group path
    grouped = layout([f"case/{name}" for name in names], [])
    assert grouped is not None and grouped.columns == found.columns


def test_headers_are_compared_without_case_spaces_or_underscores() -> None:
    assert header_key("Mailing State/Province") == header_key("mailingstate/ province")
    assert header_key("vic/prs_First_Name") == header_key("PRS FIRSTNAME")
    assert header_key(None) == header_key(3) == ""


def test_a_sheet_without_htcds_headers_has_no_layout() -> None:
    assert layout(["Name", "Surname", "Date"], ["a", "b", "c"]) is None
    assert layout([], []) is None


def test_split_values_reads_labels_names_and_isic_labels_with_semicolons() -> None:
    assert split_values("control_method", "Debt bondage ; Nonsense") == ["debt_bondage", "Nonsense"]
    assert split_values("control_method", "DebtBondage;TakesEarnings") == [
        "debt_bondage",
        "takes_earnings",
    ]
    text = "Construction; Water supply; sewerage, waste management and remediation"
    assert split_values("isic_section", text) == ["construction", "water_supply_waste"]
    assert split_values("isic_section", "  ;; ") == []


@given(
    st.lists(st.sampled_from(sorted(codes.get("isic_section").codes)), min_size=1, max_size=6),
    st.sampled_from(["en", "htcds"]),
    st.sampled_from([";", "; ", " ; "]),
)
def test_split_values_reads_back_any_isic_cell_htcds_writes(
    chosen: list[str], how: str, separator: str
) -> None:
    isic = codes.get("isic_section")
    texts = [
        isic.label(code, "en") if how == "en" else htcds.value_name("isic_section", code) or code
        for code in chosen
    ]
    assert split_values("isic_section", separator.join(texts)) == list(dict.fromkeys(chosen))


def test_split_values_is_bounded_on_a_huge_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def counted(list_id: str, text: str) -> str | None:
        calls.append(text)
        return codes.get(list_id).lookup(text)

    monkeypatch.setattr(htcds_cells, "lookup", counted)
    parts = 20_000
    found = split_values("isic_section", "; ".join(["Water supply"] * parts))
    assert found == ["Water supply"]  # not a value: passed on for validation to report
    assert len(calls) <= 4 * parts  # linear in the parts, not quadratic


def test_what_import_reads_is_what_it_does_not_warn_about() -> None:
    skipped = [c.field for t in htcds.tables() for c in t.columns if not imported(c)]
    assert all(
        f.startswith(("cas_", "con_")) or f in ("prs_Salutation", "prs_Title") for f in skipped
    )

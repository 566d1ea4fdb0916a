"""Reading cells back: dates, phones, codes in any language, lists, numbers; nothing guessed."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from casestd import codes
from casestd.workbook.cells import clean_text, read_cell, read_date, read_partial_date, read_phone
from casestd.workbook.layout import sheet

CHILDREN = sheet("children")
SERVICES = sheet("services")


@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_dates_as_excel_dates_or_typed_day_first(day: dt.date) -> None:
    iso = day.isoformat()
    assert read_date(day) == iso
    assert read_date(dt.datetime.combine(day, dt.time())) == iso
    assert read_date(f"{day.day:02d}.{day.month:02d}.{day.year}") == iso
    assert read_date(f"{day.day}.{day.month}.{day.year}") == iso
    assert read_date(iso) == iso
    assert read_partial_date(f"{day.month:02d}.{day.year}") == f"{day.year}-{day.month:02d}"


def test_impossible_dates_are_passed_on_for_validation_to_report() -> None:
    assert read_date("31.02.2024") == "31.02.2024"
    assert read_date("next week") == "next week"
    assert read_partial_date(2012) == "2012"


@given(st.sampled_from(["91", "93", "94", "98", "99", "77", "55", "41"]), st.integers(0, 999_999))
def test_armenian_phones_to_e164(prefix: str, rest: int) -> None:
    expected = f"+374{prefix}{rest:06d}"
    assert read_phone(f"0{prefix} {rest:06d}") == expected
    assert read_phone(f"+374 {prefix} {rest:06d}") == expected
    assert read_phone(f"(0{prefix}) {rest // 1000:03d}-{rest % 1000:03d}") == expected


def test_codes_from_labels_in_every_language() -> None:
    column = CHILDREN.column("sex")
    for code in codes.get("sex").active():
        for lang in ("hy", "ru", "en"):
            label = codes.get("sex").label(code, lang)
            assert read_cell(column, f"  {label.upper()} ") == code
    assert read_cell(column, "martian") == "martian"  # validation reports it


def test_lists_numbers_and_booleans() -> None:
    assert read_cell(CHILDREN.column("citizenships"), "AM;;  russian federation ;") == ["AM", "RU"]
    assert read_cell(CHILDREN.column("citizenships"), "AM RU", separator=None) == ["AM", "RU"]
    assert read_cell(SERVICES.column("cost_amd"), "50 000") == 50000
    assert read_cell(SERVICES.column("cost_amd"), 1200.0) == 1200
    assert read_cell(SERVICES.column("quantity"), "2,5") == 2.5
    estimated = CHILDREN.column("birth_date.estimated")
    assert [read_cell(estimated, v) for v in ("Այո", "нет", "Yes", 1, False)] == [
        True,
        False,
        True,
        True,
        False,
    ]


def test_text_in_nfc_with_spaces_collapsed() -> None:
    assert clean_text("Jose\u0301\u00a0 Petrosyan ") == "Jos\u00e9 Petrosyan"
    assert read_cell(CHILDREN.column("names.0.given"), 12) == "12"

"""Code lists: files, labels, lookup, and their use by the models."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Literal

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casestd import ENTITIES, codes
from casestd.model.walk import CodedField, coded_fields

Form = Literal["NFC", "NFD", "NFKC", "NFKD"]
FORMS: list[Form] = ["NFC", "NFD", "NFKC", "NFKD"]
ISO_LISTS = {"country", "language", "region"}
FILE_LISTS = [list_id for list_id in codes.ids() if list_id not in {"country", "language"}]
ARMENIAN = re.compile("[\u0531-\u058f]")
CYRILLIC = re.compile("[\u0400-\u04ff]")


def test_there_are_enough_lists() -> None:
    assert len(codes.ids()) >= 25
    assert codes.ids() == tuple(sorted(codes.ids()))


def test_unknown_list_raises() -> None:
    with pytest.raises(codes.UnknownCodeListError):
        codes.get("no_such_list")


@pytest.mark.parametrize("list_id", FILE_LISTS)
def test_list_file_is_complete(list_id: str) -> None:
    code_list = codes.get(list_id)
    assert code_list.id == list_id
    assert re.fullmatch(r"\d+\.\d+\.\d+", code_list.version)
    assert set(code_list.title) == {"en", "hy", "ru"}
    assert code_list.source
    assert len(code_list) >= 2
    for code in code_list:
        if list_id not in ISO_LISTS:
            assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", code.code), code.code
        assert set(code.labels) == {"en", "hy", "ru"}, code.code
        assert ARMENIAN.search(code.labels["hy"]), (code.code, code.labels["hy"])
        assert CYRILLIC.search(code.labels["ru"]), (code.code, code.labels["ru"])
        assert code.definition, code.code
        assert code.status in {"active", "deprecated"}
        if code.deprecated:
            assert code.replaced_by in code_list.active(), code.code
        else:
            assert code.replaced_by is None
        for source, source_code in code.source_codes.items():
            assert source in code_list.sources, (code.code, source)
            assert isinstance(source_code, str)


@pytest.mark.parametrize("list_id", FILE_LISTS)
def test_labels_are_unique_per_language(list_id: str) -> None:
    code_list = codes.get(list_id)
    for lang in ("en", "hy", "ru"):
        folded = [code.labels[lang].casefold() for code in code_list]
        assert len(folded) == len(set(folded)), lang


@pytest.mark.parametrize("list_id", FILE_LISTS)
def test_every_code_and_label_looks_up_to_itself(list_id: str) -> None:
    code_list = codes.get(list_id)
    for code in code_list:
        assert code_list.lookup(code.code) == code.code
        for lang in ("en", "hy", "ru"):
            assert code_list.lookup(code_list.label(code.code, lang)) == code.code
        for source_code in code.source_codes.values():
            assert code.code in code_list.lookup_all(source_code)
        for aliases in code.source_aliases.values():
            for alias in aliases:
                assert code.code in code_list.lookup_all(alias)


@given(
    list_id=st.sampled_from(FILE_LISTS),
    data=st.data(),
    case=st.sampled_from([str.upper, str.lower, str.title, str.strip]),
    form=st.sampled_from(FORMS),
    pad=st.sampled_from(["", " ", "  ", "\t"]),
)
def test_lookup_ignores_case_spacing_and_unicode_form(
    list_id: str, data: st.DataObject, case: Callable[[str], str], form: Form, pad: str
) -> None:
    code_list = codes.get(list_id)
    code = data.draw(st.sampled_from(list(code_list.codes)))
    lang = data.draw(st.sampled_from(["en", "hy", "ru"]))
    label = code_list.label(code, lang)
    variant = unicodedata.normalize(form, case(label))
    assert code_list.lookup(pad + variant.replace(" ", "  ") + pad) == code


def test_lookup_of_unknown_text_is_none() -> None:
    assert codes.get("sex").lookup("no such thing") is None
    assert codes.get("sex").lookup(5) is None  # type: ignore[arg-type]


def test_label_falls_back_and_rejects_other_languages() -> None:
    case_status = codes.get("case_status")
    assert case_status.label("open") == case_status.label("open", "en")
    with pytest.raises(ValueError):
        case_status.label("open", "fr")
    with pytest.raises(KeyError):
        case_status.label("no_such_code", "en")


def test_deprecated_code_names_its_replacement() -> None:
    identifiers = codes.get("identifier_type")
    assert "social_card_number" in identifiers.deprecated()
    assert identifiers.codes["social_card_number"].replaced_by == "public_service_number"
    assert "social_card_number" not in identifiers.active()


def test_countries_are_iso_3166_with_cldr_names() -> None:
    countries = codes.get("country")
    assert {c.alpha_2 for c in pycountry.countries} | {"XK"} == set(countries.codes)
    assert countries.label("AM", "hy") == "Հայաստան"
    assert countries.label("AM", "ru") == "Армения"
    assert countries.lookup("Армения") == "AM"
    assert countries.lookup("arm") == "AM"  # the alpha-3 code
    assert countries.lookup("Russia") == "RU"  # CLDR's English name beside ISO's
    assert countries.lookup("russia") == "RU"  # Primero's id
    assert not any(c.fallback for c in countries)


def test_languages_are_the_iso_639_3_languages_cldr_names() -> None:
    languages = codes.get("language")
    assert set(languages.codes) <= {lang.alpha_3 for lang in pycountry.languages}
    assert {"hye", "rus", "eng", "kmr", "aii", "mis", "und", "mul", "zxx"} <= set(languages.codes)
    assert languages.lookup("hy") == "hye"  # ISO 639-1 resolves to ISO 639-3
    assert languages.lookup("arm") == "hye"  # and ISO 639-2/B
    assert languages.label("hye", "hy") == "հայերեն"
    assert CYRILLIC.search(languages.label("hye", "ru"))


def test_a_fallback_label_is_marked_as_such() -> None:
    languages = codes.get("language")
    marked = [code for code in languages if code.fallback]
    assert marked
    for code in marked:
        for lang in code.fallback:
            assert lang not in code.labels
            assert languages.label(code.code, lang) == code.labels["en"]
            assert languages.is_fallback(code.code, lang)
    translated = [code for code in languages if not code.fallback]
    assert all(ARMENIAN.search(code.labels["hy"]) for code in translated)
    assert not languages.is_fallback("hye", "hy")


def _list(*entries: tuple[str, dict[str, str], dict[str, str]]) -> codes.CodeList:
    from casestd.codes.registry import from_dict

    return from_dict(
        {
            "id": "test",
            "version": "1.0.0",
            "title": {"en": "Test"},
            "codes": [
                {"code": code, "labels": labels, "source_codes": sources}
                for code, labels, sources in entries
            ],
        }
    )


def test_a_code_wins_over_a_label_spelled_like_it() -> None:
    # the label of one code is the code of another, as "Ari" (aac) and "ari" (Arikara)
    test = _list(("aac", {"en": "Ari"}, {}), ("ari", {"en": "Arikara"}, {}))
    assert test.lookup("Ari") == "ari"
    assert test.lookup_all("Ari") == ("ari", "aac")  # the code first, the label's code after
    assert codes.get("language").lookup("Ari") in {"ari", None}


def test_a_source_code_wins_over_a_label() -> None:
    test = _list(("x", {"en": "Y"}, {}), ("y", {"en": "Why"}, {"src": "Z"}), ("z", {"en": "Z"}, {}))
    assert test.lookup("Z") == "z"  # a code, even over a source code
    test = _list(("x", {"en": "Q"}, {}), ("y", {"en": "Why"}, {"src": "Q"}))
    assert test.lookup("Q") == "y"
    assert test.lookup_all("Q") == ("y", "x")


def test_a_label_shared_by_two_codes_resolves_to_none() -> None:
    test = _list(("a", {"en": "Same", "hy": "Ա"}, {}), ("b", {"en": "Other", "ru": "same"}, {}))
    assert test.lookup("same") is None
    assert test.lookup_all("same") == ("a", "b")
    assert test.lookup("Ա") == "a"
    assert test.lookup_all("nothing") == ()


def test_a_source_code_several_codes_share_resolves_to_none() -> None:
    control = codes.get("control_method")
    assert control.lookup("meansDenyBasicNeeds") is None
    assert set(control.lookup_all("meansDenyBasicNeeds")) == {
        "restricts_financial_access",
        "restricts_medical_care",
        "withholds_necessities",
        "restricts_movement",
    }
    assert control.lookup("meansFalsePromises") == "false_promises"


def test_regions_are_armenias_subdivisions() -> None:
    subdivisions = pycountry.subdivisions.get(country_code="AM")  # type: ignore[no-untyped-call]
    expected = {s.code for s in subdivisions}
    assert set(codes.get("region").codes) == expected


def test_yerevan_has_twelve_districts() -> None:
    assert len(codes.get("yerevan_district")) == 12


def _list_ids(fields: tuple[CodedField, ...]) -> set[str]:
    found: set[str] = set()
    for field in fields:
        found |= {field.list_id} if field.list_id else _list_ids(field.nested)
    return found


def test_every_coded_field_uses_an_existing_list() -> None:
    used: set[str] = set()
    for model in ENTITIES.values():
        used |= _list_ids(coded_fields(model))
    assert used <= set(codes.ids())
    assert len(used) >= 25

"""casestd.normalise: one cleaner per national format, and the models agreeing with them."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE as COUNTRY_CODES
from pydantic import ValidationError as PydanticError

from casestd.model.common import Identifier, PersonName
from casestd.normalise import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
    birth_certificate,
    id_card,
    name,
    partial_date,
    passport,
    phone,
    psn,
)
from casestd.normalise.formats import identifier_formats

VALIDATORS: dict[str, Callable[[str], str]] = {
    "psn": psn.validate,
    "passport": passport.validate,
    "id_card": id_card.validate,
    "birth_certificate": birth_certificate.validate,
    "phone": phone.validate,
    "partial_date": partial_date.validate,
    "name": name.validate,
}
MARKER = "Zq9Marker"


#: Values each cleaner rejects, all carrying the marker.
REJECTED = {
    "psn": ["Zq9Marker", "12345 Zq9Marker"],
    "passport": ["Zq9Marker", "Zq9Marker1234567"],
    "id_card": ["Zq9Marker", "Zq9Marker9"],
    "birth_certificate": ["#Zq9Marker", "Zq9Marker" * 4],
    "phone": ["Zq9Marker", "+374 00 Zq9Marker"],
    "partial_date": ["Zq9Marker", "2012-Zq9Marker"],
    "name": ["\x00Zq9Marker", "Zq9Marker" * 12],
}


@pytest.mark.parametrize(
    ("kind", "written"), [(kind, text) for kind, texts in REJECTED.items() for text in texts]
)
def test_errors_never_quote_the_value(kind: str, written: str) -> None:
    with pytest.raises(ValidationError) as error:
        VALIDATORS[kind](written)
    assert isinstance(error.value, ValueError)
    assert MARKER not in str(error.value)


# -- identifiers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [("1234567890", "1234567890"), ("12 34-56.78/90", "1234567890"), (" 1234567890 ", None)],
)
def test_psn_validate(written: str, stored: str | None) -> None:
    if stored is None:
        assert psn.validate(written) == "1234567890"  # outer spaces are separators too
    else:
        assert psn.validate(written) == stored


@pytest.mark.parametrize(
    ("written", "error"),
    [
        ("123456789", InvalidLength),
        ("12345678901", InvalidLength),
        ("PSN1234567890", InvalidFormat),
    ],
)
def test_psn_rejects(written: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        psn.validate(written)
    assert psn.compact("PSN 1234567890") == "1234567890"  # compact keeps the digits only


def test_passport_id_card_and_birth_certificate() -> None:
    assert passport.validate("ab 1234567") == "AB1234567"
    assert passport.compact("x-y 12") == "XY12"
    with pytest.raises(InvalidFormat):
        passport.validate("АВ1234567")  # Cyrillic look-alikes are not Latin letters
    with pytest.raises(InvalidLength):
        passport.validate("AB123456")
    assert id_card.validate("012 345 678") == "012345678"
    with pytest.raises(InvalidFormat):
        id_card.validate("AB1234567")
    assert birth_certificate.validate("II-ԱՄ  123456") == "II-ԱՄ 123456"
    assert birth_certificate.compact("II-ԱՄ 123456") == birth_certificate.compact("ii am 123456")
    with pytest.raises(InvalidFormat):
        birth_certificate.validate("#1")


_IDENTIFIER_TEXT = st.text("0123456789ABab -/ԱՄ", max_size=14)
_CHECKERS = {
    "public_service_number": psn,
    "passport": passport,
    "id_card": id_card,
    "birth_certificate": birth_certificate,
}


def _model_accepts(kind: str, value: str) -> bool:
    try:
        Identifier.model_validate({"type": kind, "value": value})
    except PydanticError:
        return False
    return True


@given(st.sampled_from(sorted(_CHECKERS)), _IDENTIFIER_TEXT)
def test_model_and_cleaners_agree_on_identifiers(kind: str, text: str) -> None:
    """What a cleaner stores, the model accepts; what the model accepts, the cleaner keeps."""
    module = _CHECKERS[kind]
    if module.is_valid(text):
        assert _model_accepts(kind, module.validate(text))
    if _model_accepts(kind, text) and text == " ".join(text.split()):
        assert module.validate(text) == text
        assert module.compact(module.validate(text)) == module.compact(text)


@given(st.sampled_from(sorted(_CHECKERS)), _IDENTIFIER_TEXT)
def test_compact_is_idempotent(kind: str, text: str) -> None:
    module = _CHECKERS[kind]
    assert module.compact(module.compact(text)) == module.compact(text)


def test_identifier_formats_come_from_one_file() -> None:
    assert set(identifier_formats()) >= set(_CHECKERS) | {"social_card_number"}
    assert {"public_service_number", "social_card_number"} == psn.TYPES


# -- phones -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("010 54 12 34", "+37410541234"),
        ("+374 91 23-45-67", "+37491234567"),
        ("(091) 234567", "+37491234567"),
        ("091 234567", "+37491234567"),
        ("+7 495 123-45-67", "+74951234567"),
    ],
)
def test_phone_validate_converts_on_purpose(written: str, e164: str) -> None:
    assert phone.validate(written) == e164
    assert phone.compact(written) == e164


@pytest.mark.parametrize(
    ("written", "error"),
    [("12", InvalidComponent), ("Zq9 phone", InvalidFormat), ("+374 00 000000", InvalidComponent)],
)
def test_phone_rejects_without_quoting(written: str, error: type[Exception]) -> None:
    with pytest.raises(error) as raised:
        phone.validate(written)
    assert written not in str(raised.value)


def test_phone_compact_does_not_check_the_plan() -> None:
    assert phone.compact("060 123456") == "+37460123456"
    assert not phone.is_valid("060 123456")


@given(
    st.sampled_from(["33", "41", "55", "77", "91", "93", "94", "98", "99"]),
    st.integers(0, 10**6 - 1),
)
def test_phone_format_reads_back(prefix: str, rest: int) -> None:
    e164 = f"+374{prefix}{rest:06d}"
    national = phone.format(e164)
    assert national.startswith("0") and len(national.replace(" ", "")) == 9
    assert phone.validate(national) == e164
    assert phone.validate(phone.format(e164, international=True)) == e164


def test_foreign_numbers_are_written_internationally() -> None:
    assert phone.format("+74951234567") == "+7 495 123-45-67"


def _phonenumbers_says(value: str) -> bool:
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return bool(phonenumbers.is_valid_number(number)) and e164 == value


@given(
    st.sampled_from(["374", "7", "1", "44", "39", "995", "98", "971", "90", "49", "380", "961"]),
    st.text("0123456789", min_size=4, max_size=12),
)
def test_fast_phone_check_agrees_with_phonenumbers(country: str, rest: str) -> None:
    value = f"+{country}{rest}"[:16]
    assert phone.is_valid_e164(value) == _phonenumbers_says(value)


_EXAMPLES = sorted(
    {
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        for region in ("AM", "RU", "GE", "IR", "AE", "TR", "DE", "UA", "LB", "FR", "US", "IN")
        for kind in range(12)
        if (number := phonenumbers.example_number_for_type(region, kind)) is not None
    }
)


@given(
    st.sampled_from(_EXAMPLES),
    st.integers(0, 15),
    st.text("0123456789", max_size=3),
    st.integers(-2, 2),
)
def test_fast_phone_check_agrees_on_numbers_near_real_ones(
    example: str, at: int, digits: str, cut: int
) -> None:
    """Real numbers of each type with digits changed, added or cut: valid and invalid ones."""
    value = example[: max(at, 2)] + digits + example[max(at, 2) + len(digits) :]
    value = value[: len(value) + cut] if cut < 0 else value + "5" * cut
    assert phone.is_valid_e164(value) == _phonenumbers_says(value)


def test_every_three_digits_name_at_most_one_country_code() -> None:
    for prefix in (f"{n:03d}" for n in range(1000)):
        sizes = [n for n in (1, 2, 3) if prefix[0] != "0" and int(prefix[:n]) in COUNTRY_CODES]
        assert len(sizes) <= 1
        assert phone._code_lengths().get(prefix, 0) == (sizes[0] if sizes else 0)


# -- partial dates -------------------------------------------------------------------

_DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(_DAYS, st.sampled_from([4, 7, 10]))
def test_partial_date_bounds_contain_the_day(day: dt.date, length: int) -> None:
    low, high = partial_date.bounds(day.isoformat()[:length])
    assert low <= day <= high
    assert (low == high) == (length == 10)


@given(_DAYS, st.sampled_from([4, 7, 10]))
def test_partial_date_format_reads_back(day: dt.date, length: int) -> None:
    value = day.isoformat()[:length]
    assert partial_date.validate(partial_date.format(value)) == value
    assert partial_date.validate(value) == value


@given(_DAYS)
def test_day_first_dates_with_and_without_leading_zeros(day: dt.date) -> None:
    short = f"{day.day}.{day.month}.{day.year}"
    assert partial_date.validate(short) == day.isoformat()
    assert partial_date.validate(f" {day:%d.%m.%Y} ") == day.isoformat()
    assert partial_date.parts(day.isoformat()) == (day.year, day.month, day.day)


@pytest.mark.parametrize(
    ("written", "error"),
    [
        ("2012-02-30", InvalidComponent),
        ("30.02.2012", InvalidComponent),
        ("2012-00", InvalidComponent),
        ("2012-13", InvalidComponent),
        ("0000", InvalidComponent),
        ("2012/05/01", InvalidFormat),
        ("12.2012.05", InvalidFormat),
        ("٢٠١٢", InvalidFormat),
        ("", InvalidFormat),
    ],
)
def test_partial_date_rejects(written: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        partial_date.validate(written)
    assert not partial_date.is_valid(written)


def test_parts_and_bounds_read_only_iso_text() -> None:
    with pytest.raises(InvalidFormat):
        partial_date.parts("03.04.2015")
    with pytest.raises(InvalidFormat):
        partial_date.bounds(" 2015")


# -- names ---------------------------------------------------------------------------


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))
def test_name_compact_is_idempotent_and_nfc(text: str) -> None:
    once = name.compact(text)
    assert name.compact(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert once == once.strip() and "  " not in once


def test_name_keeps_what_shows() -> None:
    assert name.compact("Երևան") == "Երևան"  # the ligature և stays (NFKC would split it)
    assert name.validate(" Анна\tМария ") == "Анна Мария"
    with pytest.raises(InvalidLength):
        name.validate("a" * (name.MAX_LENGTH + 1))
    with pytest.raises(InvalidFormat):
        name.validate("A\x07B")


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))
def test_model_accepts_every_validated_name(text: str) -> None:
    if name.is_valid(text):
        PersonName.model_validate({"given": name.validate(text), "script": "latn"})

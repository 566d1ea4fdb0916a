"""The JSON text layer: what it says of text that is not UTF-8."""

from __future__ import annotations

import json

import pytest

from casestd.io import jsontext

#: Short records as a district's file holds them: a name, an address.
RECORDS = [
    {"names": [{"given": "Армен"}]},
    {"names": [{"given": "Арам", "family": "Петросян"}]},
    {"address": {"street": "Абовяна", "community": "Ереван"}},
]


@pytest.mark.parametrize(
    ("codec", "name"), [("cp1251", "Windows-1251"), ("koi8_r", "KOI8-R"), ("cp866", "CP866")]
)
@pytest.mark.parametrize("record", RECORDS)
def test_a_short_cyrillic_record_is_said_to_be_in_its_encoding(
    record: dict[str, object], codec: str, name: str
) -> None:
    data = json.dumps(record, ensure_ascii=False).encode(codec)
    assert jsontext.guess_encoding(data) == name
    problem = jsontext.encoding_problem(data)
    assert problem.rule == "input.encoding" and problem.params == {"encoding": name}


def test_western_european_text_is_windows_1252() -> None:
    data = json.dumps({"names": [{"given": "José", "family": "Müller"}]}).encode("cp1252")
    data = data.replace(b"\\u00e9", "é".encode("cp1252")).replace(b"\\u00fc", b"\xfc")
    assert jsontext.guess_encoding(data) == "Windows-1252"


def test_only_the_encodings_of_this_setting_are_named() -> None:
    """Unrestricted, charset-normalizer calls the KOI8-R of a short name Shift JIS."""
    data = '{"names": [{"given": "Армен"}]}'.encode("koi8_r")
    assert jsontext.guess_encoding(data) in {
        jsontext.display_name(codec) for codec in jsontext.likely_encodings()
    }


def test_utf_8_and_ascii_are_not_named() -> None:
    assert jsontext.guess_encoding('{"given": "Армен"}'.encode()) is None
    assert jsontext.guess_encoding(b'{"given": "Armen"}') is None

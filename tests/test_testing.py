"""casestd.testing: the package face, the data files, and the population without hypothesis."""

from __future__ import annotations

import subprocess
import sys

import pytest

from casestd import codes, testing
from casestd.testing import romanisation, samples, strategies


def test_population_needs_no_hypothesis() -> None:
    """bench/dedup.py runs with the evaluation extra alone: no test dependency."""
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "from casestd.testing import population, iter_registrations\n"
        "crowd = population(40, seed=3)\n"
        "assert crowd.people >= 40 and callable(population)\n"
        "try:\n"
        "    from casestd.testing import payloads\n"
        "except ImportError:\n"
        "    print('strategies need hypothesis')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "strategies need hypothesis"


def test_strategies_are_reached_from_the_package() -> None:
    assert testing.payloads is strategies.payloads
    assert testing.records is strategies.records
    assert set(testing.__all__) <= set(dir(testing))
    with pytest.raises(AttributeError):
        testing.no_such_name  # noqa: B018


def test_districts_and_regions_come_from_the_code_lists() -> None:
    assert samples.districts() == codes.get("yerevan_district").active()
    assert samples.regions() == codes.get("region").active()


@pytest.mark.parametrize("system", romanisation.ARMENIAN_SYSTEMS)
def test_every_armenian_letter_has_a_latin_form(system: str) -> None:
    for letter in romanisation.alphabet("armn"):
        written = romanisation.romanise(letter, system)
        assert written and not any("\u0530" <= char <= "\u058f" for char in written), letter


def test_russian_tables_cover_the_alphabet() -> None:
    for letter in romanisation.alphabet("cyrl"):
        assert romanisation.russian_latin(letter).isascii()
        assert romanisation.russian_latin(letter, icao=True).isascii()


def test_sample_data_has_what_the_generators_read() -> None:
    data = samples.sample_data()
    for key in ("given_female", "given_male", "family", "agencies", "mobile_prefixes"):
        assert data[key]
    agencies = set(data["agencies"])
    assert set(data["regional_agencies"].values()) <= agencies
    assert {agency for agency, _ in data["victim_agencies"]} <= agencies
    assert set(data["regional_agencies"]) <= set(samples.regions())

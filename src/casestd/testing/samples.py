"""The data behind generated records, from ``casestd/testing/data/`` and the code lists.

Loaded once, on first use (pycountry-style): `sample_data` (names in three
scripts, agencies, countries, languages, mobile prefixes, source systems),
`population_names` (the curated names of the synthetic population), and
`romanisation_tables`. Districts and regions come from the code lists, so
generated data follows them when they change.

>>> sample_data()["mobile_prefixes"][:3]
['33', '41', '43']
>>> districts()[0], regions()[0]
('ajapnyak', 'AM-ER')
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from importlib import resources
from typing import Any

from casestd import codes

#: Generated records fall between these dates, all in the past.
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)


def _load(name: str) -> dict[str, Any]:
    text = resources.files("casestd.testing").joinpath("data", name).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    data.pop("_comment", None)
    return data


@functools.cache
def sample_data() -> dict[str, Any]:
    """Names, agencies, countries and phone prefixes used to make realistic records."""
    return _load("names.json")


@functools.cache
def population_names() -> dict[str, Any]:
    """The family and given names of the synthetic population, with their written forms."""
    return _load("population_names.json")


@functools.cache
def romanisation_tables() -> dict[str, Any]:
    """How Armenian and Russian spellings are written in Latin letters, per system."""
    return _load("romanisation.json")


@functools.cache
def districts() -> tuple[str, ...]:
    """The Yerevan districts (active codes of ``yerevan_district``), in list order."""
    return codes.get("yerevan_district").active()


@functools.cache
def regions() -> tuple[str, ...]:
    """The regions of Armenia with Yerevan first (active codes of ``region``), in list order."""
    return codes.get("region").active()


__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "districts",
    "population_names",
    "regions",
    "romanisation_tables",
    "sample_data",
]

"""Generated data for tests and benchmarks: valid records, and a population with its truth.

- `casestd.testing.strategies`: hypothesis strategies of valid, realistic
  payloads and typed records of every entity (`payloads`, `records`,
  `model_payloads`). They need hypothesis (the ``test`` extra); they are
  imported when first used, so the rest of this package does not need it.
- `casestd.testing.population`: a synthetic population of persons registered
  several times, each time written differently, with the truth of who is who
  (`population`, `iter_registrations`, `iter_payloads`, and `write_population`
  for JSON Lines files as the command line reads them; the registrations and
  their variation in `casestd.testing.registrations`), for benchmarks of `casestd.dedup`. It
  draws with ``random.Random`` and needs no test dependency.
- `casestd.testing.casework`: counter-trafficking casework with known truth
  (victims with their cases, referrals, services, child-protection cases and
  the organisation register), for the indicator tests and `bench/indicators.py`.
- `trafficking_victims(n, seed=...)`: generated trafficking victim payloads with
  the details HTCDS and CTDC carry (means of control, industries, recruiter
  relation, months of exploitation), skewed like a real register's, for the
  exchange tests, benchmarks and docs/exchange.md.
- `casestd.testing.samples` (names, agencies, districts and regions from the
  code lists) and `casestd.testing.romanisation` (Latin spellings), the data
  both use; the tables live in ``casestd/testing/data/``.

>>> from casestd.testing import population
>>> population(50, seed=1).people >= 50
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casestd._lazy import exports
from casestd._victim_details import victims as trafficking_victims
from casestd.testing.population import (
    Population,
    iter_payloads,
    iter_registrations,
    population,
    write_population,
)
from casestd.testing.registrations import (
    LATIN_SYSTEMS,
    VARIATION_KINDS,
    ContactForm,
    DateForm,
    IdentifierForm,
    NameForm,
    Registration,
    Variation,
)
from casestd.testing.romanisation import romanise, russian_latin
from casestd.testing.samples import sample_data

if TYPE_CHECKING:
    from casestd.testing.strategies import model_payloads as model_payloads
    from casestd.testing.strategies import payloads as payloads
    from casestd.testing.strategies import records as records

__getattr__, __dir__ = exports(
    globals(), dict.fromkeys(("model_payloads", "payloads", "records"), "strategies")
)

__all__ = [
    "LATIN_SYSTEMS",
    "VARIATION_KINDS",
    "ContactForm",
    "DateForm",
    "IdentifierForm",
    "NameForm",
    "Population",
    "Registration",
    "Variation",
    "iter_payloads",
    "iter_registrations",
    "model_payloads",
    "payloads",
    "population",
    "records",
    "romanise",
    "russian_latin",
    "sample_data",
    "trafficking_victims",
    "write_population",
]

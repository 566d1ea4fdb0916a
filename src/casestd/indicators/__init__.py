"""National Action Plan indicators: a catalogue as data, computation, disclosure control.

>>> from casestd import indicators
>>> "victims_identified" in indicators.catalogue.ids()
True

`compute` reads typed records of any entities (streamed, one pass) and
returns a `Result` of exact figures with their numerators, denominators and
exclusions; `publish` makes it safe to leave the ministry (small counts
suppressed, with secondary suppression). Writers: `casestd.indicators.outputs`
(JSON, CSV, text), `.dhis2` (dataValueSets JSON and CSV, mapping, metadata),
`.sdmx` (SDMX-CSV 2.0 and the DSD; the ``sdmx`` extra), `.xlsx` (a sheet per
indicator; the ``workbook`` extra) and `.report` (the HTML report with charts).
"""

from __future__ import annotations

from casestd.indicators import catalogue
from casestd.indicators.compute import Figure, Result, compute
from casestd.indicators.disclosure import DEFAULT_THRESHOLD, DisclosureWarning, publish, suppress
from casestd.indicators.period import Period, PeriodError
from casestd.indicators.population import Population, PopulationError

__all__ = [
    "DEFAULT_THRESHOLD",
    "DisclosureWarning",
    "Figure",
    "Period",
    "PeriodError",
    "Population",
    "PopulationError",
    "Result",
    "catalogue",
    "compute",
    "publish",
    "suppress",
]

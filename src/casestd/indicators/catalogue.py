"""The indicator catalogue: indicators, breakdowns and exclusion reasons, loaded from data.

The catalogue is ``data/catalogue.json`` and ``data/breakdowns.json``; this
module reads them once, lazily (pycountry style), into small frozen objects.

>>> from casestd.indicators import catalogue
>>> ind = catalogue.get("victims_identified")
>>> ind.unit, ind.area, ind.population
('count', 'protection', 'victim')
>>> ind.title("ru")
'Выявленные (идентифицированные) жертвы'
>>> catalogue.breakdown("sex").codes()
('female', 'male', 'other', 'unknown')
>>> catalogue.breakdown("district").codes()[-2:]
('outside_yerevan', 'unknown')
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

import attrs

from casestd import codes
from casestd.version import LANGUAGES

UNITS = ("count", "share", "median_days", "p90_days", "rate_per_100000", "mean_amd")
OPERATORS = ("is_true", "not_null", "eq", "ne", "in", "le", "lt", "ge", "gt")


class UnknownIndicatorError(KeyError):
    """An indicator or breakdown id that the catalogue does not have."""


@attrs.frozen
class Condition:
    """``var op value``; or ``any`` of several conditions.

    ``missing``: what an unknown (None) variable means: ``exclude`` the unit with
    reason ``unknown:<var>`` (the default), or ``false``. ``otherwise``: what a
    false denominator condition means: ``out`` of scope (default) or ``exclude``
    with ``reason``.
    """

    var: str | None = None
    op: str = "is_true"
    value: Any = None
    any: tuple[Condition, ...] = ()
    missing: str = "exclude"
    otherwise: str = "out"
    reason: str | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Condition:
        if "any" in data:
            return cls(
                any=tuple(cls.from_data(item) for item in data["any"]),
                otherwise=data.get("otherwise", "out"),
                reason=data.get("reason"),
            )
        if data["op"] not in OPERATORS:
            raise ValueError(f"unknown operator {data['op']!r}")
        return cls(
            var=data["var"],
            op=data["op"],
            value=data.get("value"),
            missing=data.get("missing", "exclude"),
            otherwise=data.get("otherwise", "out"),
            reason=data.get("reason"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The condition as the catalogue file writes it."""
        found: dict[str, Any]
        if self.any:
            found = {"any": [item.to_dict() for item in self.any]}
        else:
            found = {"var": self.var, "op": self.op}
            if self.value is not None:
                found["value"] = self.value
            if self.missing != "exclude":
                found["missing"] = self.missing
        if self.otherwise != "out":
            found["otherwise"] = self.otherwise
        if self.reason:
            found["reason"] = self.reason
        return found

    def variables(self) -> set[str]:
        """The variables the condition reads."""
        found = {self.var} if self.var else set()
        for item in self.any:
            found |= item.variables()
        return found


@attrs.frozen
class Category:
    """One category of a breakdown, with its labels and its SDMX and DHIS2 codes."""

    code: str
    labels: Mapping[str, str]
    sdmx: tuple[str, ...]
    dhis2: str
    data: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels["en"]


@attrs.frozen
class Breakdown:
    """A disaggregation: single-valued and exhaustive, so its cells add up to the total."""

    id: str
    titles: Mapping[str, str]
    units: tuple[str, ...]
    categories: tuple[Category, ...]
    sdmx_dimensions: tuple[str, ...]
    code_list: str | None = None
    org_unit: bool = False

    def title(self, lang: str = "en") -> str:
        return self.titles.get(lang) or self.titles["en"]

    def codes(self) -> tuple[str, ...]:
        return tuple(category.code for category in self.categories)

    def category(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise UnknownIndicatorError(f"{self.id} has no category {code!r}")


@attrs.frozen
class Parameter:
    """A number the user may change (``--param early_assistance.days=5``)."""

    name: str
    default: int
    descriptions: Mapping[str, str]


@attrs.frozen
class Variable:
    """What a condition's ``var`` means, and the casestd fields it is derived from."""

    name: str
    description: str
    fields: tuple[str, ...]


@attrs.frozen
class Indicator:
    """One indicator of the catalogue; see ``docs/indicators.md`` for each in words."""

    id: str
    version: str
    area: str
    unit: str
    titles: Mapping[str, str]
    definitions: Mapping[str, str]
    population: str
    period_date: str
    numerator: tuple[Condition, ...]
    denominator: tuple[Condition, ...]
    uses_population: bool
    value: str | None
    parameters: Mapping[str, Parameter]
    breakdowns: tuple[str, ...]
    fields: tuple[str, ...]
    references: tuple[Mapping[str, str], ...]
    dhis2_code: str
    sdmx_code: str

    def title(self, lang: str = "en") -> str:
        return self.titles.get(lang) or self.titles["en"]

    def definition(self, lang: str = "en") -> str:
        return self.definitions.get(lang) or self.definitions["en"]

    @property
    def is_count(self) -> bool:
        return self.unit == "count"

    def variables(self) -> set[str]:
        found = {self.period_date} | ({self.value} if self.value else set())
        for condition in (*self.numerator, *self.denominator):
            found |= condition.variables()
        return found

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """The indicator as published (all languages, or one with ``lang``)."""

        def text(values: Mapping[str, str]) -> Any:
            return values.get(lang) or values["en"] if lang else dict(values)

        return {
            "id": self.id,
            "version": self.version,
            "area": self.area,
            "unit": self.unit,
            "title": text(self.titles),
            "definition": text(self.definitions),
            "population": self.population,
            "period_date": self.period_date,
            "numerator": [condition.to_dict() for condition in self.numerator],
            "denominator": [condition.to_dict() for condition in self.denominator],
            "denominator_is_population": self.uses_population,
            "value": self.value,
            "parameters": {name: p.default for name, p in self.parameters.items()},
            "breakdowns": list(self.breakdowns),
            "fields": list(self.fields),
            "references": [dict(ref) for ref in self.references],
            "dhis2_code": self.dhis2_code,
            "sdmx_code": self.sdmx_code,
        }


def _read(name: str) -> dict[str, Any]:
    text = resources.files("casestd.indicators.data").joinpath(name).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _dhis2_option(breakdown: str, code: str) -> str:
    return f"{breakdown}_{code}".upper().replace("-", "_").replace("+", "PLUS")


def _categories(data: Mapping[str, Any]) -> tuple[Category, ...]:
    bid = data["id"]
    sdmx_codes = data.get("sdmx_codes", {})
    prefix = data.get("sdmx_prefix", "")
    found: list[Category] = []

    def add(code: str, labels: Mapping[str, str], sdmx: Any, extra: Mapping[str, Any]) -> None:
        values = tuple(sdmx) if isinstance(sdmx, list) else (sdmx,)
        found.append(Category(code, labels, values, _dhis2_option(bid, code), extra))

    if "codes" in data:
        code_list = codes.get(data["codes"])
        for code in code_list.codes:
            labels = {lang: code_list.label(code, lang) for lang in LANGUAGES}
            add(code, labels, sdmx_codes.get(code, f"{prefix}{code.upper()}"), {})
        for item in data.get("extra", []):
            add(item["code"], item["labels"], item["sdmx"], item)
        if "unknown" not in code_list.codes:
            labels = data.get("unknown", {"en": "Unknown"})
            add("unknown", labels, sdmx_codes.get("unknown", "_U"), {})
    else:
        for item in data["categories"]:
            add(item["code"], item["labels"], item["sdmx"], item)
    return tuple(found)


@functools.cache
def _breakdowns() -> dict[str, Breakdown]:
    found = {}
    for data in _read("breakdowns.json")["breakdowns"]:
        dims = data["sdmx_dimension"]
        found[data["id"]] = Breakdown(
            id=data["id"],
            titles=data["title"],
            units=tuple(data["units"]),
            categories=_categories(data),
            sdmx_dimensions=tuple(dims) if isinstance(dims, list) else (dims,),
            code_list=data.get("codes"),
            org_unit=bool(data.get("dhis2_org_unit")),
        )
    return found


def _conditions(part: Mapping[str, Any] | None) -> tuple[Condition, ...]:
    return tuple(Condition.from_data(item) for item in (part or {}).get("where", []))


def _indicator(data: Mapping[str, Any]) -> Indicator:
    parameters = {
        name: Parameter(name, int(spec["default"]), spec.get("description", {}))
        for name, spec in data.get("parameters", {}).items()
    }
    indicator = Indicator(
        id=data["id"],
        version=data["version"],
        area=data["area"],
        unit=data["unit"],
        titles=data["title"],
        definitions=data["definition"],
        population=data["population"],
        period_date=data["period_date"],
        numerator=_conditions(data.get("numerator")),
        denominator=_conditions(data.get("denominator")),
        uses_population=bool((data.get("denominator") or {}).get("population")),
        value=data.get("value"),
        parameters=parameters,
        breakdowns=tuple(data["breakdowns"]),
        fields=tuple(data["fields"]),
        references=tuple(data["references"]),
        dhis2_code=data["dhis2_code"],
        sdmx_code=data["sdmx_code"],
    )
    if indicator.unit not in UNITS:
        raise ValueError(f"{indicator.id}: unknown unit {indicator.unit!r}")
    for bid in indicator.breakdowns:
        if indicator.population not in _breakdowns()[bid].units:
            raise ValueError(f"{indicator.id}: breakdown {bid} is not for {indicator.population}")
    return indicator


@functools.cache
def _catalogue() -> dict[str, Any]:
    data = _read("catalogue.json")
    data["indicators"] = {item["id"]: _indicator(item) for item in data["indicators"]}
    return data


def version() -> str:
    """The version of the catalogue as a whole."""
    return str(_catalogue()["version"])


def ids() -> list[str]:
    """The ids of all indicators, in catalogue order."""
    return list(_catalogue()["indicators"])


def get(indicator_id: str) -> Indicator:
    """The indicator with this id."""
    try:
        indicator: Indicator = _catalogue()["indicators"][indicator_id]
    except KeyError:
        raise UnknownIndicatorError(f"no indicator {indicator_id!r}") from None
    return indicator


def indicators() -> list[Indicator]:
    """Every indicator, in catalogue order."""
    return list(_catalogue()["indicators"].values())


def breakdown(breakdown_id: str) -> Breakdown:
    """The breakdown with this id."""
    try:
        return _breakdowns()[breakdown_id]
    except KeyError:
        raise UnknownIndicatorError(f"no breakdown {breakdown_id!r}") from None


@functools.cache
def linked_breakdowns() -> tuple[tuple[str, ...], ...]:
    """Groups of breakdowns whose categories constrain each other (``breakdowns.json``).

    >>> linked_breakdowns()[1]
    ('region', 'district')
    """
    return tuple(tuple(group) for group in _read("breakdowns.json")["linked"])


def breakdowns() -> list[Breakdown]:
    """Every breakdown."""
    return list(_breakdowns().values())


def publish() -> dict[str, Any]:
    """The catalogue as published (release file, ``casestd indicators list --format json``).

    Its version, the labels of areas, units and exclusion reasons, the
    breakdowns with their categories (labels, SDMX and DHIS2 codes), the
    linkage keys, the variables the conditions are written in (each with the
    fields it is derived from), and every indicator in all languages.
    """
    data = _catalogue()
    return {
        "version": version(),
        "translation_status": dict(data["translation_status"]),
        "areas": {key: dict(value) for key, value in data["areas"].items()},
        "units": {key: dict(value) for key, value in data["units"].items()},
        "reasons": {key: dict(value) for key, value in data["reasons"].items()},
        "linkage_keys": list(data["linkage_keys"]["keys"]),
        "variables": {
            v.name: {"description": v.description, "fields": list(v.fields)}
            for v in variables().values()
        },
        "breakdowns": [
            {
                "id": b.id,
                "title": dict(b.titles),
                "units": list(b.units),
                "code_list": b.code_list,
                "sdmx_dimensions": list(b.sdmx_dimensions),
                "categories": [
                    {
                        "code": c.code,
                        "labels": dict(c.labels),
                        "sdmx": list(c.sdmx),
                        "dhis2": c.dhis2,
                    }
                    for c in b.categories
                ],
            }
            for b in breakdowns()
        ],
        "linked_breakdowns": [list(group) for group in linked_breakdowns()],
        "indicators": [indicator.to_dict() for indicator in indicators()],
    }


@functools.cache
def variables() -> dict[str, Variable]:
    """The variables the conditions are written in, with the fields each is derived from."""
    data = _read("variables.json")["variables"]
    return {
        name: Variable(name, item["description"], tuple(item["fields"]))
        for name, item in data.items()
    }


def label(section: str, key: str, lang: str = "en") -> str:
    """A label of the catalogue's ``areas``, ``units`` or ``reasons``."""
    values: Mapping[str, str] = _catalogue()[section].get(key, {"en": key})
    return values.get(lang) or values.get("en", key)

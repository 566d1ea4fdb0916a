"""SDMX: a data structure definition generated from the catalogue, and SDMX-CSV 2.0 data.

Written with pysdmx (the ``sdmx`` extra: ``pip install 'casestd[sdmx]'``),
which writes SDMX-CSV 2.0 and SDMX-ML 3.0 structure messages and reads both
back. The structure (`structures`) is generated from ``data/sdmx.json`` and
the catalogue: one code list per dimension, holding the SDMX codes of every
breakdown category that maps to it (``breakdowns.json``) and ``_T`` (total);
the indicator code list from the indicators' ``sdmx_code``; a unit of measure
per catalogue unit. Each figure is one observation: a figure of one
breakdown has ``_T`` in every other dimension, and the trend's quarterly
totals are observations of their own ``TIME_PERIOD``.

A suppressed figure has no ``OBS_VALUE``, ``OBS_STATUS`` ``Q`` (SDMX's
"missing value; suppressed"), ``CONF_STATUS`` ``C`` (confidential) and the
legend of the mark ``c`` in ``COMMENT_OBS``; never a zero.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import IO, Any

from casestd.indicators import catalogue
from casestd.indicators.compute import Figure, Result
from casestd.indicators.outputs import legend, rounded
from casestd.indicators.period import Period

TOTAL = "_T"
_URN = "urn:sdmx:org.sdmx.infomodel"


class StructureError(ValueError):
    """The catalogue cannot be expressed as one SDMX structure (a catalogue defect)."""


@functools.cache
def _spec() -> dict[str, Any]:
    text = resources.files("casestd.indicators.data").joinpath("sdmx.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _text(values: Mapping[str, str], lang: str) -> str:
    return values.get(lang) or values["en"]


def dimension_ids() -> list[str]:
    """The dimensions in key order, ``TIME_PERIOD`` last."""
    spec = _spec()
    return [d["id"] for d in spec["dimensions"]] + [spec["time_dimension"]["id"]]


def dimension_codes(lang: str = "en") -> dict[str, dict[str, str]]:
    """Dimension -> {SDMX code: name}, from the catalogue's breakdowns.

    A code that two breakdowns share must mean the same (the same English
    label); a breakdown over several dimensions (sex and age) reuses codes
    that single-dimension breakdowns define.
    """
    spec = _spec()
    common = spec["common_codes"]
    found: dict[str, dict[str, str]] = {d["id"]: {} for d in spec["dimensions"]}
    found["INDICATOR"] = {i.sdmx_code: i.title(lang) for i in catalogue.indicators()}
    english: dict[tuple[str, str], str] = {}
    reused: list[tuple[str, str, str]] = []
    for breakdown in catalogue.breakdowns():
        for dimension in breakdown.sdmx_dimensions:
            if dimension not in found:
                raise StructureError(f"{breakdown.id}: no dimension {dimension}")
        for category in breakdown.categories:
            pairs = zip(breakdown.sdmx_dimensions, category.sdmx, strict=True)
            for dimension, code in pairs:
                if code in common:
                    continue
                if len(breakdown.sdmx_dimensions) > 1:
                    reused.append((breakdown.id, dimension, code))
                    continue
                seen = english.setdefault((dimension, code), category.label("en"))
                if seen != category.label("en"):
                    raise StructureError(
                        f"{dimension} code {code} means {seen!r} and {category.label('en')!r}"
                    )
                found[dimension][code] = category.label(lang)
    for breakdown_id, dimension, code in reused:
        if code not in found[dimension]:
            raise StructureError(f"{breakdown_id}: {dimension} code {code} has no label")
    for dimension, codes in found.items():
        if dimension != "INDICATOR":
            codes.update({code: _text(names, lang) for code, names in common.items()})
    return found


def _codelist(cid: str, name: str, version: str, codes: Mapping[str, str]) -> Any:
    from pysdmx.model import Code, Codelist

    agency = _spec()["agency"]
    return Codelist(
        id=cid,
        agency=agency,
        version=version,
        name=name,
        urn=f"{_URN}.codelist.Codelist={agency}:{cid}({version})",
        items=[Code(id=code, name=label) for code, label in codes.items()],
    )


def _attribute_codes(attribute: Mapping[str, Any], lang: str) -> dict[str, str] | None:
    if attribute.get("codes_from") == "units":
        return {unit.upper(): catalogue.label("units", unit, lang) for unit in catalogue.UNITS}
    if "codes" in attribute:
        return {code: _text(names, lang) for code, names in attribute["codes"].items()}
    return None


@functools.cache
def structures(lang: str = "en") -> tuple[Any, ...]:
    """The SDMX artefacts: code lists, the concept scheme, the DSD and its dataflow."""
    from pysdmx.model import Component, Concept, ConceptScheme, DataType, Role
    from pysdmx.model.dataflow import Components, Dataflow, DataStructureDefinition

    spec = _spec()
    agency, version = spec["agency"], catalogue.version()
    scheme_id = "CS_" + spec["id"].removeprefix("DSD_")
    codelists: list[Any] = []
    concepts: list[Any] = []
    components: list[Any] = []

    def concept_of(cid: str, name: str, codes: Any, dtype: Any) -> Any:
        urn = f"{_URN}.conceptscheme.Concept={agency}:{scheme_id}({version}).{cid}"
        concept = Concept(id=cid, name=name, urn=urn, codes=codes, dtype=dtype)
        concepts.append(concept)
        return concept

    def add(
        cid: str, names: Mapping[str, str], role: Any, codes: Mapping[str, str] | None, **kw: Any
    ) -> None:
        name = _text(names, lang)
        codelist = None
        dtype = kw.pop("dtype", None)
        if codes is not None:
            codelist = _codelist(f"CL_{cid}", name, version, codes)
            codelists.append(codelist)
            dtype = None
        concept = concept_of(cid, name, codelist, dtype)
        components.append(
            Component(
                id=cid,
                role=role,
                concept=concept,
                local_codes=codelist,
                local_dtype=dtype,
                name=name,
                **kw,
            )
        )

    for dimension, codes in dimension_codes(lang).items():
        names = next(d["name"] for d in spec["dimensions"] if d["id"] == dimension)
        add(dimension, names, Role.DIMENSION, codes, required=True)
    time = spec["time_dimension"]
    add(time["id"], time["name"], Role.DIMENSION, None, required=True, dtype=DataType.PERIOD)
    measure = spec["measure"]
    add(measure["id"], measure["name"], Role.MEASURE, None, required=False, dtype=DataType.DECIMAL)
    for attribute in spec["attributes"]:
        add(
            attribute["id"],
            attribute["name"],
            Role.ATTRIBUTE,
            _attribute_codes(attribute, lang),
            required=attribute["required"],
            attachment_level="O",
            dtype=DataType.STRING,
        )
    scheme = ConceptScheme(
        id=scheme_id, agency=agency, version=version, name=_text(spec["name"], lang), items=concepts
    )
    dsd = DataStructureDefinition(
        id=spec["id"],
        agency=agency,
        version=version,
        name=_text(spec["name"], lang),
        description=f"Generated from the casestd indicator catalogue {version}.",
        components=Components(components),
    )
    dataflow = Dataflow(
        id=spec["dataflow"],
        agency=agency,
        version=version,
        name=_text(spec["name"], lang),
        structure=dsd.short_urn,
    )
    return (*codelists, scheme, dsd, dataflow)


def dsd() -> Any:
    """The data structure definition (pysdmx ``DataStructureDefinition``)."""
    from pysdmx.model.dataflow import DataStructureDefinition

    return next(s for s in structures() if isinstance(s, DataStructureDefinition))


def write_structure(out: IO[str], lang: str = "en") -> None:
    """The structures as an SDMX-ML 3.0 structure message."""
    from pysdmx.io import write_sdmx
    from pysdmx.io.format import Format

    text = write_sdmx(list(structures(lang)), Format.STRUCTURE_SDMX_ML_3_0)
    out.write(text or "")


def _key(figure: Figure) -> dict[str, str]:
    key = {d["id"]: TOTAL for d in _spec()["dimensions"]}
    key["INDICATOR"] = catalogue.get(figure.indicator).sdmx_code
    if figure.breakdown is not None and figure.category is not None:
        breakdown = catalogue.breakdown(figure.breakdown)
        category = breakdown.category(figure.category)
        key.update(zip(breakdown.sdmx_dimensions, category.sdmx, strict=True))
    key[_spec()["time_dimension"]["id"]] = Period.parse(figure.period).sdmx
    return key


def rows(result: Result) -> list[dict[str, str]]:
    """One row per figure (main period, breakdowns and trend), as SDMX-CSV columns."""
    threshold = (result.suppression or {}).get("threshold")
    note = legend(threshold)
    controlled = threshold is not None
    found = []
    seen: set[tuple[str, ...]] = set()
    units = {indicator.id: indicator.unit for indicator in result.indicators}
    for figure in result.figures:
        key = _key(figure)
        values = tuple(key.values())
        if values in seen:
            raise StructureError(f"two figures with the key {'.'.join(values)}")
        seen.add(values)
        value = rounded(figure, units[figure.indicator])
        suppressed = figure.status == "suppressed"
        status = "Q" if suppressed else "O" if value is None else "A"
        row = {
            **key,
            "OBS_VALUE": "" if value is None else str(value),
            "UNIT_MEASURE": units[figure.indicator].upper(),
            "OBS_STATUS": status,
            "CONF_STATUS": ("C" if suppressed else "F") if controlled else "N",
            "COMMENT_OBS": note if suppressed else "",
        }
        found.append(row)
    return found


def dataset(result: Result) -> Any:
    """The figures of a published result as a pysdmx ``PandasDataset`` of the DSD."""
    import pandas as pd
    from pysdmx.io.pd import PandasDataset

    schema = dsd().to_schema()
    columns = [component.id for component in schema.components]
    frame = pd.DataFrame(rows(result), columns=columns, dtype="string")
    return PandasDataset(structure=schema, data=frame)


def write_csv(result: Result, out: IO[str]) -> None:
    """The figures of a published result as SDMX-CSV 2.0 (one ``datastructure`` block)."""
    from pysdmx.io import write_sdmx
    from pysdmx.io.format import Format

    text = write_sdmx(dataset(result), Format.DATA_SDMX_CSV_2_0_0)
    out.write((text or "").replace("\r\n", "\n"))

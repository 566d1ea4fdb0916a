"""SDMX-CSV 2.0 and the DSD, read back by pysdmx: codes in their code lists, suppression marked."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest
from pysdmx.io import get_datasets, read_sdmx
from pysdmx.model.dataflow import DataStructureDefinition

from casestd.indicators import catalogue, sdmx
from casestd.indicators.period import Period

sys.path.insert(0, str(Path(__file__).resolve().parent))

from indicator_data import MARKER, published


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("sdmx")
    data, structure = folder / "nap.csv", folder / "dsd.xml"
    with data.open("w", encoding="utf-8", newline="") as out:
        sdmx.write_csv(published(), out)
    with structure.open("w", encoding="utf-8") as out:
        sdmx.write_structure(out)
    return data, structure


def test_structure_is_read_back_with_every_dimension(written: tuple[Path, Path]) -> None:
    message = read_sdmx(written[1], validate=True)  # SDMX-ML 3.0, checked against its XSD
    dsds = [s for s in message.structures or () if isinstance(s, DataStructureDefinition)]
    assert len(dsds) == 1
    dsd = dsds[0]
    assert dsd.version == catalogue.version()
    dimensions = [c.id for c in dsd.components.dimensions]
    assert dimensions == sdmx.dimension_ids()
    for wanted in ("INDICATOR", "SEX", "AGE", "EXPLOITATION", "CITIZENSHIP", "REF_AREA"):
        assert wanted in dimensions
    assert dimensions[-1] == "TIME_PERIOD"
    attributes = {c.id for c in dsd.components.attributes}
    assert {"OBS_STATUS", "CONF_STATUS", "UNIT_MEASURE", "COMMENT_OBS"} <= attributes
    indicators = dsd.components["INDICATOR"].enumeration
    assert {code.id for code in indicators} == {i.sdmx_code for i in catalogue.indicators()}


def test_data_is_read_back_and_every_code_is_in_its_code_list(
    written: tuple[Path, Path],
) -> None:
    datasets = get_datasets(written[0], written[1])
    assert len(datasets) == 1
    frame = datasets[0].data
    schema = datasets[0].structure
    assert len(frame) == len(published().figures)
    for component in schema.components.dimensions:  # type: ignore[union-attr]
        if component.enumeration is None:
            continue
        allowed = {code.id for code in component.enumeration}
        assert set(frame[component.id]) <= allowed, component.id
    for component in schema.components.attributes:  # type: ignore[union-attr]
        if component.enumeration is not None:
            allowed = {code.id for code in component.enumeration}
            assert set(frame[component.id]) <= allowed, component.id
    keys = frame[sdmx.dimension_ids()].astype(str).agg(".".join, axis=1)
    assert keys.is_unique


def test_suppressed_cells_are_marked_never_zero(written: tuple[Path, Path]) -> None:
    rows = list(csv.DictReader(io.StringIO(written[0].read_text("utf-8"))))
    suppressed = [r for r in rows if r["OBS_STATUS"] == "Q"]
    expected = [f for f in published().figures if f.status == "suppressed"]
    assert suppressed and len(suppressed) == len(expected)
    for row in suppressed:
        assert row["OBS_VALUE"] == "" and row["CONF_STATUS"] == "C"
        assert row["COMMENT_OBS"].startswith("c: suppressed: fewer than 11")
    for row in rows:
        if row["OBS_STATUS"] == "A" and row["UNIT_MEASURE"] == "COUNT":
            assert not 0 < float(row["OBS_VALUE"]) < 11


def test_observations_match_the_figures(written: tuple[Path, Path]) -> None:
    rows = list(csv.DictReader(io.StringIO(written[0].read_text("utf-8"))))
    result = published()
    total = result.figure("victims_identified")
    row = next(
        r
        for r in rows
        if r["INDICATOR"] == "VICT_IDENT"
        and r["TIME_PERIOD"] == "2025"
        and all(r[d] == "_T" for d in sdmx.dimension_ids()[1:-1])
    )
    assert total.value is not None and float(row["OBS_VALUE"]) == total.value
    female = result.figure("victims_identified", "sex", "female")
    row = next(
        r
        for r in rows
        if r["INDICATOR"] == "VICT_IDENT" and r["SEX"] == "F" and r["TIME_PERIOD"] == "2025"
    )
    assert row["AGE"] == "_T" and float(row["OBS_VALUE"] or "nan") == female.value
    quarters = {r["TIME_PERIOD"] for r in rows if r["INDICATOR"] == "VICT_IDENT"}
    assert {"2025-Q1", "2025-Q4"} <= quarters


def test_no_personal_value(written: tuple[Path, Path]) -> None:
    for path in written:
        assert MARKER not in path.read_text("utf-8")


def test_time_ranges_are_sdmx_durations() -> None:
    assert Period.parse("2024-07..2025-06").sdmx == "2024-07-01/P12M"


def test_codes_shared_by_breakdowns_mean_the_same() -> None:
    codes = sdmx.dimension_codes()
    assert codes["AGE"]["_U"] != codes["AGE"]["_UB"]  # child/adult unknown, band unknown
    assert {"_T", "_X"} <= set(codes["SEX"])
    for lang in ("hy", "ru"):
        assert set(sdmx.dimension_codes(lang)["REF_AREA"]) == set(codes["REF_AREA"])

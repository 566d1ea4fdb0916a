"""casestd's precise linking on Spark: keys made per partition, clusters by Spark SQL.

For a national registry spread over machines (the ``spark`` extra: pyspark, pandas,
pyarrow). `key_table` turns a DataFrame of JSON records, one per row (as
``spark.read.text`` reads JSON Lines), into the key table of `casestd.dedup.sql`:
each partition validates its records with `casestd.validate` and makes their keys
(`casestd.dedup.record_keys`, only those the linking reads) in ``mapInPandas``, so no
record and no key goes through the driver. `Spark` is the `casestd.dedup.sql.Engine`
of a session: each statement's result is a temporary view, checkpointed
(``localCheckpoint``) so that the rounds of label propagation do not grow one long
plan. `cluster_labels` leaves ``casestd_labels`` (ref, label: the smallest ref of the
record's cluster) as a view to write out; `casestd.dedup.sql.cluster_refs` collects
the clusters, for tests and small registers.

Invalid records make no keys; count them with ``casestd validate`` beforehand, as
``casestd dedup`` lists them.

The SQL is the same text DuckDB runs (`casestd.dedup.sql.statements`); only `Spark.store`
differs from `casestd.dedup.sql.DuckDB.store`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any

from casestd.dedup.clusters import DEFAULT_MAX_BLOCK, record_keys
from casestd.dedup.key_table import DEFAULT_MATCH_KEYS, IDENTIFIER_KEYS
from casestd.dedup.sql import KEY_TABLE_COLUMNS, cluster_refs, key_rows

#: The Spark schema of the key table.
KEY_TABLE_SCHEMA = ", ".join(f"{column} string" for column in KEY_TABLE_COLUMNS)


class Spark:
    """A SparkSession as a `casestd.dedup.sql.Engine`: results are checkpointed views."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def store(self, name: str, select: str) -> None:
        self.session.sql(select).localCheckpoint().createOrReplaceTempView(name)

    def rows(self, select: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.session.sql(select).collect()]


def _partition_keys(
    entity: str, column: str, names: frozenset[str]
) -> Any:  # a function of pandas frames, for mapInPandas
    def make(frames: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        from casestd.validation import validate

        for frame in frames:
            people = []
            for text in frame[column]:
                if not isinstance(text, str) or not text.strip():
                    continue
                report = validate(entity, text.encode("utf-8"))
                if report.ok and report.record is not None:
                    people += record_keys(report.record, names)
            rows = list(key_rows(people, names))
            yield pd.DataFrame(rows, columns=list(KEY_TABLE_COLUMNS), dtype=object)

    return make


def key_table(
    records: Any,
    entity: str,
    *,
    column: str = "value",
    keys: Sequence[str] = DEFAULT_MATCH_KEYS,
    veto: Collection[str] = IDENTIFIER_KEYS,
) -> Any:
    """The key table (ref, key, value) of a DataFrame of JSON records of ``entity``, one
    record per row in ``column``; made partition by partition on the executors."""
    names = frozenset((*keys, *veto))
    return records.select(column).mapInPandas(
        _partition_keys(entity, column, names), KEY_TABLE_SCHEMA
    )


def cluster_labels(
    session: Any,
    table: Any,
    *,
    keys: Sequence[str] = DEFAULT_MATCH_KEYS,
    veto: Collection[str] = IDENTIFIER_KEYS,
    max_block: int = DEFAULT_MAX_BLOCK,
) -> list[tuple[str, ...]]:
    """The clusters of the key table DataFrame ``table`` (see `casestd.dedup.sql`).

    Leaves the view ``casestd_labels`` (ref, label) of every clustered record for the
    caller to write out, and returns the refs of each cluster, sorted.
    """
    table.createOrReplaceTempView("casestd_keys")
    return cluster_refs(
        Spark(session), table="casestd_keys", keys=keys, veto=veto, max_block=max_block
    )


__all__ = ["KEY_TABLE_SCHEMA", "Spark", "cluster_labels", "key_table"]

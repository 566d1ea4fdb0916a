"""casestd's precise linking as SQL over a key table, on DuckDB or Spark.

`find_duplicates` runs in one Python process and holds its index in memory. For a
register larger than memory (DuckDB) or spread over machines (Spark), the same keys
can be linked by the engine instead:

1. **The key table** (`KEY_TABLE_COLUMNS`: ``ref``, ``key``, ``value``): one row per
   value of a linking or veto key of a person record. `key_rows` makes the rows from
   `PersonKeys` (plain or `protect`-ed: the SQL never reads a value, only compares
   them); on Spark each partition makes its own (`casestd.dedup.spark`).
2. **Blocks**: the values of a linking key held by 2 to ``max_block`` records. A
   larger block is a collision (a placeholder PSN) and links nobody, as in
   `find_duplicates`.
3. **Veto** (``veto``, `IDENTIFIER_KEYS` by default): a pair sharing a block is not
   linked when, for some identifier key, both records hold values of it (in blocks of
   at most ``max_block``: placeholders veto nobody) and share none of them.
4. **Connected components** of the remaining pairs, by the engine: plain iterative
   SQL, each record taking the smallest label among itself and its neighbours until no
   label changes (as many rounds as the longest chain of a cluster, a handful).

This is the *precise* part of the rule of `casestd.dedup.clusters`, with two documented
differences. The veto is judged pair by pair, not on whole groups: a chain A-B-C
whose ends hold different PSNs, and B none, is one cluster here, where
`find_duplicates` keeps A and C apart (such chains are rare: the veto holds
whenever two records of a cluster share a block). The guarded tolerant keys,
corroboration and the household step are greedy, order-dependent rules with no
SQL form here; run `find_duplicates` for them. With ``veto=()`` the clusters are
exactly those of ``find_duplicates(..., tolerant=(), household=(), veto=())``;
tests compare both on generated populations.

Every statement is one ``SELECT`` in the dialect DuckDB and Spark SQL share; an
`Engine` says how a result becomes a table the next statement reads (DuckDB: a
temporary table; Spark: a checkpointed temporary view). That is the only place the
two engines differ.

>>> import duckdb
>>> from casestd.dedup import PersonKeys
>>> people = [
...     PersonKeys("child/a", {"psn": frozenset({"1"}), "name_dob": frozenset({"x"})}),
...     PersonKeys("child/b", {"name_dob": frozenset({"x"})}),
...     PersonKeys("child/c", {"psn": frozenset({"2"}), "name_dob": frozenset({"x"})}),
... ]
>>> connection = duckdb.connect()
>>> load_duckdb(connection, people)
>>> cluster_refs(DuckDB(connection), veto=())
[('child/a', 'child/b', 'child/c')]
>>> load_duckdb(connection, [people[0], people[2]])  # two PSNs: two people
>>> cluster_refs(DuckDB(connection))
[]
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, Protocol

from casestd.dedup.clusters import DEFAULT_MAX_BLOCK, PersonKeys
from casestd.dedup.key_table import DEFAULT_MATCH_KEYS, IDENTIFIER_KEYS

#: Columns of the key table, all text.
KEY_TABLE_COLUMNS = ("ref", "key", "value")
#: Rounds of label propagation before giving up (a chain this long is a defect).
MAX_ROUNDS = 100


class Engine(Protocol):
    """How a ``SELECT`` becomes a table, and how rows are read back."""

    def store(self, name: str, select: str) -> None:
        """Make ``name`` the result of ``select``, for the statements that follow."""

    def rows(self, select: str) -> list[tuple[Any, ...]]:
        """The rows of ``select``."""


class DuckDB:
    """A DuckDB connection as an `Engine`: results are temporary tables."""

    def __init__(self, connection: Any, table: str = "casestd_keys") -> None:
        self.connection = connection
        self.table = table

    def store(self, name: str, select: str) -> None:
        self.connection.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}")

    def rows(self, select: str) -> list[tuple[Any, ...]]:
        found: list[tuple[Any, ...]] = self.connection.execute(select).fetchall()
        return found


def key_rows(
    people: Iterable[PersonKeys], names: Collection[str] | None = None
) -> Iterator[tuple[str, str, str]]:
    """(ref, key, value) of every value of the keys ``names`` (default: the linking and
    veto keys) of each person: the rows of the key table."""
    wanted = frozenset((*DEFAULT_MATCH_KEYS, *IDENTIFIER_KEYS) if names is None else names)
    for person in people:
        for name, values in person.keys.items():
            if name in wanted:
                for value in values:
                    yield person.ref, name, value


def load_duckdb(connection: Any, people: Iterable[PersonKeys], table: str = "casestd_keys") -> None:
    """Write the key table of ``people`` into DuckDB as ``table`` (replaced if present)."""
    import pyarrow as pa  # type: ignore[import-untyped]

    connection.execute(f"CREATE OR REPLACE TABLE {table} (ref VARCHAR, key VARCHAR, value VARCHAR)")
    rows = key_rows(people)
    while batch := list(itertools.islice(rows, 200_000)):
        columns = [pa.array(column, pa.string()) for column in zip(*batch, strict=True)]
        connection.register("casestd_batch", pa.table(columns, names=list(KEY_TABLE_COLUMNS)))
        connection.execute(f"INSERT INTO {table} SELECT * FROM casestd_batch")
        connection.unregister("casestd_batch")


def _names(names: Iterable[str]) -> str:
    quoted = [f"'{name}'" for name in names if name.replace("_", "").isalnum()]
    return ", ".join(quoted) or "NULL"


def statements(
    table: str,
    *,
    keys: Sequence[str] = DEFAULT_MATCH_KEYS,
    veto: Collection[str] = IDENTIFIER_KEYS,
    max_block: int = DEFAULT_MAX_BLOCK,
) -> list[tuple[str, str]]:
    """The (name, SELECT) statements up to the linked pairs ``casestd_edges`` (a, b),
    in order; `cluster_refs` runs them and then the label rounds."""
    if max_block < 2:
        raise ValueError("max_block must be at least 2")
    linking, vetoing = _names(keys), _names(veto)
    sized = (
        "casestd_sized",
        f"SELECT key, value, count(DISTINCT ref) AS n FROM {table} "
        f"WHERE key IN ({linking}) OR key IN ({vetoing}) GROUP BY key, value",
    )
    kept = (
        "casestd_kept",
        f"SELECT DISTINCT t.ref, t.key, t.value FROM {table} t "
        "JOIN casestd_sized s ON t.key = s.key AND t.value = s.value "
        f"WHERE s.n <= {int(max_block)}",
    )
    pairs = (
        "casestd_pairs",
        "SELECT DISTINCT x.ref AS a, y.ref AS b FROM casestd_kept x "
        "JOIN casestd_kept y ON x.key = y.key AND x.value = y.value AND x.ref < y.ref "
        f"WHERE x.key IN ({linking})",
    )
    conflicts = (
        "casestd_conflicts",
        "SELECT DISTINCT p.a, p.b FROM casestd_pairs p "
        "JOIN casestd_kept x ON x.ref = p.a "
        "JOIN casestd_kept y ON y.ref = p.b AND y.key = x.key "
        f"WHERE x.key IN ({vetoing}) "
        "GROUP BY p.a, p.b, x.key "
        "HAVING sum(CASE WHEN x.value = y.value THEN 1 ELSE 0 END) = 0",
    )
    edges = (
        "casestd_edges",
        "SELECT p.a, p.b FROM casestd_pairs p "
        "LEFT JOIN casestd_conflicts c ON c.a = p.a AND c.b = p.b WHERE c.a IS NULL",
    )
    return [sized, kept, pairs, conflicts, edges]


#: Both directions of every edge.
_NEIGHBOURS = (
    "SELECT a AS ref, b AS other FROM casestd_edges UNION ALL SELECT b, a FROM casestd_edges"
)
_START = (
    "SELECT DISTINCT ref, ref AS label FROM "
    "(SELECT a AS ref FROM casestd_edges UNION ALL SELECT b FROM casestd_edges) e"
)
_ROUND = (
    "SELECT l.ref, least(l.label, min(n.label)) AS label FROM casestd_labels l "
    f"JOIN ({_NEIGHBOURS}) e ON e.ref = l.ref "
    "JOIN casestd_labels n ON n.ref = e.other GROUP BY l.ref, l.label"
)
_CHANGED = (
    "SELECT count(*) FROM casestd_next x JOIN casestd_labels l ON x.ref = l.ref "
    "WHERE x.label <> l.label"
)


def cluster_refs(
    engine: Engine,
    *,
    table: str = "casestd_keys",
    keys: Sequence[str] = DEFAULT_MATCH_KEYS,
    veto: Collection[str] = IDENTIFIER_KEYS,
    max_block: int = DEFAULT_MAX_BLOCK,
) -> list[tuple[str, ...]]:
    """The clusters of the key table ``table``: the refs of each (sorted), sorted.

    Raises RuntimeError when the labels do not settle in `MAX_ROUNDS` rounds.
    """
    for name, select in statements(table, keys=keys, veto=veto, max_block=max_block):
        engine.store(name, select)
    engine.store("casestd_labels", _START)
    for _ in range(MAX_ROUNDS):
        engine.store("casestd_next", _ROUND)
        changed = engine.rows(_CHANGED)[0][0]
        engine.store("casestd_labels", "SELECT ref, label FROM casestd_next")
        if not changed:
            break
    else:
        raise RuntimeError(f"cluster labels did not settle in {MAX_ROUNDS} rounds")
    groups: dict[str, list[str]] = {}
    for ref, label in engine.rows("SELECT ref, label FROM casestd_labels"):
        groups.setdefault(label, []).append(ref)
    return sorted(tuple(sorted(refs)) for refs in groups.values())


__all__ = [
    "KEY_TABLE_COLUMNS",
    "MAX_ROUNDS",
    "DuckDB",
    "Engine",
    "cluster_refs",
    "key_rows",
    "load_duckdb",
    "statements",
]

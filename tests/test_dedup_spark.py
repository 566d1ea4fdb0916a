"""casestd.dedup.spark: keys per partition and Spark SQL give find_duplicates' clusters.

Runs on the tests' local Spark session (``local_spark``: ``local[2]``) when pyspark and
Java are there; `.ci/run` installs both, and with CI set a missing one fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from casestd.dedup import find_duplicates, record_keys
from casestd.dedup.spark import cluster_labels, key_table
from casestd.model import ENTITIES
from casestd.testing import write_population

from local_spark import session as local_session

SIZE = 10_000


@pytest.fixture(scope="module")
def session() -> Any:
    return local_session()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_population(tmp_path_factory.mktemp("population"), SIZE, seed=2026)


def test_spark_gives_the_clusters_of_find_duplicates(session: Any, files: dict[str, Path]) -> None:
    tables = [key_table(session.read.text(str(path)), entity) for entity, path in files.items()]
    table = tables[0]
    for other in tables[1:]:
        table = table.unionByName(other)
    found = cluster_labels(session, table.repartition(4))
    people = []
    for entity, path in files.items():
        for line in path.read_text("utf-8").splitlines():
            people += record_keys(ENTITIES[entity].model_validate_json(line))
    expected = [c.refs for c in find_duplicates(people, tolerant=(), household=())]
    assert len(expected) > 1000
    assert found == expected
    labels = session.sql("SELECT count(*) FROM casestd_labels").collect()[0][0]
    assert labels == sum(len(refs) for refs in expected)

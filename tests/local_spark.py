"""One local Spark session for the tests that need Spark (started once: a JVM costs seconds).

`session()` skips the calling test when pyspark or Java is missing, and fails it instead
when CI is set (`.ci/run` installs both). The session has Splink's similarity jar, so
that the Splink blocks of docs/linkage.md, whose ``getOrCreate()`` finds this session,
have their UDFs.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from typing import Any

import pytest

_SESSION: list[Any] = []


def available() -> bool:
    """True when pyspark and Java are there; with CI set, a missing one fails the test."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        return False
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("Java is needed for the Spark tests (.ci/run installs it)")
        return False
    return True


def session() -> Any:
    """The local Spark session (``local[2]``), started on first use."""
    if not available():
        pytest.skip("pyspark or Java missing")
    if _SESSION:
        return _SESSION[0]
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # the executors run this Python
    builder = (
        SparkSession.builder.master("local[2]")
        .appName("casestd-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.local.dir", tempfile.mkdtemp(prefix="casestd-spark-"))
    )
    try:
        from splink.backends.spark import similarity_jar_location

        builder = builder.config("spark.jars", similarity_jar_location())
    except ImportError:  # pragma: no cover - splink comes with the test extras
        pass
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    _SESSION.append(spark)
    atexit.register(spark.stop)
    return spark

"""docs/linkage.md: every Python block runs as written, in order, in one namespace.

The page's blocks read ``records`` (typed records) and, for Spark, JSON Lines files in
per-entity folders: the test writes a generated population there, in a temporary
folder it runs in. The Spark blocks run on local Spark when pyspark and Java are there
(with CI set, `.ci/run` installs both and a missing one fails).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from casestd.testing import write_population

PAGE = Path(__file__).resolve().parents[1] / "docs" / "linkage.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def blocks() -> list[str]:
    return BLOCK.findall(PAGE.read_text("utf-8"))


def test_the_page_has_the_blocks_it_describes() -> None:
    found = blocks()
    assert len(found) == 5
    assert sum("SparkSession" in block for block in found) == 2
    assert not any("hdfs:///" in line.split("#")[0] for b in found for line in b.splitlines())


#: Run in a fresh interpreter whose working folder is the test's: Spark resolves relative
#: paths against the folder its JVM started in, which a running session cannot change.
_RUNNER = """
import json, sys
sys.path.insert(0, sys.argv[2])
import local_spark
from casestd.model import ENTITIES
paths = json.loads(sys.argv[3])
records = [
    ENTITIES[entity].model_validate_json(line)
    for entity, path in sorted(paths.items())
    for line in open(path, encoding="utf-8").read().splitlines()
]
namespace = {"records": records}
spark = local_spark.available()
if spark:
    local_spark.session()  # with Splink's jar: the blocks' getOrCreate() find it
ran = 0
for block in json.loads(open(sys.argv[1], encoding="utf-8").read()):
    if "SparkSession" in block and not spark:
        continue
    exec(compile(block, "linkage.md block", "exec"), namespace)
    ran += 1
print(json.dumps({"ran": ran, "spark": spark, "clusters": len(namespace["clusters"])}))
"""


def test_every_python_block_runs(tmp_path: Path) -> None:
    pytest.importorskip("splink")
    paths = write_population(tmp_path, 1000, seed=5)
    page = tmp_path / "blocks.json"
    page.write_text(json.dumps(blocks()), "utf-8")
    tests = str(Path(__file__).resolve().parent)
    argv = [str(page), tests, json.dumps({k: str(v) for k, v in paths.items()})]
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, *argv],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        check=True,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["ran"] == (5 if result["spark"] else 3)
    assert result["clusters"] > 10  # the last block's clusters
    if os.environ.get("CI"):
        assert result["spark"]
    if result["spark"]:
        assert (tmp_path / "labels").is_dir() and (tmp_path / "clusters").is_dir()

"""Running the tests' Node.js scripts (tests/js) with the packages npm installed there.

Without Node.js or the packages a test fails when the environment variable CI
is set (CI must run every client) and is skipped otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import pytest

JS = Path(__file__).resolve().parent / "js"


def ci() -> bool:
    """Whether the environment variable CI is set to something true."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def node_missing(packages: Iterable[str]) -> str | None:
    """Why the scripts cannot run (no node, packages not installed), or None."""
    if shutil.which("node") is None:
        return "node (Node.js) is not on PATH"
    missing = [p for p in packages if not (JS / "node_modules" / p / "package.json").is_file()]
    if missing:
        return (
            f"{', '.join(missing)} not installed in {JS / 'node_modules'}: "
            "run `npm ci --prefix tests/js --no-audit --no-fund`"
        )
    return None


def fail_or_skip(message: str) -> NoReturn:
    """Fail under CI, skip otherwise."""
    if ci():
        pytest.fail(f"{message} (CI is set, so this is a failure, not a skip)")
    pytest.skip(message)


def node_or_skip(packages: Iterable[str]) -> str:
    """The path of node, or fail (under CI) or skip with the reason it cannot run."""
    missing = node_missing(packages)
    if missing is not None:
        fail_or_skip(f"this test needs Node.js and tests/js/node_modules: {missing}")
    node = shutil.which("node")
    assert node is not None
    return node


def run_node(node: str, script: Path, request: Any, timeout: int = 300) -> Any:
    """Run ``script`` with ``request`` as JSON on stdin; its JSON answer, or fail."""
    done = subprocess.run(
        [node, str(script)],
        input=json.dumps(request).encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"{script.name} exited with {done.returncode}: {done.stderr.decode()}")
    return json.loads(done.stdout)

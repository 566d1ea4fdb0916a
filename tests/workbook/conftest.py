"""Fixtures of the workbook tests: LibreOffice headless, and a fixed rule context.

Tests that need LibreOffice (``soffice``) fail when the environment variable CI
is set and it is missing (``.ci/run`` installs it), and are skipped otherwise.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from casestd.rules.engine import RuleContext

#: "Now" for the workbook tests: a little after the workbooks they write are saved.
CONTEXT = RuleContext(now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
Convert = Callable[[Path, str, Path], Path]


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def context() -> RuleContext:
    return CONTEXT


@pytest.fixture(scope="session")
def soffice(tmp_path_factory: pytest.TempPathFactory) -> Convert:
    """``convert(file, format, outdir)``: LibreOffice headless ``--convert-to``."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        message = "LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui"
        if _ci():
            pytest.fail(f"{message} (CI is set, so this is a failure, not a skip)")
        pytest.skip(message)
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(source: Path, fmt: str, outdir: Path) -> Path:
        outdir.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                str(source),
            ],
            capture_output=True,
            timeout=180,
            check=False,
        )
        extension = fmt.split(":", 1)[0]
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        made = sorted(outdir.glob(f"{source.stem}*.{extension}"))
        assert made, (done.stdout + done.stderr).decode(errors="replace")
        return made[0]

    return convert

"""Generated casework for the indicator tests: files as the user has them, a personal marker.

Every victim's given name is `MARKER`, so a test can search each output for it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from casestd.indicators import Result, compute, publish
from casestd.testing.casework import casework, typed, write_jsonl

MARKER = "Zzmarkerqx"


def _payloads(n_victims: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for entity, payload in casework(n_victims, seed=seed).records:
        if entity == "trafficking_victim":
            payload["person"]["names"][0]["given"] = MARKER
        found.append((entity, payload))
    return found


def write_files(folder: Path, n_victims: int = 400, seed: int = 3) -> list[str]:
    """One JSON Lines file per entity, and one invalid service record."""
    paths = write_jsonl(_payloads(n_victims, seed), folder)
    with (folder / "service.jsonl").open("a", encoding="utf-8") as services:
        services.write('{"id": "not a service"}\n')
    return [str(path) for path in paths]


@functools.cache
def published(period: str = "2025", trend: int = 4, threshold: int | None = 11) -> Result:
    """The disclosure-controlled result over 400 generated victims (with the marker)."""
    records = [typed(entity, payload) for entity, payload in _payloads(400, 3)]
    return publish(compute(records, period=period, trend=trend), threshold)

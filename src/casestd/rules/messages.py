"""Rule messages in English, Armenian and Russian, from ``messages.json``."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    """Rule id -> language -> message template."""
    text = resources.files("casestd.rules").joinpath("messages.json").read_text("utf-8")
    data: dict[str, dict[str, str]] = json.loads(text)
    return data


class _Params(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"


def message(
    rule_id: str,
    lang: str,
    params: Mapping[str, object] | None = None,
    variant: str | None = None,
) -> str:
    """The message of ``rule_id`` in ``lang``, with its parameters filled in.

    A rule may have variants of its message (``RULE/VARIANT`` in
    ``messages.json``), for example one that names a detail only when it is
    known: ``message("json.invalid", "en", {"line": 2, "column": 7}, "detail")``.
    """
    templates = catalogue()[f"{rule_id}/{variant}" if variant else rule_id]
    template = templates.get(lang) or templates["en"]
    return template.format_map(_Params(params or {}))

"""The code list database: loads each list once, on first use."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from casestd.codes.codelist import Code, CodeList, UnknownCodeListError

_DATA = "casestd.codes.data"


@functools.cache
def _file_ids() -> tuple[str, ...]:
    folder = resources.files(_DATA)
    return tuple(
        sorted(
            entry.name.removesuffix(".json")
            for entry in folder.iterdir()
            if entry.name.endswith(".json") and not entry.name.startswith("_")
        )
    )


def ids() -> tuple[str, ...]:
    """The ids of all code lists, sorted.

    >>> "case_status" in ids() and "country" in ids()
    True
    """
    return _file_ids()


def from_dict(data: dict[str, Any]) -> CodeList:
    """Build a `CodeList` from its JSON form (the format of the data files)."""
    codes = {
        entry["code"]: Code(
            code=entry["code"],
            labels=dict(entry["labels"]),
            definition=entry.get("definition", ""),
            status=entry.get("status", "active"),
            replaced_by=entry.get("replaced_by"),
            source_codes=dict(entry.get("source_codes", {})),
            source_aliases={
                source: tuple(values) for source, values in entry.get("source_aliases", {}).items()
            },
            fallback=frozenset(entry.get("fallback", ())),
        )
        for entry in data["codes"]
    }
    return CodeList(
        id=data["id"],
        version=data["version"],
        title=dict(data["title"]),
        source=data.get("source", ""),
        codes=codes,
        sources=dict(data.get("sources", {})),
        translation_status=dict(data.get("translation_status", {})),
    )


def to_dict(code_list: CodeList) -> dict[str, Any]:
    """The JSON form of a `CodeList`, the format of the data files (`from_dict` reads it)."""
    return {
        "id": code_list.id,
        "version": code_list.version,
        "title": dict(code_list.title),
        "source": code_list.source,
        "sources": dict(code_list.sources),
        "translation_status": dict(code_list.translation_status),
        "codes": [_code_dict(code) for code in code_list],
    }


def _code_dict(code: Code) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "code": code.code,
        "labels": dict(code.labels),
        "definition": code.definition,
        "status": code.status,
        "replaced_by": code.replaced_by,
        "source_codes": dict(code.source_codes),
    }
    # optional keys, written only when they say something
    if code.source_aliases:
        entry["source_aliases"] = {k: list(v) for k, v in code.source_aliases.items()}
    if code.fallback:
        entry["fallback"] = sorted(code.fallback)
    return entry


@functools.cache
def get(list_id: str) -> CodeList:
    """The code list ``list_id``; raises `UnknownCodeListError` for an unknown id."""
    if list_id not in _file_ids():
        raise UnknownCodeListError(list_id)
    text = resources.files(_DATA).joinpath(f"{list_id}.json").read_text(encoding="utf-8")
    return from_dict(json.loads(text))

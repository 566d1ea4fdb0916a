"""The code list database: loads each list once, on first use."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from casestd.codes.codelist import Code, CodeList, UnknownCodeListError
from casestd.codes.iso import ISO_LISTS

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
    return tuple(sorted({*_file_ids(), *ISO_LISTS}))


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
        "codes": [
            {
                "code": code.code,
                "labels": dict(code.labels),
                "definition": code.definition,
                "status": code.status,
                "replaced_by": code.replaced_by,
                "source_codes": dict(code.source_codes),
            }
            for code in code_list
        ],
    }


@functools.cache
def get(list_id: str) -> CodeList:
    """The code list ``list_id``; raises `UnknownCodeListError` for an unknown id."""
    if list_id in ISO_LISTS:
        return ISO_LISTS[list_id]()
    if list_id not in _file_ids():
        raise UnknownCodeListError(list_id)
    text = resources.files(_DATA).joinpath(f"{list_id}.json").read_text(encoding="utf-8")
    return from_dict(json.loads(text))

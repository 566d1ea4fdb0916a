"""Releases of the standard: ``schemas/<version>/`` folders that never change.

A release holds the entity schemas, the bundle, every code list as JSON and as
CSV (one label column per language), the annotation keywords, and
``manifest.json`` with a SHA-256 checksum per file. Releases after
`CATALOGUE_AFTER` also hold the National Action Plan indicator catalogue
(``indicators/catalogue.json``, `casestd.indicators.catalogue.publish`), and
releases after `RULE_KIT_AFTER` the fixtures of the rules in CEL
(``rules/<rule id>/<name>.pass.json`` and ``.fail.json``) and the conformance kit
``rule-tests.json`` (`casestd.rules.fixtures`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import attrs

from casestd import codes
from casestd.codes.registry import to_dict
from casestd.schema.export import (
    CODES,
    DEFAULT_BASE_URI,
    JsonObject,
    dumps,
    inline_codes,
    keywords,
    schema_files,
)
from casestd.version import LANGUAGES, STANDARD_VERSION

MANIFEST = "manifest.json"
VERSION_PATTERN = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
#: The last release without the indicator catalogue; every later one holds it.
CATALOGUE_AFTER = "2.0.0"
CATALOGUE_FILE = "indicators/catalogue.json"
#: The last release without the fixtures of the rules in CEL; every later one holds them.
RULE_KIT_AFTER = "2.0.0"


def _after(version: str, last: str) -> bool:
    def parts(text: str) -> tuple[int, ...]:
        return tuple(int(part) for part in text.split("."))

    return parts(version) > parts(last)


def holds_catalogue(version: str) -> bool:
    """Whether the release ``version`` holds the indicator catalogue.

    >>> holds_catalogue("2.0.0"), holds_catalogue("2.1.0"), holds_catalogue("10.0.0")
    (False, True, True)
    """
    return _after(version, CATALOGUE_AFTER)


def holds_rule_kit(version: str) -> bool:
    """Whether the release ``version`` holds the rule fixtures and ``rule-tests.json``.

    >>> holds_rule_kit("2.0.0"), holds_rule_kit("2.1.0")
    (False, True)
    """
    return _after(version, RULE_KIT_AFTER)


class ReleaseError(Exception):
    """A release that cannot be written or read as asked."""


def code_list_csv(list_id: str) -> str:
    """A code list as CSV: code, a label column per language, definition, status, sources."""
    code_list = codes.get(list_id)
    sources = sorted({key for code in code_list for key in code.source_codes})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "code",
            *(f"label_{lang}" for lang in LANGUAGES),
            "definition",
            "status",
            "replaced_by",
            *(f"source_{source}" for source in sources),
        ]
    )
    for code in code_list:
        writer.writerow(
            [
                code.code,
                *(code_list.label(code.code, lang) for lang in LANGUAGES),
                code.definition,
                code.status,
                code.replaced_by or "",
                *(code.source_codes.get(source, "") for source in sources),
            ]
        )
    return out.getvalue()


def release_files(version: str, base_uri: str = DEFAULT_BASE_URI) -> dict[str, str]:
    """Relative path -> text of every file of a release of the current models, manifest last."""
    files = {
        name: dumps(schema)
        for name, schema in schema_files(base_uri=base_uri, version=version).items()
    }
    for list_id in codes.ids():
        files[f"codes/{list_id}.json"] = dumps(to_dict(codes.get(list_id)))
        files[f"codes/{list_id}.csv"] = code_list_csv(list_id)
    files["keywords.json"] = dumps(keywords())
    if VERSION_PATTERN.match(version) and holds_catalogue(version):
        from casestd.indicators import catalogue

        files[CATALOGUE_FILE] = dumps(catalogue.publish())
    if VERSION_PATTERN.match(version) and holds_rule_kit(version):
        from casestd.rules import fixtures

        for path, document in fixtures.fixture_files().items():
            files[path] = dumps(document)
        files[fixtures.KIT] = dumps(fixtures.rule_tests(version))
    files[MANIFEST] = dumps(manifest(version, base_uri, files))
    return files


def checksum(text: str) -> str:
    """``sha256:<hex>`` of a file's UTF-8 bytes."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def manifest(version: str, base_uri: str, files: dict[str, str]) -> JsonObject:
    """The manifest of a release: its version, base URI and a checksum per file."""
    return {
        "version": version,
        "base_uri": base_uri,
        "files": {path: checksum(text) for path, text in sorted(files.items())},
    }


def write_release(root: Path, version: str, base_uri: str = DEFAULT_BASE_URI) -> Path:
    """Write ``root/version/`` from the current models; refuses to touch an existing release."""
    if not VERSION_PATTERN.match(version):
        raise ReleaseError(f"{version!r} is not a MAJOR.MINOR.PATCH version")
    folder = root / version
    if folder.exists():
        raise ReleaseError(f"release {version} exists already; a published release never changes")
    for path, text in release_files(version, base_uri).items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return folder


def verify(folder: Path) -> list[str]:
    """Files of a release that differ from its manifest: changed, missing or unlisted."""
    try:
        listed: dict[str, str] = json.loads((folder / MANIFEST).read_text("utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        return [MANIFEST]
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    problems = sorted((present - set(listed)) - {MANIFEST})
    for path, expected in listed.items():
        file = folder / path
        if not file.is_file():
            problems.append(f"{path} (missing)")
        elif checksum(file.read_text("utf-8")) != expected:
            problems.append(f"{path} (changed)")
    return problems


@attrs.frozen
class SchemaSet:
    """The entity schemas and code lists of one release, or of the current models."""

    version: str
    entities: dict[str, JsonObject]
    code_lists: dict[str, JsonObject]


def current() -> SchemaSet:
    """The schemas and code lists the current models and data files would publish."""
    files = schema_files(version=STANDARD_VERSION)
    lists = {list_id: to_dict(codes.get(list_id)) for list_id in codes.ids()}
    return SchemaSet(STANDARD_VERSION, entity_schemas(files), lists)


def entity_schemas(files: dict[str, JsonObject]) -> dict[str, JsonObject]:
    """Entity name -> its schema with the code lists inlined, from a release's schema files.

    Releases from 2.0.0 keep the code lists in ``codes.schema.json``; inlining them
    lets any two releases be compared alike.
    """
    codes_doc = files.get(f"{CODES}.schema.json")
    return {
        name.removesuffix(".schema.json"): (
            inline_codes(schema, codes_doc) if codes_doc is not None else schema
        )
        for name, schema in files.items()
        if name not in {"bundle.schema.json", f"{CODES}.schema.json"}
    }


def load(source: str | Path) -> SchemaSet:
    """A release folder, or the word ``current`` for what the models would publish now."""
    if str(source) == "current":
        return current()
    folder = Path(source)
    try:
        info: dict[str, Any] = json.loads((folder / MANIFEST).read_text("utf-8"))
        entities = entity_schemas(
            {
                path.name: json.loads(path.read_text("utf-8"))
                for path in sorted(folder.glob("*.schema.json"))
            }
        )
        lists = {
            path.stem: json.loads(path.read_text("utf-8"))
            for path in sorted((folder / "codes").glob("*.json"))
        }
    except (OSError, ValueError) as error:
        raise ReleaseError(f"{folder}: not a readable release ({type(error).__name__})") from None
    return SchemaSet(str(info.get("version", folder.name)), entities, lists)


def releases(root: Path) -> list[str]:
    """The versions released under ``root``, oldest first."""
    found = (
        [p.name for p in root.iterdir() if p.is_dir() and VERSION_PATTERN.match(p.name)]
        if root.is_dir()
        else []
    )
    return sorted(found, key=lambda v: tuple(int(part) for part in v.split(".")))

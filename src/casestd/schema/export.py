"""Build the published JSON Schemas from the pydantic models and the code lists.

Each entity's schema carries ``$schema`` (draft 2020-12) and an ``$id`` whose
path holds the version of the standard. Code lists live in one schema of their
own, ``codes.schema.json``, as ``$defs`` entries named after the list, with their
labels; an entity refers to them (``codes.schema.json#/$defs/sex``, relative to
its ``$id``) instead of repeating them, so a list of hundreds of languages is
published once. Rules that JSON Schema cannot express are listed under
``x-rules``, with their CEL form (`casestd.rules.portable`). The ``x-`` keywords
are annotations declared in ``keywords.json``.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from casestd import codes, rules
from casestd.model import ENTITIES
from casestd.rules import portable
from casestd.rules.engine import definitions
from casestd.rules.messages import catalogue
from casestd.validation import entity_model
from casestd.version import LANGUAGES, STANDARD_VERSION

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: Where the schemas are published; ``$id`` is ``BASE/VERSION/ENTITY.schema.json``.
DEFAULT_BASE_URI = "https://schemas.casestd.org"
CODE_PREFIX = "code."
#: The file (and last part of the ``$id``) of the code list schema of a release.
CODES = "codes"
CODES_REF = f"{CODES}.schema.json#/$defs/"
#: Field-level checks that casestd makes beyond what the schema says (``kind`` field in rules.json).
FIELD_RULES = tuple(r for r, d in definitions().items() if d.get("kind") == "field")
JsonObject = dict[str, Any]


@functools.cache
def keywords() -> dict[str, str]:
    """The ``x-`` annotation keywords casestd uses, with what each means."""
    text = resources.files("casestd.schema").joinpath("keywords.json").read_text("utf-8")
    data: dict[str, str] = json.loads(text)
    data.pop("_comment")
    return data


def schema_id(name: str, version: str, base_uri: str = DEFAULT_BASE_URI) -> str:
    """The ``$id`` of schema ``name`` (an entity or ``bundle``) in a release."""
    return f"{base_uri.rstrip('/')}/{version}/{name}.schema.json"


def code_list_schema(list_id: str) -> JsonObject:
    """The ``$defs`` entry for a code list: the codes as an enum, with their labels."""
    code_list = codes.get(list_id)
    deprecated = {c.code: c.replaced_by for c in code_list if c.deprecated}
    schema: JsonObject = {
        "title": code_list.title.get("en", list_id),
        "description": f"A code of the casestd code list '{list_id}' ({code_list.source}).",
        "type": "string",
        "enum": list(code_list.codes),
        "x-code-list": list_id,
        "x-code-version": code_list.version,
        "x-code-labels": {
            c.code: {lang: code_list.label(c.code, lang) for lang in LANGUAGES} for c in code_list
        },
    }
    if deprecated:
        schema["x-deprecated-codes"] = deprecated
    return schema


def _replace_codes(node: Any, used: set[str]) -> Any:
    """Swap each inline code enum that pydantic wrote for a ``$ref`` to its list."""
    if isinstance(node, dict):
        list_id = node.get("x-code-list")
        if isinstance(list_id, str) and "enum" in node:
            used.add(list_id)
            # the field's own annotations (description, personal-data mark) stay beside the $ref
            kept = {k: v for k, v in node.items() if k not in ("type", "enum", "x-code-list")}
            return {"$ref": f"{CODES_REF}{list_id}", **kept}
        return {key: _replace_codes(value, used) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_codes(item, used) for item in node]
    return node


def invariants(entity: str) -> list[JsonObject]:
    """The rules of ``entity`` that its JSON Schema cannot express, as FHIR lists invariants.

    Each has its id, severity and text, and either its CEL checks (``portable``
    true, ``cel``: context, expression, path) or the reason it has none.
    """
    listed: list[JsonObject] = []
    named = [(rule_id, "error") for rule_id in FIELD_RULES]
    named += [(entry.id, entry.severity) for entry in rules.rules_for(entity)]
    for rule_id, severity in named:
        listed.append(
            {
                "id": rule_id,
                "severity": severity,
                "text": dict(catalogue()[rule_id]),
                **portable.published_rule(rule_id, entity),
            }
        )
    return listed


def json_schema(
    entity: str, *, base_uri: str = DEFAULT_BASE_URI, version: str | None = None
) -> JsonObject:
    """The JSON Schema (draft 2020-12) of ``entity``, as published in a release."""
    name, model = entity_model(entity)
    version = version or STANDARD_VERSION
    generated = model.model_json_schema(mode="validation")
    body = _replace_codes(generated, set())
    definitions: JsonObject = dict(body.pop("$defs", {}))
    schema: JsonObject = {
        "$schema": DRAFT,
        "$id": schema_id(name, version, base_uri),
        **body,
        "x-rules": invariants(name),
        "$defs": dict(sorted(definitions.items())),
    }
    return schema


def used_lists() -> list[str]:
    """The ids of the code lists some entity uses, sorted."""
    used: set[str] = set()
    for name in ENTITIES:
        _replace_codes(entity_model(name)[1].model_json_schema(mode="validation"), used)
    return sorted(used)


def codes_schema(*, base_uri: str = DEFAULT_BASE_URI, version: str | None = None) -> JsonObject:
    """The schema of the code lists the entities use: one ``$defs`` entry per list."""
    version = version or STANDARD_VERSION
    return {
        "$schema": DRAFT,
        "$id": schema_id(CODES, version, base_uri),
        "title": f"casestd {version}: code lists",
        "description": "The code lists of this release, each an enum with its labels in en, "
        "hy and ru; the entity schemas refer to '#/$defs/<list id>'.",
        "$defs": {list_id: code_list_schema(list_id) for list_id in used_lists()},
    }


def bundle(*, base_uri: str = DEFAULT_BASE_URI, version: str | None = None) -> JsonObject:
    """One document holding every entity's schema and the code lists, each with its ``$id``."""
    version = version or STANDARD_VERSION
    return {
        "$schema": DRAFT,
        "$id": schema_id("bundle", version, base_uri),
        "title": f"casestd {version}: all entities",
        "description": "Every entity schema of this release and its code lists; validate "
        "against '#/$defs/<entity>' or the entity's own $id.",
        "$defs": {
            **{name: json_schema(name, base_uri=base_uri, version=version) for name in ENTITIES},
            CODES: codes_schema(base_uri=base_uri, version=version),
        },
    }


def schema_files(
    *, base_uri: str = DEFAULT_BASE_URI, version: str | None = None
) -> dict[str, JsonObject]:
    """File name -> schema, for every entity, the code lists and the bundle."""
    files = {
        f"{name}.schema.json": json_schema(name, base_uri=base_uri, version=version)
        for name in ENTITIES
    }
    files[f"{CODES}.schema.json"] = codes_schema(base_uri=base_uri, version=version)
    files["bundle.schema.json"] = bundle(base_uri=base_uri, version=version)
    return files


def inline_codes(schema: JsonObject, codes_doc: JsonObject) -> JsonObject:
    """An entity schema with its code lists copied into its own ``$defs`` (``code.<id>``).

    The form a single self-contained file takes, and the form the release diff
    compares, so that releases before and after the split compare alike.
    """
    used: set[str] = set()

    def local(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(CODES_REF):
                list_id = ref[len(CODES_REF) :]
                used.add(list_id)
                return {**node, "$ref": f"#/$defs/{CODE_PREFIX}{list_id}"}
            return {key: local(value) for key, value in node.items()}
        if isinstance(node, list):
            return [local(item) for item in node]
        return node

    result: JsonObject = local(schema)
    definitions = dict(result.get("$defs", {}))
    for list_id in used:
        definitions[f"{CODE_PREFIX}{list_id}"] = codes_doc["$defs"][list_id]
    if definitions:
        result["$defs"] = dict(sorted(definitions.items()))
    return result


def dumps(document: JsonObject) -> str:
    """The canonical text of a published JSON file: sorted keys, 1-space indent, UTF-8.

    One space per level keeps a key per line for reading and diffing, at 15 % less
    than two (releases 1.0.0 used two).
    """
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

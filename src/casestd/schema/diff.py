"""Compare two releases of the standard and classify each change by the version bump it needs.

A change is *breaking* when some payload valid under the old schemas can be
invalid under the new ones (a MAJOR release). Additive changes (a new optional
field, code or warning rule, a deprecation, a widened constraint) need a MINOR
release; titles, descriptions and labels a PATCH. Paths are JSON Pointers into
the instance with ``*`` for any array item or map key; local references
(``$ref``) are followed, so a change to a shared definition shows at every path
that uses it.
A change to a code list is reported once, on the list (entity and path are its id).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casestd.schema._walk import Walk
from casestd.schema.changes import (
    KINDS,
    Bump,
    Change,
    change,
    describe,
    next_version,
    required_bump,
)
from casestd.schema.export import CODE_PREFIX, JsonObject
from casestd.schema.release import SchemaSet


def diff(old: SchemaSet, new: SchemaSet) -> list[Change]:
    """Every change from ``old`` to ``new``, deduplicated and sorted by entity and path."""
    found: list[Change] = []
    for name in sorted(old.entities.keys() - new.entities.keys()):
        found.append(change("entity_removed", name, "", "entity removed"))
    for name in sorted(new.entities.keys() - old.entities.keys()):
        found.append(change("entity_added", name, "", "entity added"))
    for name in sorted(old.entities.keys() & new.entities.keys()):
        before, after = old.entities[name], new.entities[name]
        if before != after:
            walk = Walk(name, before, after)
            walk.node(before, after, "", "")
            found += walk.found
            found += _rule_changes(name, before, after)
            found += _defs_code_changes(before, after)
    for list_id in sorted(old.code_lists.keys() - new.code_lists.keys()):
        found.append(change("code_list_removed", list_id, list_id, "code list removed"))
    for list_id in sorted(new.code_lists.keys() - old.code_lists.keys()):
        found.append(change("code_list_added", list_id, list_id, "code list added"))
    for list_id in sorted(old.code_lists.keys() & new.code_lists.keys()):
        before, after = old.code_lists[list_id], new.code_lists[list_id]
        if before != after:
            found += _code_changes(list_id, _list_view(before), _list_view(after))
    unique = dict.fromkeys(found)
    return sorted(unique, key=lambda c: (c.entity, c.path, c.kind, c.detail))


# --- rules and code lists -------------------------------------------------------------


def _rule_changes(entity: str, old: JsonObject, new: JsonObject) -> list[Change]:
    def listed(schema: JsonObject) -> dict[str, JsonObject]:
        rules = schema.get("x-rules", [])
        return {r["id"]: r for r in rules if isinstance(r, dict) and "id" in r}

    before, after = listed(old), listed(new)
    found = [
        change("rule_removed", entity, "", f"rule {r} removed")
        for r in sorted(before.keys() - after.keys())
    ]
    for rule_id in sorted(after.keys() - before.keys()):
        severity = after[rule_id].get("severity")
        text = f"rule {rule_id} added ({severity})"
        found.append(change("rule_added", entity, "", text, severity != "warning"))
    for rule_id in sorted(before.keys() & after.keys()):
        was, now = before[rule_id].get("severity"), after[rule_id].get("severity")
        if was != now:
            text = f"rule {rule_id}: {was} -> {now}"
            found.append(change("rule_severity_changed", entity, "", text, now != "warning"))
        if before[rule_id].get("text") != after[rule_id].get("text"):
            found.append(change("label_changed", entity, "", f"rule {rule_id}: text changed"))
        was_cel, now_cel = before[rule_id].get("cel"), after[rule_id].get("cel")
        if was_cel != now_cel:
            how = "added" if was_cel is None else "removed" if now_cel is None else "changed"
            text = f"rule {rule_id}: CEL checks {how}"
            found.append(change("rule_expression_changed", entity, "", text))
    return found


def _list_view(data: JsonObject) -> tuple[JsonObject, dict[str, JsonObject]]:
    """A code list file as (list metadata, code -> entry)."""
    meta = {key: data.get(key) for key in ("title", "source", "sources", "translation_status")}
    codes = {
        entry["code"]: {k: v for k, v in entry.items() if k != "code"}
        for entry in data.get("codes", [])
        if isinstance(entry, dict) and "code" in entry
    }
    return meta, codes


def _def_view(schema: JsonObject) -> tuple[JsonObject, dict[str, JsonObject]]:
    """A ``code.<id>`` definition of an entity schema as (list metadata, code -> entry)."""
    labels: Mapping[str, Any] = schema.get("x-code-labels", {})
    deprecated: Mapping[str, Any] = schema.get("x-deprecated-codes", {})
    codes = {
        code: {
            "labels": labels.get(code),
            "status": "deprecated" if code in deprecated else "active",
            "replaced_by": deprecated.get(code),
        }
        for code in schema.get("enum", [])
    }
    return {"title": schema.get("title")}, codes


def _defs_code_changes(old: JsonObject, new: JsonObject) -> list[Change]:
    """Code list changes seen in the ``$defs`` of an entity (the same as in the list files)."""
    found: list[Change] = []
    odefs, ndefs = old.get("$defs", {}), new.get("$defs", {})
    for name in sorted(odefs.keys() & ndefs.keys()):
        if name.startswith(CODE_PREFIX) and odefs[name] != ndefs[name]:
            list_id = name[len(CODE_PREFIX) :]
            found += _code_changes(list_id, _def_view(odefs[name]), _def_view(ndefs[name]))
    return found


def _code_changes(
    list_id: str,
    old: tuple[JsonObject, dict[str, JsonObject]],
    new: tuple[JsonObject, dict[str, JsonObject]],
) -> list[Change]:
    (ometa, ocodes), (nmeta, ncodes) = old, new
    found = [
        change("label_changed", list_id, list_id, f"{key} changed")
        for key in sorted(ometa.keys() | nmeta.keys())
        if ometa.get(key) != nmeta.get(key)
    ]
    for code in [c for c in ocodes if c not in ncodes]:
        found.append(change("code_removed", list_id, list_id, f"code {code!r} removed"))
    for code in [c for c in ncodes if c not in ocodes]:
        found.append(change("code_added", list_id, list_id, f"code {code!r} added"))
    for code in [c for c in ocodes if c in ncodes and ocodes[c] != ncodes[c]]:
        before, after = ocodes[code], ncodes[code]
        status = before.get("status", "active"), after.get("status", "active")
        if status[0] != status[1]:
            if status[1] == "deprecated":
                replaced = after.get("replaced_by")
                text = f"code {code!r} deprecated" + (f", use {replaced!r}" if replaced else "")
                found.append(change("code_deprecated", list_id, list_id, text))
            else:
                found.append(
                    change("code_reinstated", list_id, list_id, f"code {code!r} active again")
                )
        skip = {"status", "replaced_by"} if status[0] != status[1] else {"status"}
        for key in sorted((before.keys() | after.keys()) - skip):
            if before.get(key) != after.get(key):
                found.append(
                    change("label_changed", list_id, list_id, f"code {code!r}: {key} changed")
                )
    return found


__all__ = ["KINDS", "Bump", "Change", "change", "describe", "diff", "next_version", "required_bump"]

"""Two schemas of one entity compared node by node (`casestd.schema.diff`).

Private: `Walk` follows local references, and reports each difference of
properties, types, enums, patterns, bounds, conditions and annotations as a
`~casestd.schema.changes.Change` at its JSON Pointer.
"""

from __future__ import annotations

import json
from typing import Any

import attrs

from casestd.schema.changes import Change, change
from casestd.schema.export import JsonObject

_HANDLED = frozenset(
    {
        "type", "properties", "required", "additionalProperties", "items", "prefixItems",
        "anyOf", "allOf", "if", "then", "else", "enum", "const", "$ref", "pattern", "format",
        "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    }
)  # fmt: skip
_IGNORED = frozenset(
    {"$schema", "$id", "$defs", "x-rules", "x-code-version", "x-code-labels", "x-deprecated-codes"}
)
_LABELS = frozenset({"title", "description", "examples", "$comment"})
_ANNOTATIONS = frozenset({"default", "deprecated", "readOnly", "writeOnly"})
_CODE_KEYS = ("type", "enum", "x-code-list")
_MISSING: Any = object()


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _pointer(path: str, name: str) -> str:
    return f"{path}/{name.replace('~', '~0').replace('/', '~1')}"


def _schema(node: Any) -> JsonObject:
    if node is True or node is None:
        return {}
    if node is False:
        return {"not": {}}
    return dict(node) if isinstance(node, dict) else {"not": {}}


def _is_null(branch: Any) -> bool:
    return (
        isinstance(branch, dict)
        and branch.get("type") == "null"
        and set(branch) <= _LABELS | {"type"}
    )


def _resolve(node: JsonObject, root: JsonObject, refs: list[str]) -> JsonObject:
    """Follow local ``$ref``s, keeping sibling keywords; code lists keep only their codes."""
    while isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/$defs/"):
        name = node["$ref"][len("#/$defs/") :].replace("~1", "/").replace("~0", "~")
        target = root.get("$defs", {}).get(name)
        if not isinstance(target, dict) or len(refs) > 32:
            break
        refs.append(name)
        if "x-code-list" in target:
            target = {key: target[key] for key in _CODE_KEYS if key in target}
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _normal(node: Any, root: JsonObject) -> tuple[JsonObject, bool, str]:
    """The schema behind refs and a nullable ``anyOf``: (schema, nullable, last ref)."""
    refs: list[str] = []
    schema, nullable = _resolve(_schema(node), root, refs), False
    branches = schema.get("anyOf")
    if isinstance(branches, list) and any(_is_null(b) for b in branches):
        rest = [b for b in branches if not _is_null(b)]
        siblings = {k: v for k, v in schema.items() if k != "anyOf"}
        nullable = True
        if len(rest) == 1:
            schema = _resolve({**_schema(rest[0]), **siblings}, root, refs)
        else:
            schema = {**siblings, "anyOf": rest}
    return schema, nullable, refs[-1] if refs else ""


def _types(schema: JsonObject, nullable: bool) -> frozenset[str] | None:
    declared = schema.get("type")
    if declared is None:
        return None
    names = {declared} if isinstance(declared, str) else set(declared)
    return frozenset(names | ({"null"} if nullable else set()))


def _covers(old: frozenset[str], new: frozenset[str]) -> bool:
    return all(t in new or (t == "integer" and "number" in new) for t in old)


def _values(schema: JsonObject) -> set[str] | None:
    if "enum" in schema and isinstance(schema["enum"], list):
        return {_canon(v) for v in schema["enum"]}
    return {_canon(schema["const"])} if "const" in schema else None


def _lower(schema: JsonObject) -> tuple[float, int, str] | None:
    found = [
        (float(schema[key]), strict, f"{key} {schema[key]}")
        for key, strict in (("minimum", 0), ("exclusiveMinimum", 1))
        if isinstance(schema.get(key), int | float) and not isinstance(schema.get(key), bool)
    ]
    return max(found) if found else None


def _upper(schema: JsonObject) -> tuple[float, int, str] | None:
    found = [
        (float(schema[key]), loose, f"{key} {schema[key]}")
        for key, loose in (("maximum", 1), ("exclusiveMaximum", 0))
        if isinstance(schema.get(key), int | float) and not isinstance(schema.get(key), bool)
    ]
    return min(found) if found else None


def _condition_label(condition: Any) -> str:
    props = condition.get("properties", {}) if isinstance(condition, dict) else {}
    parts = [
        f"{name} = {_short(sub['const'])}"
        for name, sub in sorted(props.items())
        if isinstance(sub, dict) and "const" in sub
    ]
    return "if " + (" and ".join(parts) if parts else _short(condition))


def _conditions(schema: JsonObject) -> tuple[dict[str, JsonObject], list[Any]]:
    entries = list(schema.get("allOf", [])) if isinstance(schema.get("allOf"), list) else []
    if "if" in schema:
        entries.append({key: schema[key] for key in ("if", "then", "else") if key in schema})
    conditions: dict[str, JsonObject] = {}
    plain: list[Any] = []
    for entry in entries:
        if isinstance(entry, dict) and "if" in entry:
            conditions[_canon(entry["if"])] = entry
        else:
            plain.append(entry)
    return conditions, plain


@attrs.define
class Walk:
    """Compares two schemas of one entity node by node, collecting changes."""

    entity: str
    old_root: JsonObject
    new_root: JsonObject
    found: list[Change] = attrs.field(factory=list)
    active: set[tuple[str, str]] = attrs.field(factory=set)

    def add(
        self, kind: str, path: str, note: str, detail: str, breaking: bool | None = None
    ) -> None:
        text = f"{note}: {detail}" if note else detail
        self.found.append(change(kind, self.entity, path, text, breaking))

    def node(self, old: Any, new: Any, path: str, note: str) -> None:
        o, onull, oref = _normal(old, self.old_root)
        n, nnull, nref = _normal(new, self.new_root)
        pair = (oref, nref)
        if pair != ("", "") and pair in self.active:
            return  # a recursive definition: already being compared further up
        self.active.add(pair)
        try:
            if self.types(o, n, onull, nnull, path, note):
                self.objects(o, n, path, note)
                self.arrays(o, n, path, note)
                self.values(o, n, path, note)
                self.strings(o, n, path, note)
                self.bounds(o, n, path, note)
                self.conditions(o, n, path, note)
                self.alternatives(o, n, path, note)
                self.others(o, n, path, note)
        finally:
            self.active.discard(pair)

    def types(
        self, o: JsonObject, n: JsonObject, onull: bool, nnull: bool, path: str, note: str
    ) -> bool:
        """Report a type change; False when the types no longer overlap (nothing more to say)."""
        old, new = _types(o, onull), _types(n, nnull)
        if old is None and new is None:
            if onull != nnull:
                text = "null allowed" if nnull else "null no longer allowed"
                self.add("type_changed", path, note, text, breaking=onull)
            return True
        if old == new:
            return True
        shown = ["|".join(sorted(t)) if t else "any" for t in (old, new)]
        widened = new is None or (old is not None and _covers(old, new))
        self.add("type_changed", path, note, f"type {shown[0]} -> {shown[1]}", not widened)
        return (
            old is None or new is None or _covers(old, new) or _covers(new, old) or bool(old & new)
        )

    def objects(self, o: JsonObject, n: JsonObject, path: str, note: str) -> None:
        """Properties, required properties and additionalProperties."""
        oprops, nprops = o.get("properties", {}), n.get("properties", {})
        oadd = (
            True
            if o.get("additionalProperties", True) == {}
            else o.get("additionalProperties", True)
        )
        nadd = (
            True
            if n.get("additionalProperties", True) == {}
            else n.get("additionalProperties", True)
        )
        for name in sorted(oprops.keys() - nprops.keys()):
            self.add(
                "property_removed", _pointer(path, name), note, "property removed", nadd is not True
            )
        for name in sorted(nprops.keys() - oprops.keys()):
            self.add(
                "property_added", _pointer(path, name), note, "property added", oadd is not False
            )
        for name in sorted(oprops.keys() & nprops.keys()):
            self.node(oprops[name], nprops[name], _pointer(path, name), note)
        oreq, nreq = set(o.get("required", [])), set(n.get("required", []))
        for name in sorted(nreq - oreq):
            self.add("required_added", _pointer(path, name), note, "now required")
        for name in sorted(oreq - nreq):
            if name in nprops or name not in oprops:
                self.add("required_removed", _pointer(path, name), note, "no longer required")
        if oadd != nadd:
            if isinstance(oadd, dict) and isinstance(nadd, dict):
                self.node(oadd, nadd, f"{path}/*", note)
            else:
                text = f"additionalProperties {_short(oadd)} -> {_short(nadd)}"
                widened = oadd is False or nadd is True
                self.add("additional_properties_changed", path, note, text, not widened)

    def arrays(self, o: JsonObject, n: JsonObject, path: str, note: str) -> None:
        """Item schemas (``*``) and positional ``prefixItems``."""
        if "items" in o or "items" in n:
            self.node(o.get("items", {}), n.get("items", {}), f"{path}/*", note)
        oprefix, nprefix = o.get("prefixItems", []), n.get("prefixItems", [])
        for index in range(max(len(oprefix), len(nprefix))):
            old = oprefix[index] if index < len(oprefix) else {}
            new = nprefix[index] if index < len(nprefix) else {}
            self.node(old, new, f"{path}/{index}", note)

    def values(self, o: JsonObject, n: JsonObject, path: str, note: str) -> None:
        """Enums and consts; a switch to another code list. Codes of one list: see the list."""
        olist, nlist = o.get("x-code-list"), n.get("x-code-list")
        old, new = _values(o), _values(n)
        if olist is not None and nlist is not None:
            if olist != nlist:
                narrowed = old is None or (new is not None and not old <= new)
                self.add("type_changed", path, note, f"code list {olist} -> {nlist}", narrowed)
            return
        if old == new:
            return
        if new is None:
            self.add("enum_widened", path, note, "allowed values no longer restricted")
        elif old is None:
            self.add("enum_narrowed", path, note, f"values restricted to {_short(sorted(new))}")
        elif old - new:
            self.add("enum_narrowed", path, note, f"values removed: {_short(sorted(old - new))}")
        else:
            self.add("enum_widened", path, note, f"values added: {_short(sorted(new - old))}")

    def strings(self, o: JsonObject, n: JsonObject, path: str, note: str) -> None:
        """Patterns and formats (added: narrowing; removed: widening; changed: breaking)."""
        for key in ("pattern", "format"):
            old, new = o.get(key), n.get(key)
            if old == new:
                continue
            if old is None:
                self.add("pattern_added", path, note, f"{key} {_short(new)} added")
            elif new is None:
                self.add("pattern_removed", path, note, f"{key} {_short(old)} removed")
            else:
                self.add("pattern_changed", path, note, f"{key} {_short(old)} -> {_short(new)}")

    def bounds(self, o: JsonObject, n: JsonObject, path: str, note: str) -> None:
        """String lengths (length_*), array and object sizes and numbers (bound_*)."""
        for prefix, low, high in (
            ("length", "minLength", "maxLength"),
            ("bound", "minItems", "maxItems"),
            ("bound", "minProperties", "maxProperties"),
        ):
            for key, lower in ((low, True), (high, False)):
                old, new = o.get(key), n.get(key)
                if old != new:
                    narrowed = old is None or (
                        new is not None and (new > old if lower else new < old)
                    )
                    text = f"{key} {_short(old)} -> {_short(new)}"
                    self.add(f"{prefix}_{'narrowed' if narrowed else 'widened'}", path, note, text)
        for bound, lower in ((_lower, True), (_upper, False)):
            ob, nb = bound(o), bound(n)
            if (ob and ob[:2]) == (nb and nb[:2]):
                continue
            if ob is None or nb is None:
                narrowed = ob is None
            else:
                narrowed = nb[:2] > ob[:2] if lower else nb[:2] < ob[:2]
            none = "no lower bound" if lower else "no upper bound"
            text = f"{ob[2] if ob else none} -> {nb[2] if nb else none}"
            self.add(f"bound_{'narrowed' if narrowed else 'widened'}", path, note, text)

    def conditions(self, o: JsonObject, n: JsonObject, path: str, note: str) -> None:
        """``allOf`` entries and ``if``/``then``/``else`` conditions, compared per property."""
        oconds, oplain = _conditions(o)
        nconds, nplain = _conditions(n)
        for index in range(max(len(oplain), len(nplain))):
            if index < len(oplain) and index < len(nplain):
                self.node(oplain[index], nplain[index], path, note)
            else:
                added = index >= len(oplain)
                text = f"allOf entry {'added' if added else 'removed'}"
                self.add("constraint_changed", path, note, text, added)
        for key in sorted(oconds.keys() | nconds.keys()):
            entry = oconds.get(key) or nconds[key]
            for branch in ("then", "else"):
                label = _condition_label(entry["if"]) + (" (else)" if branch == "else" else "")
                inner = f"{note}; {label}" if note else label
                old = oconds.get(key, {}).get(branch)
                new = nconds.get(key, {}).get(branch)
                if old != new:
                    self.conditional(_schema(old), _schema(new), path, inner)

    def conditional(self, o: JsonObject, n: JsonObject, path: str, note: str) -> None:
        """The constraints one condition puts on the properties of the object at ``path``."""
        oprops, nprops = o.get("properties", {}), n.get("properties", {})
        for name in sorted(oprops.keys() | nprops.keys()):
            sub = _pointer(path, name)
            if name in oprops and name in nprops:
                self.node(oprops[name], nprops[name], sub, note)
            elif name in oprops:
                self.add("pattern_removed", sub, note, "conditional constraint removed")
            else:
                self.add("pattern_added", sub, note, "conditional constraint added")
        oreq, nreq = set(o.get("required", [])), set(n.get("required", []))
        for name in sorted(nreq - oreq):
            self.add("required_added", _pointer(path, name), note, "now required")
        for name in sorted(oreq - nreq):
            self.add("required_removed", _pointer(path, name), note, "no longer required")
        rest = ("properties", "required", "type")
        orest = {k: v for k, v in o.items() if k not in rest}
        nrest = {k: v for k, v in n.items() if k not in rest}
        if orest != nrest:
            self.add("pattern_changed", path, note, "conditional constraint changed")

    def alternatives(self, o: JsonObject, n: JsonObject, path: str, note: str) -> None:
        """``anyOf`` left after nullable fields are unwrapped."""
        old, new = o.get("anyOf"), n.get("anyOf")
        if old == new:
            return
        if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
            for before, after in zip(old, new, strict=True):
                self.node(before, after, path, note)
            return
        olds = {_canon(b) for b in old} if isinstance(old, list) else set()
        news = {_canon(b) for b in new} if isinstance(new, list) else set()
        widened = bool(olds) and olds <= news
        text = "alternative added" if widened else "alternatives changed"
        self.add("type_changed", path, note, text, not widened)

    def others(self, o: JsonObject, n: JsonObject, path: str, note: str) -> None:
        """Labels (patch), annotations (minor) and keywords not classified (constraint_changed)."""
        for key in sorted(o.keys() | n.keys()):
            if key in _HANDLED or key in _IGNORED:
                continue
            if key == "x-code-list" and "x-code-list" in o and "x-code-list" in n:
                continue
            old, new = o.get(key, _MISSING), n.get(key, _MISSING)
            if old == new:
                continue
            if key in _LABELS:
                self.add("label_changed", path, note, f"{key} changed")
            elif key == "deprecated" and new is True:
                self.add("property_deprecated", path, note, "deprecated")
            elif key in _ANNOTATIONS or key.startswith("x-"):
                self.add("annotation_changed", path, note, f"{key} changed")
            else:
                text = f"{key} {'removed' if new is _MISSING else 'changed'} (not classified)"
                self.add("constraint_changed", path, note, text, new is not _MISSING)

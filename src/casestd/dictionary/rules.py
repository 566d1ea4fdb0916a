"""The page of every rule a user meets, and of the input limits: ``docs/rules.md``.

It is generated from the data (``rules/messages.json``, ``rules/field_errors.json``,
``rules/input_rules.json``, ``rules/rules.json`` with the CEL form of each rule,
the rule registry and the limits in code) into the
template ``templates/rules.md``. The template holds named sections,
``{{name}}``; each is a function in `SECTIONS`, so that more sections can be
added. ``python -m casestd.dictionary`` writes the page; a test keeps it fresh.

>>> "`json.duplicate_key`" in rules_page()
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from importlib import resources

from casestd import rules, validation
from casestd.dictionary.markdown import cell, code, table
from casestd.io import jsontext
from casestd.model import ENTITIES
from casestd.rules import portable
from casestd.rules.engine import definitions
from casestd.rules.messages import catalogue
from casestd.version import LANGUAGES

_SECTION = re.compile(r"\{\{(\w+)\}\}")
_PATHS = {"record": "the record", "object": "the object", "field": "the field"}


def _data(package: str, name: str) -> dict[str, object]:
    found: dict[str, object] = json.loads(resources.files(package).joinpath(name).read_text())
    return found


def _messages(rule_id: str) -> Iterator[str]:
    """Lines giving every message of ``rule_id`` (and its variants) in every language."""
    variants = [key for key in catalogue() if key == rule_id or key.startswith(rule_id + "/")]
    for key in variants:
        label = "" if key == rule_id else f" ({key.split('/', 1)[1]})"
        for lang in LANGUAGES:
            yield f"- {lang}{label}: {cell(catalogue()[key][lang])}"


def _entry(rule_id: str, severity: str, path: str, extra: str = "") -> list[str]:
    head = f"### {code(rule_id)}\n\n{severity}, at {path}{extra}\n"
    return [head, *_messages(rule_id), ""]


def _cel(rule_id: str) -> list[str]:
    """Lines giving a rule's CEL checks as ``rules.json`` writes them, or why it has none."""
    if not portable.is_portable(rule_id):
        return [f"Not portable: {cell(portable.reason(rule_id) or '')}", ""]
    seen: dict[tuple[str, str, str], list[str]] = {}
    for entity in ENTITIES:
        for check in portable.checks(entity):
            if check.rule == rule_id:
                seen.setdefault((check.context, check.path, check.source), []).append(entity)
    lines = ["CEL:", ""]
    every = {e for e in ENTITIES if e in {x for on in seen.values() for x in on}}
    for (context, path, source), on in seen.items():
        where = "" if set(on) == every else f" ({', '.join(on)})"
        shown = code(context) if context else "the record"
        lines.append(f"- context {shown}, finding at {code(path)}{where}:")
        lines.append(f"  {code(source)}")
    return [*lines, ""]


def input_rules() -> str:
    """The rules about the input and the report."""
    data = _data("casestd.rules", "input_rules.json")["rules"]
    assert isinstance(data, dict)
    lines: list[str] = []
    for rule_id, facts in data.items():
        lines += _entry(rule_id, facts["severity"], _PATHS[facts["path"]])
    return "\n".join(lines).rstrip() + "\n"


def field_rules() -> str:
    """The field-level rules, with the pydantic error types each stands for."""
    mapping = _data("casestd.rules", "field_errors.json")["rules"]
    assert isinstance(mapping, dict)
    by_rule: dict[str, list[str]] = {}
    for error_type, rule_id in mapping.items():
        by_rule.setdefault(rule_id, []).append(error_type)
    fields = [key for key in catalogue() if key.startswith("field.") and "/" not in key]
    lines: list[str] = []
    for rule_id in fields:
        kinds = by_rule.get(rule_id, [])
        extra = f" (pydantic: {', '.join(code(k) for k in kinds)})" if kinds else ""
        if rule_id == "field.invalid":
            extra = " (any other pydantic error)"
        path = "the object" if rule_id == "field.unknown_unnamed" else "the field"
        lines += _entry(rule_id, "error", path, extra)
        if rule_id in definitions():
            lines += _cel(rule_id)
    return "\n".join(lines).rstrip() + "\n"


def entity_rules() -> str:
    """The cross-field rules, each with its severity and entities."""
    lines: list[str] = []
    for entry in rules.all_rules():
        extra = f"; entities: {', '.join(code(e) for e in entry.entities)}"
        lines += _entry(entry.id, entry.severity, "the field or the record", extra)
        lines += _cel(entry.id)
    return "\n".join(lines).rstrip() + "\n"


def cel_variables() -> str:
    """The variables every CEL check may read, besides ``self`` and ``record``."""
    rows = [[code(name), code(kind), cell(meaning)] for name, (kind, meaning) in
            portable.VARIABLES.items()]  # fmt: skip
    return "\n".join(table(["variable", "CEL type", "what it is"], rows)) + "\n"


def cel_macros() -> str:
    """The ``@macros`` and ``@constants`` of rules.json, and what each is written out as."""
    rows = []
    for name, macro in portable.macros().items():
        call = f"@{name}({', '.join(macro['params'])})" if macro["params"] else f"@{name}"
        body = macro["body"].replace("$", "")
        rows.append([code(call), cell(macro["doc"]), code(cell(body))])
    lines = table(["macro", "meaning", "written out as"], rows)
    lines += ["", *table(["constant", "written out from"], [
        [code(f"@{name}"), cell(
            f"{source['file']}, key {source['key']}" if "file" in source
            else f"the deprecated codes of the code list {source['code_list']}"
        )]
        for name, source in portable.constant_sources().items()
    ])]  # fmt: skip
    return "\n".join(lines) + "\n"


def limits() -> str:
    """The limits of the input, from the constants that enforce them."""
    mib = jsontext.MAX_RECORD_BYTES // (1024 * 1024)
    named = ", ".join(jsontext.display_name(codec) for codec in jsontext.likely_encodings())
    rows = [
        (
            "text encoding",
            f"UTF-8, with or without a byte order mark; other text is named when it looks"
            f" like one of {named}",
            "`input.encoding`",
        ),
        ("size of one record", f"{mib} MiB of JSON text", "`input.too_large`"),
        (
            "size of a file",
            "none: JSON Lines and JSON arrays are read as streams, one record at a time",
            "",
        ),
        ("nesting", "200 levels of arrays and objects", "`json.too_deep`"),
        ("keys of one object", f"{validation.MAX_OBJECT_KEYS:,}", "`input.too_many_keys`"),
        (
            "findings of one record",
            f"{validation.MAX_FINDINGS} (`--max-findings`, `validate(max_findings=...)`)",
            "`report.truncated`",
        ),
        (
            "values of one record checked item by item",
            f"{validation.MAX_VALUES:,}; beyond, each list stops at its first invalid item",
            "`report.truncated`",
        ),
        (
            "digits of an integer",
            f"{jsontext.MAX_INT_DIGITS:,}; longer ones are reported as out of range",
            "`field.range`",
        ),
    ]
    return "\n".join(table(["limit", "value", "finding"], [list(r) for r in rows])) + "\n"


#: Section name in the template -> the function that writes it.
SECTIONS: dict[str, Callable[[], str]] = {
    "input_rules": input_rules,
    "limits": limits,
    "field_rules": field_rules,
    "entity_rules": entity_rules,
    "cel_variables": cel_variables,
    "cel_macros": cel_macros,
}


def rules_page(sections: dict[str, Callable[[], str]] | None = None) -> str:
    """``docs/rules.md``: the template with each ``{{section}}`` written out."""
    template = resources.files("casestd.dictionary").joinpath("templates/rules.md").read_text()
    chosen = SECTIONS if sections is None else sections
    named = set(_SECTION.findall(template))
    if named != set(chosen):
        raise ValueError(f"template sections {sorted(named)} differ from {sorted(chosen)}")
    body = _SECTION.sub(lambda found: chosen[found[1]]().rstrip("\n"), template)
    notice = "*Generated by `python -m casestd.dictionary` from the rule data; do not edit.*"
    return body.rstrip("\n") + "\n\n" + notice + "\n"

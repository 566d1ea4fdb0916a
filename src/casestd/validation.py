"""``validate()``: parse, check against the model, run the rules, report.

Validation never raises for bad data and never copies a value into a
finding: a finding says which field and which rule, not what was there.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

from pydantic import BaseModel, ValidationError

from casestd import rules
from casestd.model import ENTITIES
from casestd.report import Finding, Report, pointer
from casestd.rules.engine import RuleContext, default_context
from casestd.rules.messages import LANGUAGES, message

#: Largest JSON text accepted for one record, in bytes.
MAX_RECORD_BYTES = 16 * 1024 * 1024
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_NAMES = {model: name for name, model in ENTITIES.items()}
_MODELS: dict[str, type[BaseModel]] = dict(ENTITIES)


@functools.cache
def _field_errors() -> tuple[dict[str, str], frozenset[str]]:
    text = resources.files("casestd.rules").joinpath("field_errors.json").read_text("utf-8")
    data = json.loads(text)
    return data["rules"], frozenset(data["params"])


def entity_model(entity: str | type[BaseModel]) -> tuple[str, type[BaseModel]]:
    """(name, model class) for an entity name or model class; raises for unknown ones."""
    if isinstance(entity, str):
        if entity not in ENTITIES:
            raise ValueError(f"unknown entity {entity!r}; use one of {', '.join(ENTITIES)}")
        return entity, ENTITIES[entity]
    if entity in _NAMES:
        return _NAMES[entity], entity
    raise ValueError(f"{entity!r} is not a casestd entity model")


def _finding(
    rule_id: str, severity: str, path: str, lang: str, params: Mapping[str, object] | None = None
) -> Finding:
    return Finding(rule_id, severity, path, message(rule_id, lang, params))  # type: ignore[arg-type]


def field_findings(error: ValidationError, lang: str) -> list[Finding]:
    """Findings for pydantic's errors; values and unknown key names stay out."""
    by_type, allowed = _field_errors()
    findings = []
    for detail in error.errors(include_url=False, include_input=False, include_context=True):
        rule_id = by_type.get(detail["type"], "field.invalid")
        if rule_id == "json.invalid" and "recursion" in str(detail.get("ctx", {}).get("error")):
            rule_id = "json.too_deep"
        location = tuple(detail["loc"])
        if rule_id == "field.unknown" and location and not _PLAIN_KEY.match(str(location[-1])):
            # the key itself may be personal data: point at its parent instead
            location, rule_id = location[:-1], "field.unknown_unnamed"
        context = detail.get("ctx") or {}
        params = {k: v for k, v in context.items() if k in allowed and isinstance(v, str | int)}
        findings.append(_finding(rule_id, "error", pointer(location), lang, params))
    return findings


def rule_findings(name: str, record: BaseModel, context: RuleContext, lang: str) -> list[Finding]:
    """Findings of the cross-field rules of entity ``name`` on a typed record."""
    return [
        _finding(entry.id, entry.severity, pointer(hit.path), lang, hit.params)
        for entry in rules.rules_for(name)
        for hit in entry.check(record, context)
    ]


def _input_finding(rule_id: str, lang: str) -> Report:
    return Report((_finding(rule_id, "error", "", lang),))


def validate(
    entity: str | type[BaseModel],
    data: Mapping[str, Any] | str | bytes | bytearray,
    *,
    lang: str = "en",
    context: RuleContext | None = None,
) -> Report:
    """Validate one record of ``entity`` and report what is wrong with it.

    ``data`` is a mapping or JSON text. Bad data never raises: it gives
    findings. Raises ValueError only for an unknown entity or language.
    ``context`` sets the time "now" and the deadlines the rules use.
    """
    if type(entity) is str and entity in _MODELS:
        name, model = entity, _MODELS[entity]
    else:
        name, model = entity_model(entity)
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    try:
        if isinstance(data, str | bytes | bytearray):
            if len(data) > MAX_RECORD_BYTES:
                return _input_finding("input.too_large", lang)
            record = model.__pydantic_validator__.validate_json(data)
        elif isinstance(data, Mapping):
            mapping = data if type(data) is dict else dict(data)
            record = model.__pydantic_validator__.validate_python(mapping)
        else:
            return _input_finding("input.not_object", lang)
    except ValidationError as error:
        return Report(tuple(field_findings(error, lang)))
    except RecursionError:
        return _input_finding("json.too_deep", lang)
    findings = rule_findings(name, record, context or default_context(), lang)
    return Report(tuple(findings), record)

"""``validate()``: parse, check against the model, run the rules, report.

Validation never raises for bad data and never copies a value into a
finding: a finding says which field and which rule, not what was there.
The work is bounded: a record reports at most ``max_findings`` findings and
then one ``report.truncated`` that says how many were left out, and a record
too large to check item by item (more than `MAX_VALUES` JSON values) is
checked with every list stopping at its first invalid item.
"""

from __future__ import annotations

import functools
import json
import operator
import re
from collections.abc import Iterator, Mapping
from importlib import resources
from itertools import chain
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import SchemaValidator

from casestd import rules
from casestd.io import jsontext
from casestd.io.jsontext import MAX_RECORD_BYTES, Problem
from casestd.model import ENTITIES
from casestd.model.walk import container_fields, field_names
from casestd.report import Finding, Report, pointer
from casestd.rules.engine import RuleContext, default_context
from casestd.rules.messages import message
from casestd.version import LANGUAGES

__all__ = ["MAX_FINDINGS", "MAX_RECORD_BYTES", "MAX_VALUES", "entity_model", "validate"]

#: Findings reported per record unless ``max_findings`` says otherwise.
MAX_FINDINGS = 100
#: A record with more JSON values than this is checked with fail-fast lists.
MAX_VALUES = 10_000
#: An object with more keys than this is not checked field by field (no entity has so many).
MAX_OBJECT_KEYS = 1_000
_UNREAD = object()
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
    rule_id: str,
    severity: str,
    path: str,
    lang: str,
    params: Mapping[str, object] | None = None,
    variant: str | None = None,
) -> Finding:
    text = message(rule_id, lang, params, variant)
    return Finding(rule_id, severity, path, text)  # type: ignore[arg-type]


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
    found: list[Finding] = []
    for entry in rules.rules_for(name):
        hits = entry.check(record, context)
        if hits:  # most rules return an empty tuple; a generator is always true
            found += [
                _finding(entry.id, entry.severity, pointer(hit.path), lang, hit.params)
                for hit in hits
            ]
    return found


def problem_finding(problem: Problem, lang: str, known: frozenset[str] = frozenset()) -> Finding:
    """The finding for a problem of the input text (see `casestd.io.jsontext`)."""
    params, variant = dict(problem.params), None
    if problem.rule == "json.duplicate_key":
        key = params.pop("key", "")
        if key in known and _PLAIN_KEY.match(str(key)):
            params["key"] = key
        else:
            variant = "unnamed"
    elif params and problem.rule in ("input.encoding", "json.invalid"):
        variant = "detail"
    return _finding(problem.rule, problem.severity, pointer(problem.path), lang, params, variant)


def bounded(findings: list[Finding], limit: int | None, lang: str) -> tuple[Finding, ...]:
    """At most ``limit`` findings, then one ``report.truncated`` counting the rest."""
    if limit is None or len(findings) <= limit:
        return tuple(findings)
    rest = findings[limit:]
    severity = "error" if any(f.severity == "error" for f in rest) else "warning"
    params = {"omitted": len(rest), "limit": limit}
    return (*findings[:limit], _finding("report.truncated", severity, "", lang, params))


def _stopped(findings: list[Finding], limit: int, lang: str) -> tuple[Finding, ...]:
    kept = findings[:limit]
    params = {"values": MAX_VALUES}
    return (*kept, _finding("report.truncated", "error", "", lang, params, "stopped"))


@functools.cache
def _twin(model: type[BaseModel]) -> type[BaseModel]:
    """A subclass of ``model`` that pydantic-core builds afresh instead of reusing its validator."""
    twin: type[BaseModel] = type(model.__name__, (model,), {"__module__": model.__module__})
    twin.__pydantic_complete__ = False  # pydantic-core reuses the validators of complete models
    return twin


@functools.cache
def _fail_fast_validator(model: type[BaseModel]) -> SchemaValidator:
    """A validator of ``model`` whose lists stop at their first invalid item.

    It only finds errors: its records are of twin classes, so a record it
    accepts is validated again by the model's own validator.
    """

    def rebuild(node: Any) -> Any:
        if isinstance(node, dict):
            copied = {key: rebuild(value) for key, value in node.items()}
            if copied.get("type") == "list":
                copied["fail_fast"] = True
            elif copied.get("type") == "model":
                copied["cls"] = _twin(copied["cls"])
            return copied
        if isinstance(node, list):
            return [rebuild(item) for item in node]
        return node

    if not isinstance(model.__pydantic_core_schema__, dict):  # not built yet
        model.model_rebuild(force=True)
    return SchemaValidator(rebuild(model.__pydantic_core_schema__))


def _large_objects(value: Any) -> list[tuple[int | str, ...]]:
    """Paths of the objects in ``value`` with more than `MAX_OBJECT_KEYS` keys.

    The walk goes level by level with comprehensions, which keeps it near a
    tenth of a microsecond per value even for millions of them.
    """
    level = [value]
    while level:
        objects = [node for node in level if isinstance(node, dict)]
        if objects and max(map(len, objects)) > MAX_OBJECT_KEYS:
            return list(_large_paths(value, ()))
        arrays = [node for node in level if not isinstance(node, dict)]
        children = list(chain(chain.from_iterable(map(dict.values, objects)), *arrays))
        kinds = tuple(kind for kind in set(map(type, children)) if issubclass(kind, dict | list))
        if not kinds:
            return []
        level = [item for item in children if type(item) in kinds]
    return []


def _large_paths(value: Any, path: tuple[int | str, ...]) -> Iterator[tuple[int | str, ...]]:
    if isinstance(value, dict) and len(value) > MAX_OBJECT_KEYS:
        yield path
        return
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if isinstance(item, (dict, list)):
            yield from _large_paths(item, (*path, key))


#: How to count the values of a model's record: (field, holds a list, plan of the nested
#: model or None); a nested model with nothing to walk has the plan ``()``.
_Plan = tuple[tuple[str, bool, "_Plan | None"], ...]


@functools.cache
def _plan(model: type[BaseModel]) -> _Plan:
    return tuple(
        (name, many, None if nested is None else _plan(nested))
        for name, many, nested in container_fields(model)
    )


def _more_values_than(model: type[BaseModel], value: dict[str, Any], limit: int) -> bool:
    """True when ``value`` holds more than ``limit`` values where ``model`` can err per value.

    Only the keys of objects and the items of lists the model iterates over
    count: every other field gives at most one error however large its value.
    The walk follows the model, so it looks at a few dozen fields of a record.
    """
    return _count(_plan(model), value, limit) > limit


def _count(plan: _Plan, node: dict[str, Any], limit: int) -> int:
    """The values of ``node`` as `_more_values_than` counts them, or any number above ``limit``.

    Lists and objects of subclasses of list and dict count too: the model's
    strict mode iterates over them. The recursion is as deep as the model's
    nesting, whatever the input.
    """
    count = len(node)
    for name, many, nested in plan:
        item = node.get(name)
        if many and isinstance(item, list):
            count += len(item)
            if nested is not None and count <= limit:
                for part in item:
                    if isinstance(part, dict):
                        count += _count(nested, part, limit - count) if nested else len(part)
                        if count > limit:
                            return count
        elif nested is not None and isinstance(item, dict):
            count += _count(nested, item, limit - count) if nested else len(item)
        if count > limit:
            return count
    return count


#: Text up to this size may go straight to pydantic-core's parser (`_direct`): it is too
#: short to hold an integer that jiter cannot read, or more than `MAX_VALUES` values.
_DIRECT_BYTES = jsontext.MAX_INT_DIGITS
#: White space, which JSON allows between a key and its colon.
_SPACES = b" \t\n\r"
_FIELDS_SET = operator.attrgetter("__pydantic_fields_set__")


def _direct(model: type[BaseModel], data: bytes) -> BaseModel | None:
    """The record of ``data`` when pydantic-core's own parser and validator accept it whole
    and it repeats no key, else None (then the text goes the long way, through `_read`).

    Any text this accepts gives the same record, and no findings of the text or the
    model, as the long way. A record that passed the model holds a model for each object
    of the text (no field of any entity is a free mapping), and each model knows which
    keys it was given: their number is at most the number of keys written in the text,
    and equal only when no object repeats a key. `_key_ends` counts at least as many
    keys as the text has, so when it counts as many as the models hold, no key is
    repeated.
    """
    if _reads_floats(model) and (b"NaN" in data or b"Infinity" in data):
        return None  # not JSON, but pydantic-core reads them as numbers
    try:
        record: BaseModel = model.__pydantic_validator__.validate_json(data)
    except (ValidationError, RecursionError):
        return None
    if _key_ends(data) != _keys_held(record):
        return None
    return record


def _key_ends(data: bytes) -> int:
    """At least the number of keys written in the JSON text ``data``.

    Each key ends with a quote and a colon, perhaps with white space between them:
    without the white space, a quote and a colon, which is what this counts. They
    occur elsewhere only inside strings or at the start of a string value.
    """
    return data.translate(None, _SPACES).count(b'":')


@functools.cache
def _reads_floats(model: type[BaseModel]) -> bool:
    """True when a field of ``model`` (or of a model inside it) is a float."""

    def floats(node: Any) -> bool:
        if isinstance(node, dict):
            return node.get("type") == "float" or any(map(floats, node.values()))
        if isinstance(node, list):
            return any(map(floats, node))
        return False

    return floats(model.__pydantic_core_schema__)


#: The fields of a model that hold models: (name, holds a list, the nested models hold none).
_Holders = tuple[tuple[str, bool, bool], ...]


@functools.cache
def _holders(model: type[BaseModel]) -> _Holders:
    return tuple(
        (name, many, not _holders(nested))
        for name, many, nested in container_fields(model)
        if nested is not None
    )


def _keys_held(record: BaseModel) -> int:
    """How many keys the objects of the text gave ``record`` and the models inside it."""
    given = record.__pydantic_fields_set__
    count = len(given)
    for name, many, leaf in _holders(type(record)):
        if name not in given:  # a model held by default came from no object of the text
            continue
        value = getattr(record, name)
        if value is None:
            continue
        if not many:
            count += len(value.__pydantic_fields_set__) if leaf else _keys_held(value)
        else:
            count += sum(map(len, map(_FIELDS_SET, value)) if leaf else map(_keys_held, value))
    return count


def _model_report(
    name: str,
    model: type[BaseModel],
    value: Any,
    large: bool,
    lang: str,
    context: RuleContext | None,
) -> tuple[list[Finding], Any, bool]:
    """(findings, typed record or None, complete) of a parsed record."""
    if large:
        objects = _large_objects(value)
        if objects:
            found = [_finding("input.too_many_keys", "error", pointer(p), lang,
                              {"limit": MAX_OBJECT_KEYS}) for p in objects]  # fmt: skip
            return found, None, True
    try:
        if large:
            _fail_fast_validator(model).validate_python(value)
        record = model.__pydantic_validator__.validate_python(value)
    except ValidationError as error:
        return field_findings(error, lang), None, not large
    except RecursionError:
        return [_finding("json.too_deep", "error", "", lang)], None, True
    return rule_findings(name, record, context or default_context(), lang), record, True


def _read(data: Any, model: type[BaseModel], lang: str) -> tuple[Any, list[Finding], bool]:
    """(value, findings of the text, whether the value is large) of any input.

    The value is `_UNREAD` when the text could not be read at all.
    """
    if isinstance(data, str | bytes | bytearray):
        parsed = jsontext.parse(data)
        known = field_names(model)
        found = [problem_finding(problem, lang, known) for problem in parsed.problems]
        if parsed.value is None and parsed.problems:
            return _UNREAD, found, False
        value = parsed.value
        # a value takes at least two characters (with its comma), so shorter text holds fewer
        large = isinstance(value, dict) and len(data) > 2 * MAX_VALUES
        return value, found, large and _more_values_than(model, value, MAX_VALUES)
    if isinstance(data, Mapping):
        value = data if type(data) is dict else dict(data)
        return value, [], _more_values_than(model, value, MAX_VALUES)
    return None, [], False


def _value(data: Any, model: type[BaseModel], lang: str) -> tuple[Any, list[Finding], bool]:
    """`_read`, with the usual case first: small, clean UTF-8 text."""
    if type(data) is bytes and len(data) <= 2 * MAX_VALUES:
        try:
            return jsontext.loads(data), [], False
        except ValueError:
            return _read(data, model, lang)
    return _read(data, model, lang)


def _checked(
    name: str,
    model: type[BaseModel],
    value: dict[str, Any],
    context: RuleContext | None,
    lang: str,
    limit: int | None,
) -> Report:
    """The report of a mapping that is not large and has no findings of its text: the
    model, then the rules."""
    try:
        record = model.__pydantic_validator__.validate_python(value)
    except ValidationError as error:
        return Report(bounded(field_findings(error, lang), limit, lang))
    except RecursionError:
        return Report((_finding("json.too_deep", "error", "", lang),))
    return _ruled(name, record, context, lang, limit)


def _ruled(
    name: str, record: BaseModel, context: RuleContext | None, lang: str, limit: int | None
) -> Report:
    """The report of a record the model accepted: the findings of the rules, bounded."""
    found = rule_findings(name, record, context or default_context(), lang)
    return Report(bounded(found, limit, lang) if found else (), record)


def validate(
    entity: str | type[BaseModel],
    data: Mapping[str, Any] | str | bytes | bytearray,
    *,
    lang: str = "en",
    context: RuleContext | None = None,
    max_findings: int | None = MAX_FINDINGS,
) -> Report:
    """Validate one record of ``entity`` and report what is wrong with it.

    ``data`` is a mapping or JSON text (UTF-8; a byte order mark is allowed).
    Bad data never raises: it gives findings. Raises ValueError only for an
    unknown entity or language, or a ``max_findings`` below 1. ``context``
    sets the time "now" and the deadlines the rules use. At most
    ``max_findings`` findings are reported (None: all of them), then one
    ``report.truncated``.
    """
    if type(entity) is str and entity in _MODELS:
        name, model = entity, _MODELS[entity]
    else:
        name, model = entity_model(entity)
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    if max_findings is not None and max_findings < 1:
        raise ValueError("max_findings must be at least 1, or None for no bound")
    limit = max_findings
    if type(data) is bytes and len(data) <= _DIRECT_BYTES:
        record = _direct(model, data)
        if record is not None:  # the usual case of text: no findings of the text or the model
            return _ruled(name, record, context, lang, limit)
    found: list[Finding]
    if type(data) is dict:
        if limit is None or not _more_values_than(model, data, MAX_VALUES):
            return _checked(name, model, data, context, lang, limit)  # the usual case
        value, found, large = data, [], True
    else:
        value, found, large = _value(data, model, lang)
        if type(value) is not dict:
            if value is not _UNREAD:
                found.append(_finding("input.not_object", "error", "", lang))
            return Report(bounded(found, limit, lang))
        if not found and not large:
            return _checked(name, model, value, context, lang, limit)
    large = large and limit is not None
    more, record, complete = _model_report(name, model, value, large, lang, context)
    found += more
    if record is not None and any(f.rule == "json.duplicate_key" for f in found):
        record = None  # two readers of the text could disagree on what it holds
    if not complete and limit is not None:
        return Report(_stopped(found, limit, lang))
    return Report(bounded(found, limit, lang), record)

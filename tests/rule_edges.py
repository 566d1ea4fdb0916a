"""Records pushed to the edges of the rules, for the tests that compare rule engines.

`schema_records` draws records from an entity's published JSON Schema (what
hypothesis-jsonschema would do, for the keywords casestd's schemas use: its
0.23.1 calls ``many.more()``, which hypothesis 6.170 no longer has).
`push` then changes a record the way that finds disagreements between two
copies of a rule: it moves dates and timestamps to exactly, or just beside,
another date of the record plus a deadline (24 hours, 10, 14 or 90 days, 18
years), cuts dates to a year or a month, drops optional parts or makes them
null, repeats list items, swaps codes, copies one id into another in other
letter case. `push` draws with a `random.Random`, so the same seed gives the
same records (the JavaScript test needs them in one batch); hypothesis passes
its own through ``st.randoms()``.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import random
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import casestd
from casestd.model.types import add_years
from casestd.rules import Deadlines, RuleContext
from casestd.rules.fixtures import portable_rules
from casestd.schema import codes_schema, json_schema
from casestd.schema.export import inline_codes
from casestd.testing import payloads

Json = Any
#: (rule id, path) of each finding, sorted: what two engines must agree on.
Findings = list[tuple[str, str]]
Pointer = tuple[str | int, ...]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_OFFSETS = ("+04:00", "Z", "+04:00", "-03:30", "+05:45")
_SECOND = dt.timedelta(seconds=1)
_DAY = dt.timedelta(days=1)
#: Distances from an anchor: the deadlines of casestd's rules and one step either side of them.
_DELTAS = tuple(
    sign * base + nudge
    for base in (
        dt.timedelta(0),
        dt.timedelta(hours=24),
        dt.timedelta(days=10),
        dt.timedelta(days=14),
        dt.timedelta(days=90),
    )
    for sign in (1, -1)
    for nudge in (dt.timedelta(0), _SECOND, -_SECOND, _DAY, -_DAY)
)
_YEAR = dt.datetime(2026, 1, 15, 12, tzinfo=dt.timezone(dt.timedelta(hours=4)))


# --- records from the JSON Schema ----------------------------------------------------


def _resolve(node: Json, root: Json) -> Json:
    while isinstance(node, dict) and "$ref" in node:
        target = root["$defs"][node["$ref"].removeprefix("#/$defs/")]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _stamps() -> st.SearchStrategy[str]:
    moments = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2035, 12, 31))
    digits = st.sampled_from(["", "", ".5", ".123", ".123456"])
    return st.builds(
        lambda m, f, o: m.strftime("%Y-%m-%dT%H:%M:%S") + f + o,
        moments,
        digits,
        st.sampled_from(_OFFSETS),
    )


def _strings(node: Json) -> st.SearchStrategy[str]:
    kind = node.get("format")
    if kind == "date":
        return st.dates(dt.date(1950, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat)
    if kind == "date-time":
        return _stamps()
    if kind == "uuid":
        return st.uuids().map(str) | st.uuids().map(lambda u: str(u).upper())
    low, high = node.get("minLength", 0), min(node.get("maxLength", 40), 40)
    if "pattern" in node:
        shaped = st.from_regex(node["pattern"], fullmatch=True)
        return shaped.filter(lambda s: low <= len(s) <= node.get("maxLength", 10**6))
    return st.text(min_size=max(low, 1), max_size=max(high, 1))


def _conditional(draw: st.DrawFn, value: dict[str, Json], node: Json, root: Json) -> None:
    """Redraw the properties an ``if``/``then`` of ``allOf`` constrains, when its ``if`` holds."""
    for entry in node.get("allOf", []):
        wanted = entry.get("if", {}).get("properties", {})
        if all(value.get(k) == v.get("const") for k, v in wanted.items()):
            for name, sub in entry.get("then", {}).get("properties", {}).items():
                if name in value:
                    base = _resolve(node["properties"][name], root)
                    value[name] = draw(_strategy({**base, **sub}, root))


def _strategy(node: Json, root: Json) -> st.SearchStrategy[Json]:
    node = _resolve(node, root)
    if "anyOf" in node:
        return st.one_of([_strategy(branch, root) for branch in node["anyOf"]])
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "object":
        return _object(node, root)
    if kind == "array":
        items = _strategy(node.get("items", {}), root)
        return st.lists(
            items, min_size=node.get("minItems", 0), max_size=min(node.get("maxItems", 3), 3)
        )
    if kind == "string":
        return _strings(node)
    if kind == "integer":
        return st.integers(node.get("minimum", -10), node.get("maximum", 10**6))
    if kind == "number":
        low, high = node.get("minimum", 0), node.get("maximum", 10**6)
        return st.integers(int(low), int(high)) | st.floats(low, high, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    raise ValueError(f"no strategy for {node!r}")


def _object(node: Json, root: Json) -> st.SearchStrategy[dict[str, Json]]:
    properties: dict[str, Json] = node.get("properties", {})
    required = set(node.get("required", ()))

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Json]:
        value = {
            name: draw(_strategy(sub, root))
            for name, sub in properties.items()
            if name in required or draw(st.booleans())
        }
        _conditional(draw, value, node, root)
        return value

    return build()


def schema_records(entity: str) -> st.SearchStrategy[dict[str, Json]]:
    """Records drawn from ``entity``'s published JSON Schema (its code lists inlined)."""
    schema = inline_codes(json_schema(entity), codes_schema())
    return _strategy(schema, schema)


# --- pushing records to the edges of the rules ---------------------------------------


def _leaves(node: Json, path: Pointer = ()) -> Iterator[tuple[Pointer, Json]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))


def _get(record: Json, path: Pointer) -> Json:
    for step in path:
        record = record[step]
    return record


def _put(record: Json, path: Pointer, value: Json) -> None:
    _get(record, path[:-1])[path[-1]] = value


def _moment(text: str) -> dt.datetime:
    if _DATE.match(text):
        day = dt.date.fromisoformat(text)
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone(dt.timedelta(hours=4)))
    return dt.datetime.fromisoformat(text)


def _write_like(old: str, moment: dt.datetime, rng: random.Random) -> str:
    if _DATE.match(old):
        if rng.random() < 0.5:
            moment = moment.astimezone(dt.UTC)
        return moment.date().isoformat()
    offset = rng.choice(_OFFSETS)
    zone = (
        dt.UTC
        if offset == "Z"
        else dt.datetime.fromisoformat("2000-01-01T00:00:00" + offset).tzinfo
    )
    text = moment.astimezone(zone).isoformat()
    return text.replace("+00:00", "Z")


def _partial(text: str, rng: random.Random) -> str:
    return text[: rng.choice((4, 7, 10, 10))]


def _readable(text: str) -> bool:
    """Whether ``text`` is a date or timestamp Python reads (the patterns allow 0000-02-30)."""
    if not (_DATE.match(text) or _STAMP.match(text)):
        return False
    try:
        _moment(text)
    except ValueError:
        return False
    return True


def _times(record: Json) -> list[tuple[Pointer, str]]:
    return [(p, v) for p, v in _leaves(record) if isinstance(v, str) and _readable(v)]


def _anchor(record: Json, rng: random.Random, now: dt.datetime) -> dt.datetime:
    times = _times(record)
    base = _moment(rng.choice(times)[1]) if times and rng.random() < 0.85 else now
    delta = rng.choice(_DELTAS)
    if rng.random() < 0.1:
        return dt.datetime.combine(add_years(base.date(), rng.choice((18, -18))), base.timetz())
    return base + delta


def _retime(record: Json, rng: random.Random, now: dt.datetime) -> None:
    targets = _times(record)
    if targets:
        path, old = rng.choice(targets)
        new = _write_like(old, _anchor(record, rng, now), rng)
        if path and path[-1] == "value" and rng.random() < 0.4:
            new = _partial(new, rng)
        _put(record, path, new)


def _drop_or_null(record: Json, rng: random.Random, now: dt.datetime) -> None:
    keys = [(p, k) for p, v in _leaves(record) if isinstance(v, dict) and p for k in v]
    keys += [((), k) for k in record if k not in ("id", "meta")]
    if keys:
        path, key = rng.choice(keys)
        holder = _get(record, path)
        if rng.random() < 0.5:
            del holder[key]
        else:
            holder[key] = None


def _repeat(record: Json, rng: random.Random, now: dt.datetime) -> None:
    lists = [(p, v) for p, v in _leaves(record) if isinstance(v, list) and v]
    if lists:
        _, items = rng.choice(lists)
        items.append(copy.deepcopy(rng.choice(items)))


def _copy_id(record: Json, rng: random.Random, now: dt.datetime) -> None:
    ids = [(p, v) for p, v in _leaves(record) if isinstance(v, str) and _UUID.match(v)]
    if len(ids) >= 2:
        (target, _), (_, source) = rng.sample(ids, 2)
        _put(record, target, source.upper() if rng.random() < 0.5 else source.lower())
    elif ids and rng.random() < 0.5:
        _put(record, ids[0][0], str(uuid.UUID(int=rng.getrandbits(128))))


def _recode(
    record: Json, rng: random.Random, now: dt.datetime, codes: dict[str, list[str]]
) -> None:
    found = [(p, v) for p, v in _leaves(record) if isinstance(v, str) and p and str(p[-1]) in codes]
    if found:
        path, _ = rng.choice(found)
        _put(record, path, rng.choice(codes[str(path[-1])]))


@functools.cache
def _codes_by_name(entity: str) -> dict[str, list[str]]:
    """Property name -> the codes it may hold, for the coded properties of ``entity``."""
    schema = inline_codes(json_schema(entity), codes_schema())
    found: dict[str, list[str]] = {}
    for definition in [schema, *schema["$defs"].values()]:
        for name, sub in definition.get("properties", {}).items():
            branches = [sub, *sub.get("anyOf", []), sub.get("items", {})]
            for branch in branches:
                target = _resolve(branch, schema) if isinstance(branch, dict) else {}
                if isinstance(target, dict) and "enum" in target:
                    found.setdefault(name, list(target["enum"]))
    return found


_PUSHES: tuple[Callable[[Json, random.Random, dt.datetime], None], ...] = (
    _retime,
    _retime,
    _retime,
    _drop_or_null,
    _repeat,
    _copy_id,
)


def push(entity: str, record: Json, rng: random.Random, steps: int = 3) -> tuple[Json, RuleContext]:
    """A copy of ``record`` moved to the rules' edges, and a rule context near its dates."""
    pushed = copy.deepcopy(record)
    now = _YEAR
    codes = _codes_by_name(entity)
    for _ in range(rng.randint(1, steps)):
        if rng.random() < 0.25:
            _recode(pushed, rng, now, codes)
        else:
            rng.choice(_PUSHES)(pushed, rng, now)
    moment = _anchor(pushed, rng, now) if rng.random() < 0.7 else now
    deadlines = Deadlines(
        **rng.choice(
            (
                {},
                {},
                {"review_interval": dt.timedelta(days=30)},
                {"pre_identification": dt.timedelta(days=5)},
                {"high_risk_assessment": dt.timedelta(hours=48)},
            )
        )
    )
    return pushed, RuleContext(now=moment, deadlines=deadlines)


#: Where generated records come from: casestd's strategies, or the entity's JSON Schema.
SOURCES = ("strategies", "schema")
#: Pushed copies of each drawn record (drawing a record costs far more than pushing one).
PUSHES = 16


def explore(
    entity: str, source: str, examples: int, visit: Callable[[Json, RuleContext], None]
) -> None:
    """Call ``visit`` on ``examples`` records drawn from ``source`` and on `PUSHES` pushes of each.

    Hypothesis draws the records (and the seed of the pushes), so a failing
    ``visit`` is shrunk to a small record.
    """
    drawn = payloads(entity) if source == "strategies" else schema_records(entity)
    chosen = settings(max_examples=examples, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))  # fmt: skip

    @chosen
    @given(drawn, st.randoms(use_true_random=False))
    def run(record: Json, rng: random.Random) -> None:
        visit(record, RuleContext(now=_YEAR))
        for _ in range(PUSHES):
            visit(*push(entity, record, rng))

    run()


def reference(entity: str, record: Json, context: RuleContext) -> Findings | None:
    """casestd's findings of the portable rules, or None for a record the models refuse."""
    report = casestd.validate(entity, record, context=context, max_findings=None)
    if report.record is None:
        return None
    kept = set(portable_rules(entity))
    return sorted((f.rule, f.path) for f in report.findings if f.rule in kept)

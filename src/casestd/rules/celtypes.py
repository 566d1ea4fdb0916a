"""CEL declarations derived from the JSON Schema of each entity, to type-check the rules.

Each object of an entity's schema becomes a protobuf message (package
``casestd.<entity>``), each property a field: a string (codes, dates and
timestamps are strings in JSON), a bool, or a *double* for every JSON
number (JSON has no integers apart from doubles, so an expression converts with
``int()`` where it needs one), a message for an object, a repeated field for
an array; a property that may be null is a wrapper type
(``google.protobuf.StringValue``, ...) so that ``x != null`` checks and a plain
``x == 'code'`` does not hide a null. ``self`` gets the type of what its
context reaches, ``record`` the entity's, ``deadlines`` a message of four
durations. CEL-C++ (cel-expr-python) then checks every expression: field names,
operators and functions, and a boolean result.

Needs the ``cel`` extra (cel-expr-python and protobuf).
"""

from __future__ import annotations

import functools
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, duration_pb2, wrappers_pb2

from casestd.rules.cel import cel, ext_strings
from casestd.rules.portable import DEADLINES, checks
from casestd.schema.export import CODES_REF, json_schema

Field = descriptor_pb2.FieldDescriptorProto
_SCALARS = {
    "string": Field.TYPE_STRING,
    "boolean": Field.TYPE_BOOL,
    "integer": Field.TYPE_DOUBLE,
    "number": Field.TYPE_DOUBLE,
}
_WRAPPERS = {
    "string": "StringValue",
    "boolean": "BoolValue",
    "integer": "DoubleValue",
    "number": "DoubleValue",
}
_CEL_SCALARS = {"string": "STRING", "boolean": "BOOL", "integer": "DOUBLE", "number": "DOUBLE"}
DEADLINES_TYPE = "casestd.rules.Deadlines"


def _unwrap(node: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema behind a nullable ``anyOf``, and whether null is allowed."""
    branches = node.get("anyOf")
    if isinstance(branches, list):
        rest = [b for b in branches if b.get("type") != "null"]
        if len(rest) == 1 and len(rest) < len(branches):
            return {**rest[0], **{k: v for k, v in node.items() if k != "anyOf"}}, True
    return node, False


def _kind(node: dict[str, Any]) -> tuple[str, str]:
    """("message", definition name), ("array", "") or ("scalar", JSON type) of a schema."""
    ref = node.get("$ref", "")
    if ref.startswith(CODES_REF):
        return "scalar", "string"
    if ref.startswith("#/$defs/"):
        return "message", ref.removeprefix("#/$defs/")
    if node.get("type") == "array":
        return "array", ""
    if node.get("type") in _SCALARS:
        return "scalar", node["type"]
    raise ValueError(f"no CEL declaration for the schema {node!r}")


def _message_name(entity: str, definition: str, root: str) -> str:
    return f"casestd.{entity}.{root if definition == '#' else definition}"


def _add_field(message: Any, number: int, name: str, node: dict[str, Any], package: str) -> None:
    node, nullable = _unwrap(node)
    kind, detail = _kind(node)
    label = Field.LABEL_OPTIONAL
    if kind == "array":
        label = Field.LABEL_REPEATED
        node, _ = _unwrap(node["items"])
        kind, detail = _kind(node)
        nullable = False
    field = message.field.add(name=name, number=number, label=label)
    if kind == "message":
        field.type, field.type_name = Field.TYPE_MESSAGE, f".{package}.{detail}"
    elif nullable:
        field.type, field.type_name = Field.TYPE_MESSAGE, f".google.protobuf.{_WRAPPERS[detail]}"
    else:
        field.type = _SCALARS[detail]


def _file(entity: str) -> descriptor_pb2.FileDescriptorProto:
    schema = json_schema(entity)
    package = f"casestd.{entity}"
    proto = descriptor_pb2.FileDescriptorProto(
        name=f"casestd/{entity}.proto", package=package, syntax="proto3"
    )
    proto.dependency.append("google/protobuf/wrappers.proto")
    root = schema.get("title", entity)
    definitions = {"#": schema, **schema.get("$defs", {})}
    for name, definition in definitions.items():
        if "properties" not in definition:
            continue
        message = proto.message_type.add(name=root if name == "#" else name)
        for number, (prop, node) in enumerate(definition["properties"].items(), start=1):
            _add_field(message, number, prop, node, package)
    return proto


def _deadlines_file() -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto(
        name="casestd/rules.proto", package="casestd.rules", syntax="proto3"
    )
    proto.dependency.append("google/protobuf/duration.proto")
    message = proto.message_type.add(name="Deadlines")
    for number, name in enumerate(DEADLINES, start=1):
        message.field.add(
            name=name,
            number=number,
            label=Field.LABEL_OPTIONAL,
            type=Field.TYPE_MESSAGE,
            type_name=".google.protobuf.Duration",
        )
    return proto


@functools.cache
def pool(entity: str) -> descriptor_pool.DescriptorPool:
    """A descriptor pool with the messages of ``entity``'s schema and the deadlines."""
    found = descriptor_pool.DescriptorPool()
    for module in (wrappers_pb2, duration_pb2):
        known = descriptor_pb2.FileDescriptorProto()
        module.DESCRIPTOR.CopyToProto(known)
        found.Add(known)
    found.Add(_deadlines_file())
    found.Add(_file(entity))
    return found


def context_type(entity: str, context: str) -> Any:
    """The CEL type of what ``context`` reaches in a record of ``entity``."""
    schema = json_schema(entity)
    root = schema.get("title", entity)
    node: dict[str, Any] = {"$ref": "#/$defs/#"}
    definitions = {"#": schema, **schema.get("$defs", {})}
    for step in context.split("/")[1:] if context else []:
        node, _ = _unwrap(node)
        _, detail = _kind(node)
        node = node["items"] if step == "*" else definitions[detail]["properties"][step]
    return _cel_type(entity, root, node)


def _cel_type(entity: str, root: str, node: dict[str, Any]) -> Any:
    node, _ = _unwrap(node)
    kind, detail = _kind(node)
    if kind == "message":
        return cel.Type(_message_name(entity, detail, root))
    if kind == "array":
        return cel.Type.List(_cel_type(entity, root, node["items"]))
    return getattr(cel.Type, _CEL_SCALARS[detail])


def _root_type(entity: str) -> Any:
    return cel.Type(_message_name(entity, "#", json_schema(entity).get("title", entity)))


def type_errors(entity: str) -> list[str]:
    """The checks of ``entity`` whose expression does not type-check or is not a boolean."""
    problems: list[str] = []
    for check in checks(entity):
        self_type = context_type(entity, check.context)
        env = cel.NewEnv(
            descriptor_pool=pool(entity),
            variables={
                "self": self_type,
                "record": _root_type(entity),
                "now": cel.Type.TIMESTAMP,
                "today": cel.Type.TIMESTAMP,
                "deadlines": cel.Type(DEADLINES_TYPE),
            },
            extensions=[ext_strings.ExtStrings()],
        )
        where = f"{check.rule} ({entity}, context {check.context or '/'})"
        try:
            compiled = env.compile(check.expression)
        except RuntimeError as error:
            problems.append(f"{where}: {str(error).splitlines()[0]}")
            continue
        if compiled.return_type() != cel.Type.BOOL:
            problems.append(f"{where}: the expression is a {compiled.return_type().name()}")
    return problems

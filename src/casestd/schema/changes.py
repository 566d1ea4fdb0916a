"""The kinds of change between two releases of the standard, and the version bump each needs.

A change is *breaking* when some payload valid under the old schemas can be
invalid under the new ones (a MAJOR release); additive changes need a MINOR
release; titles, descriptions and labels a PATCH. `casestd.schema.diff`
finds the changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import attrs

from casestd.schema.release import VERSION_PATTERN

Bump = Literal["major", "minor", "patch"]
_RANK: dict[str, int] = {"patch": 0, "minor": 1, "major": 2}

#: Each kind of change: breaking always (True), never (False) or depending on
#: the schemas (None), and the bump it needs when it is not breaking.
KINDS: dict[str, tuple[bool | None, Bump]] = {
    "entity_added": (False, "minor"),
    "entity_removed": (True, "major"),
    "code_list_added": (False, "minor"),
    "code_list_removed": (True, "major"),
    "code_added": (False, "minor"),
    "code_removed": (True, "major"),
    "code_deprecated": (False, "minor"),
    "code_reinstated": (False, "minor"),
    "property_added": (None, "minor"),
    "property_removed": (None, "minor"),
    "property_deprecated": (False, "minor"),
    "required_added": (True, "major"),
    "required_removed": (False, "minor"),
    "type_changed": (None, "minor"),
    "enum_narrowed": (True, "major"),
    "enum_widened": (False, "minor"),
    "pattern_added": (True, "major"),
    "pattern_changed": (True, "major"),
    "pattern_removed": (False, "minor"),
    "length_narrowed": (True, "major"),
    "length_widened": (False, "minor"),
    "bound_narrowed": (True, "major"),
    "bound_widened": (False, "minor"),
    "additional_properties_changed": (None, "minor"),
    "constraint_changed": (None, "minor"),
    "rule_added": (None, "minor"),
    "rule_removed": (False, "minor"),
    "rule_severity_changed": (None, "minor"),
    # the CEL form of a rule follows its Python reference; a new or mended form is additive
    "rule_expression_changed": (False, "minor"),
    "annotation_changed": (False, "minor"),
    "label_changed": (False, "patch"),
}


@attrs.frozen
class Change:
    """One difference between two releases, and what it means for the version number."""

    kind: str
    entity: str
    path: str
    detail: str
    breaking: bool
    bump: Bump

    def to_dict(self) -> dict[str, Any]:
        """The change as a JSON-ready mapping."""
        return attrs.asdict(self)


def change(kind: str, entity: str, path: str, detail: str, breaking: bool | None = None) -> Change:
    """A `Change` of ``kind``; ``breaking`` is needed for kinds that depend on the schemas."""
    default, bump = KINDS[kind]
    is_breaking = default if breaking is None else breaking
    if is_breaking is None:
        raise ValueError(f"say whether this {kind} change is breaking")
    return Change(kind, entity, path, detail, is_breaking, "major" if is_breaking else bump)


def describe(item: Change) -> str:
    """Where a change is, for people: ``code list `sex``` or ```child` `/names/*/family```."""
    if item.path and not item.path.startswith("/"):
        return f"code list `{item.entity}`"
    return f"`{item.entity}` `{item.path or '/'}`"


def required_bump(changes: Iterable[Change]) -> Bump | None:
    """The smallest version bump that covers ``changes``; None when there is none."""
    best: Bump | None = None
    for item in changes:
        if best is None or _RANK[item.bump] > _RANK[best]:
            best = item.bump
    return best


def next_version(old_version: str, bump: Bump | None) -> str:
    """The version after ``old_version`` for ``bump`` (``old_version`` itself for None).

    >>> next_version("1.4.2", "minor")
    '1.5.0'
    """
    match = VERSION_PATTERN.match(old_version)
    if not match:
        raise ValueError(f"{old_version!r} is not a MAJOR.MINOR.PATCH version")
    major, minor, patch = (int(part) for part in match.groups())
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return old_version


__all__ = ["KINDS", "Bump", "Change", "change", "describe", "next_version", "required_bump"]

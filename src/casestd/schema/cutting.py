"""Cut a numbered release of the standard: check the version, write the release, log it.

The changes are those from the last release under the root to exactly the
files `casestd.schema.release.write_release` writes (the current models and
code lists). The version must be greater than the last release and at least
the bump the changes need; the changelog gets a section per release, newest
first, right after ``## [Unreleased]``.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import attrs

from casestd.schema import release
from casestd.schema.diff import Bump, Change, describe, diff, next_version, required_bump
from casestd.schema.release import VERSION_PATTERN, ReleaseError, SchemaSet

FIRST_RELEASE = "First release of the standard."
#: Above this many changes of one kind in one place, the changelog gives their number.
MANY = 5
_UNRELEASED = re.compile(r"^##\s*\[?unreleased\]?", re.IGNORECASE)
_LINK = re.compile(r"^\[[^\]]+\]:\s")
#: Changelog groups, in order, and the kinds of non-breaking change each holds.
GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("Added", frozenset({"entity_added", "code_list_added", "property_added", "code_added"})),
    ("Deprecated", frozenset({"code_deprecated", "property_deprecated"})),
)


@attrs.frozen
class Plan:
    """A release about to be cut: its version, the last release and the changes since."""

    version: str
    previous: str | None
    changes: tuple[Change, ...]
    bump: Bump | None
    minimum: str


def version_key(version: str) -> tuple[int, ...]:
    """A MAJOR.MINOR.PATCH version as a tuple of numbers, for ordering."""
    return tuple(int(part) for part in version.split("."))


def proposed(version: str) -> SchemaSet:
    """What release ``version`` would hold: the files `write_release` writes, parsed."""
    files = release.release_files(version)
    entities = release.entity_schemas(
        {
            path: json.loads(text)
            for path, text in files.items()
            if path.endswith(".schema.json") and "/" not in path
        }
    )
    lists = {
        path.removeprefix("codes/").removesuffix(".json"): json.loads(text)
        for path, text in files.items()
        if path.startswith("codes/") and path.endswith(".json")
    }
    return SchemaSet(version, entities, lists)


def plan_release(version: str, root: Path) -> Plan:
    """Check that ``version`` may be released under ``root``; raises `ReleaseError` if not."""
    if not VERSION_PATTERN.match(version):
        raise ReleaseError(f"{version!r} is not a MAJOR.MINOR.PATCH version")
    existing = release.releases(root)
    if not existing:
        return Plan(version, None, (), None, version)
    last = existing[-1]
    if version_key(version) <= version_key(last):
        raise ReleaseError(f"{version} is not greater than the last release {last}")
    changes = tuple(diff(release.load(root / last), proposed(version)))
    if not changes:
        raise ReleaseError(f"nothing changed since release {last}; there is nothing to release")
    bump = required_bump(changes)
    minimum = next_version(last, bump)
    if version_key(version) < version_key(minimum):
        raise ReleaseError(
            f"{version} is too small: the changes since {last} need a {bump} release, "
            f"{minimum} or later (see `casestd schema diff {root / last} current`)"
        )
    return Plan(version, last, changes, bump, minimum)


def changelog_section(plan: Plan, day: datetime.date) -> str:
    """The changelog section of a release: its changes grouped by what they mean."""
    lines = [f"## [Standard {plan.version}] - {day.isoformat()}", ""]
    if plan.previous is None:
        return "\n".join([*lines, FIRST_RELEASE, ""])
    groups: dict[str, list[Change]] = {"Breaking": [], "Added": [], "Deprecated": [], "Changed": []}
    for item in plan.changes:
        title = "Breaking" if item.breaking else "Changed"
        if not item.breaking:
            title = next((name for name, kinds in GROUPS if item.kind in kinds), title)
        groups[title].append(item)
    for title, items in groups.items():
        if items:
            lines += [f"### {title}", ""]
            lines += _entries(items)
            lines.append("")
    return "\n".join(lines)


def _entries(items: list[Change]) -> list[str]:
    """One line per change; more than `MANY` changes of one kind in one place make one line."""
    runs: dict[tuple[str, str], list[Change]] = {}
    for item in items:
        runs.setdefault((describe(item), item.kind), []).append(item)
    lines: list[str] = []
    for (where, kind), run in runs.items():
        if len(run) > MANY:
            shown = "; ".join(c.detail for c in run[:3])
            lines.append(
                f"- {where}: {len(run)} changes, e.g. {shown}; `casestd schema diff` "
                f"lists them all ({kind})"
            )
        else:
            lines += [f"- {where}: {c.detail} ({c.kind})" for c in run]
    return lines


def insert_section(text: str, section: str) -> str:
    """``text`` with ``section`` after the Unreleased section, or after the intro."""
    lines = text.splitlines(keepends=True)
    start = next((i + 1 for i, line in enumerate(lines) if _UNRELEASED.match(line)), 0)
    at = next(
        (
            i
            for i in range(start, len(lines))
            if lines[i].startswith("## ") or _LINK.match(lines[i])
        ),
        len(lines),
    )
    before = "".join(lines[:at]).rstrip("\n")
    after = "".join(lines[at:]).lstrip("\n")
    body = section.strip("\n") + "\n"
    return (before + "\n\n" if before else "") + body + ("\n" + after if after else "")


def cut_release(
    version: str, root: Path, changelog: Path | None = None, today: datetime.date | None = None
) -> Plan:
    """Write release ``version`` under ``root`` and log it in ``changelog``; returns the plan.

    Refuses (`ReleaseError`, nothing written) a version that is not greater than
    the last release or smaller than the changes need, and a release without change.
    """
    plan = plan_release(version, root)
    updated = None
    if changelog is not None:
        try:
            text = changelog.read_text("utf-8") if changelog.exists() else "# Changelog\n"
        except (OSError, UnicodeDecodeError) as error:
            raise ReleaseError(f"{changelog}: cannot read the changelog ({error})") from None
        if f"## [Standard {version}]" in text:
            raise ReleaseError(f"{changelog} has a section for {version} already")
        updated = insert_section(text, changelog_section(plan, today or datetime.date.today()))
    release.write_release(root, version)
    if changelog is not None and updated is not None:
        try:
            changelog.write_text(updated, encoding="utf-8")
        except OSError as error:
            raise ReleaseError(f"{changelog}: cannot write the changelog ({error})") from None
    return plan

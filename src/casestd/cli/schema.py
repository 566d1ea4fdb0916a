"""``casestd schema``: export, diff and release the published schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from casestd.cli.common import EXIT_INVALID, EXIT_OK, Parser, UsageError
from casestd.schema import cutting, release
from casestd.schema.diff import diff, next_version, required_bump
from casestd.schema.export import DEFAULT_BASE_URI, dumps, keywords, schema_files


def add_parser(commands: Any) -> None:
    """Add the ``schema`` subcommand group: export, diff, release."""
    schema = commands.add_parser("schema", help="publish the standard: JSON Schemas, releases")
    schema_commands = schema.add_subparsers(
        dest="schema_command", required=True, parser_class=Parser
    )
    export = schema_commands.add_parser(
        "export",
        help="write the JSON Schemas of the current models",
        description="Write one JSON Schema (draft 2020-12) per entity, the bundle and the "
        "annotation keywords to DIR, or print the bundle without --out.",
    )
    export.add_argument("--out", metavar="DIR", help="folder to write the schema files to")
    export.add_argument(
        "--base-uri",
        default=DEFAULT_BASE_URI,
        help=f"base of the $id URIs (default {DEFAULT_BASE_URI})",
    )
    compare = schema_commands.add_parser(
        "diff",
        help="list the changes between two releases and the version bump they need",
        description="Compare two releases (a release folder, or 'current' for the current "
        "models). Exit 1 when some change is breaking, 0 otherwise, 2 for unreadable input.",
    )
    compare.add_argument("old", metavar="OLD", help="release folder, or current")
    compare.add_argument("new", metavar="NEW", help="release folder, or current")
    compare.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: the changes for people (default); json: the changes as data",
    )
    cut = schema_commands.add_parser(
        "release",
        help="publish the current models as a numbered release",
        description="Write ROOT/VERSION from the current models and add its changes to the "
        "changelog. Refuses a VERSION smaller than the changes since the last release need.",
    )
    cut.add_argument("version", metavar="VERSION", help="MAJOR.MINOR.PATCH")
    cut.add_argument("--root", default="schemas", help="folder of the releases (default schemas)")
    cut.add_argument("--changelog", default="CHANGELOG.md", help="changelog to add the release to")


def export_schemas(out: str | None, base_uri: str, stdout: IO[str]) -> int:
    """Write the schema files to ``out``, or print the bundle; returns the exit status."""
    files = schema_files(base_uri=base_uri)
    if out is None:
        stdout.write(dumps(files["bundle.schema.json"]))
        return EXIT_OK
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, schema in {**files, "keywords.json": keywords()}.items():
            (folder / name).write_text(dumps(schema), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{out}: {error.strerror or 'cannot write'}") from None
    stdout.write(f"wrote {len(files) + 1} files to {folder}\n")
    return EXIT_OK


def diff_releases(old: str, new: str, fmt: str, stdout: IO[str]) -> int:
    """Print the changes from release ``old`` to ``new``; exit 1 when one is breaking."""
    try:
        before, after = release.load(old), release.load(new)
    except release.ReleaseError as error:
        raise UsageError(str(error)) from None
    changes = diff(before, after)
    bump = required_bump(changes)
    breaking = any(item.breaking for item in changes)
    if fmt == "json":
        document = {
            "old": before.version,
            "new": after.version,
            "changes": [item.to_dict() for item in changes],
            "bump": bump,
            "breaking": breaking,
        }
        stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        for item in changes:
            marker = "BREAKING" if item.breaking else "ok"
            stdout.write(
                f"{marker:<8} {item.kind} {item.entity} {item.path or '/'}: {item.detail}\n"
            )
        if not changes:
            stdout.write("no changes\n")
        target = next_version(before.version, bump)
        shown = f"{bump} ({before.version} -> {target})" if bump else "none"
        stdout.write(f"required bump: {shown}\n")
    return EXIT_INVALID if breaking else EXIT_OK


def release_standard(version: str, root: str, changelog: str, stdout: IO[str]) -> int:
    """Cut release ``version`` under ``root`` and log it in ``changelog``."""
    try:
        plan = cutting.cut_release(version, Path(root), Path(changelog))
    except release.ReleaseError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"{root}: {error.strerror or 'cannot write'}") from None
    if plan.previous is None:
        stdout.write(
            f"released {version} in {Path(root) / version}: first release; {changelog} updated\n"
        )
    else:
        stdout.write(
            f"released {version} in {Path(root) / version}: {len(plan.changes)} changes since "
            f"{plan.previous} (needs {plan.bump}); {changelog} updated\n"
        )
    return EXIT_OK

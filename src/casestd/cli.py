"""The ``casestd`` command: one subcommand per capability.

``casestd validate --entity NAME [--format text|json] [--lang en|hy|ru] FILE...``
exits 0 when every record is valid, 1 when some record is invalid, and 2 for a
usage error or input that cannot be read. Output names files, record indexes,
fields and rules; it never prints a value from the records.

``casestd dedup FILE... [--entity NAME] [--services FILE...] [--format
text|json|csv] [--show-names]`` finds the person records that are the same
person and, with ``--services``, the services one person gets from several
providers at once; it exits 0 when there are none, 1 when there are some and
2 for a usage error or unreadable input. It prints record refs, key names and
fact names; ``--show-names`` is the only option that prints personal data.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs
from pydantic import BaseModel

from casestd.dedup.clusters import DEFAULT_MAX_BLOCK, Deduplication, deduplicate, persons
from casestd.dedup.services import Overlap, service_overlaps
from casestd.io.records import Item, ReadError, read_records
from casestd.model import ENTITIES
from casestd.model.service import Service
from casestd.report import Finding, Report
from casestd.rules.engine import RuleContext, default_context
from casestd.rules.messages import LANGUAGES, message
from casestd.schema import cutting, release
from casestd.schema.diff import diff, next_version, required_bump
from casestd.schema.export import DEFAULT_BASE_URI, dumps, keywords, schema_files
from casestd.validation import validate

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2
#: Rules that mean the input itself could not be read (exit status 2).
UNREADABLE_RULES = frozenset(
    {"json.invalid", "json.too_deep", "input.too_large", "input.not_object", "input.encoding"}
)


class UsageError(Exception):
    """A command line that cannot be carried out."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # exit 2 with one line, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"casestd: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="casestd", description=__doc__.splitlines()[0] if __doc__ else None)
    from casestd import __version__

    parser.add_argument("--version", action="version", version=f"casestd {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = commands.add_parser(
        "validate",
        help="validate records against the standard",
        description="Validate JSON, JSON arrays or JSON Lines records of one entity.",
    )
    check.add_argument(
        "--entity",
        choices=sorted(ENTITIES),
        help="entity of the records; if left out, taken from each file's "
        "folder name (examples/child/x.json is a child)",
    )
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--lang", choices=LANGUAGES, default="en", help="language of messages")
    check.add_argument("files", nargs="+", metavar="FILE", help="files to read; - for stdin")

    dedup = commands.add_parser(
        "dedup",
        help="find records of the same person, and services one person gets twice",
        description="Find the child, family member and trafficking victim records that are "
        "the same person, across districts, scripts and agencies (casestd.dedup."
        "find_duplicates), and with --services the services of one type that one person "
        "gets from several providers over overlapping periods. Invalid records are skipped "
        "and listed by source and rule ids. Output shows record refs (child/<id>, "
        "family/<id>/members/<n>, trafficking_victim/<id>), key names and fact names, never "
        "names or values, unless --show-names is given. Exit 0 when nothing is found, 1 "
        "when duplicates or overlaps are found, 2 for a usage error or unreadable input.",
    )
    dedup.add_argument(
        "--entity",
        choices=sorted(ENTITIES),
        help="entity of the records of FILE; if left out, taken from each file's folder name",
    )
    dedup.add_argument(
        "--services",
        nargs="+",
        action="extend",
        default=[],
        metavar="FILE",
        help="service records to check for overlaps (give this option after FILE...)",
    )
    dedup.add_argument("--format", choices=("text", "json", "csv"), default="text")
    dedup.add_argument(
        "--show-names",
        action="store_true",
        help="PRINTS PERSONAL DATA: add the names of each record in a cluster. This is the "
        "only option of casestd that prints names; without it only record refs are shown",
    )
    dedup.add_argument(
        "--max-block",
        type=int,
        default=DEFAULT_MAX_BLOCK,
        metavar="N",
        help="a key value shared by more than N records does not link them "
        f"(default {DEFAULT_MAX_BLOCK})",
    )
    dedup.add_argument("files", nargs="+", metavar="FILE", help="files to read; - for stdin")

    schema = commands.add_parser("schema", help="publish the standard: JSON Schemas, releases")
    schema_commands = schema.add_subparsers(
        dest="schema_command", required=True, parser_class=_Parser
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
    compare.add_argument("--format", choices=("text", "json"), default="text")
    cut = schema_commands.add_parser(
        "release",
        help="publish the current models as a numbered release",
        description="Write ROOT/VERSION from the current models and add its changes to the "
        "changelog. Refuses a VERSION smaller than the changes since the last release need.",
    )
    cut.add_argument("version", metavar="VERSION", help="MAJOR.MINOR.PATCH")
    cut.add_argument("--root", default="schemas", help="folder of the releases (default schemas)")
    cut.add_argument("--changelog", default="CHANGELOG.md", help="changelog to add the release to")
    return parser


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


@attrs.define
class _Tally:
    records: int = 0
    invalid: int = 0
    warnings: int = 0
    unreadable: bool = False


def _entity_for(path: str, chosen: str | None) -> str:
    if chosen:
        return chosen
    folder = Path(path).parent.name
    if folder in ENTITIES:
        return folder
    raise UsageError(f"{path}: give --entity; the folder name does not name an entity")


def _report(item: Item, entity: str, lang: str, context: RuleContext) -> Report:
    if item.problem is not None or item.data is None:
        rule_id = item.problem or "input.not_object"
        return Report((Finding(rule_id, "error", "", message(rule_id, lang)),))
    return validate(entity, item.data, lang=lang, context=context)


class _Output:
    """Writes results as text (problems only) or as one streamed JSON document."""

    def __init__(self, stream: IO[str], fmt: str) -> None:
        self.stream, self.fmt, self.first = stream, fmt, True
        if fmt == "json":
            stream.write('{"results": [')

    def result(self, source: str, report: Report) -> None:
        if self.fmt == "json":
            entry = {
                "source": source,
                "ok": report.ok,
                "findings": [f.to_dict() for f in report.findings],
            }
            self.stream.write(
                ("\n  " if self.first else ",\n  ") + json.dumps(entry, ensure_ascii=False)
            )
            self.first = False
        elif report.findings:
            self.stream.write(f"{source}: {'ok' if report.ok else 'invalid'}\n")
            for finding in report.findings:
                self.stream.write(
                    f"  {finding.severity:<7} {finding.path or '/'}  "
                    f"[{finding.rule}] {finding.message}\n"
                )

    def close(self, tally: _Tally) -> None:
        ok = tally.invalid == 0 and not tally.unreadable
        if self.fmt == "json":
            self.stream.write(
                ("\n" if not self.first else "")
                + f'], "records": {tally.records}, "invalid": {tally.invalid}, '
                f'"ok": {json.dumps(ok)}}}\n'
            )
        else:
            valid = tally.records - tally.invalid
            self.stream.write(
                f"{tally.records} records: {valid} valid, {tally.invalid} invalid, "
                f"{tally.warnings} warnings\n"
            )


def validate_files(
    files: Sequence[str], entity: str | None, fmt: str, lang: str, out: IO[str], err: IO[str]
) -> int:
    """Validate every record of ``files``; write the results; return the exit status."""
    entities = {path: _entity_for(path, entity) for path in files}
    context = default_context()
    tally = _Tally()
    output = _Output(out, fmt)
    for path in files:
        try:
            for item in read_records(path):
                report = _report(item, entities[path], lang, context)
                tally.records += 1
                tally.invalid += not report.ok
                tally.warnings += sum(f.severity == "warning" for f in report.findings)
                tally.unreadable |= any(f.rule in UNREADABLE_RULES for f in report.findings)
                output.result(f"{path}#{item.index}", report)
        except ReadError as error:
            tally.unreadable = True
            err.write(f"casestd: {path}: {error}\n")
    output.close(tally)
    if tally.unreadable:
        return EXIT_UNREADABLE
    return EXIT_INVALID if tally.invalid else EXIT_OK


@attrs.frozen
class DedupOptions:
    """How ``casestd dedup`` links and prints."""

    fmt: str = "text"
    show_names: bool = False
    max_block: int = DEFAULT_MAX_BLOCK


@attrs.define
class _Reading:
    """What reading the dedup inputs found: counts, skipped sources, names by ref."""

    records: int = 0
    invalid: int = 0
    unreadable: bool = False
    skipped: list[tuple[str, list[str]]] = attrs.Factory(list)
    names: dict[str, list[str]] = attrs.Factory(dict)


def _valid_records(
    files: Sequence[str],
    entities: dict[str, str],
    reading: _Reading,
    err: IO[str],
) -> Iterator[BaseModel]:
    """The typed valid records of ``files``; the invalid ones are counted and listed."""
    context = default_context()
    for path in files:
        try:
            for item in read_records(path):
                report = _report(item, entities[path], "en", context)
                reading.records += 1
                if report.ok and report.record is not None:
                    yield report.record
                    continue
                reading.invalid += 1
                reading.unreadable |= any(f.rule in UNREADABLE_RULES for f in report.findings)
                rules = sorted({f.rule for f in report.findings if f.severity == "error"})
                reading.skipped.append((f"{path}#{item.index}", rules))
        except ReadError as error:
            reading.unreadable = True
            err.write(f"casestd: {path}: {error}\n")


def _name_text(record: BaseModel) -> dict[str, list[str]]:
    """Each person's names, one text per script: for --show-names only."""
    found = {}
    for ref, person in persons(record):
        found[ref] = [
            " ".join(part for part in (name.given, name.patronymic, name.family) if part)
            + f" [{name.script}]"
            for name in person.names
        ]
    return found


def _overlap_owner(overlap: Overlap, numbers: dict[tuple[str, ...], int]) -> str:
    if overlap.refs:
        return f"cluster {numbers[overlap.refs]}"
    return "beneficiary " + ", ".join(overlap.beneficiary_ids)


def _amount(value: int | None) -> str:
    return "unknown" if value is None else f"{value} AMD"


def _dedup_text(
    result: Deduplication,
    overlaps: list[Overlap] | None,
    reading: _Reading,
    options: DedupOptions,
    out: IO[str],
) -> None:
    for source, rules in reading.skipped:
        out.write(f"{source}: skipped, invalid [{', '.join(rules)}]\n")
    for number, cluster in enumerate(result.clusters, 1):
        out.write(
            f"cluster {number}: {len(cluster.refs)} records ({', '.join(cluster.entities)})\n"
        )
        for ref in cluster.refs:
            names = reading.names.get(ref) if options.show_names else None
            out.write(f"  {ref}" + (f"  names: {'; '.join(names)}" if names else "") + "\n")
        for item in cluster.evidence:
            out.write(
                f"  link {item.refs[0]} ~ {item.refs[1]}: by {item.linked_by}; "
                f"shared {', '.join(item.keys) or '-'}; agree {', '.join(item.agree) or '-'}; "
                f"differ {', '.join(item.disagree) or '-'}\n"
            )
    numbers = {cluster.refs: number for number, cluster in enumerate(result.clusters, 1)}
    for number, overlap in enumerate(overlaps or [], 1):
        out.write(
            f"overlap {number} ({_overlap_owner(overlap, numbers)}): {overlap.service_type} "
            f"{overlap.start.isoformat()}..{overlap.end.isoformat()}, "
            f"services {', '.join(overlap.service_ids)}\n"
        )
        for provider, amount in zip(overlap.providers, overlap.amounts_amd, strict=True):
            out.write(f"  {provider}: {_amount(amount)}\n")
        out.write(f"  total: {_amount(overlap.total_amd)}\n")
    summary = result.summary
    line = (
        f"{reading.records} records ({summary.persons} persons, {reading.invalid} invalid "
        f"skipped): {summary.clusters} clusters of {summary.clustered} records; "
        f"{summary.vetoed} pairs kept apart by conflicting identifiers; "
        f"{summary.ambiguous} ambiguous blocks of tolerant keys not used; "
        f"{summary.skipped_values} key values shared by more than {summary.max_block} "
        "records not used to link"
    )
    if overlaps is not None:
        line += f"; {len(overlaps)} service overlaps"
    out.write(line + "\n")


def _dedup_json(
    result: Deduplication,
    overlaps: list[Overlap] | None,
    reading: _Reading,
    options: DedupOptions,
    out: IO[str],
) -> None:
    clusters = []
    for cluster in result.clusters:
        entry = cluster.to_dict()
        if options.show_names:
            entry["names"] = {ref: reading.names.get(ref, []) for ref in cluster.refs}
        clusters.append(entry)
    document = {
        "clusters": clusters,
        "records": reading.records,
        "invalid": reading.invalid,
        "skipped": [{"source": source, "rules": rules} for source, rules in reading.skipped],
        "summary": result.summary.to_dict(),
        "overlaps": [overlap.to_dict() for overlap in overlaps or []],
    }
    out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


#: Columns of ``casestd dedup --format csv``: one ``record`` row per (cluster, ref),
#: then one ``overlap`` row per service overlap.
DEDUP_CSV_COLUMNS = (
    "kind",
    "cluster",
    "ref",
    "entity",
    "keys",
    "names",
    "service_type",
    "service_ids",
    "providers",
    "start",
    "end",
    "total_amd",
)


def _dedup_csv(
    result: Deduplication,
    overlaps: list[Overlap] | None,
    reading: _Reading,
    options: DedupOptions,
    out: IO[str],
    err: IO[str],
) -> None:
    for source, rules in reading.skipped:
        err.write(f"casestd: {source}: skipped, invalid [{', '.join(rules)}]\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DEDUP_CSV_COLUMNS)
    blank = [""] * 6
    for number, cluster in enumerate(result.clusters, 1):
        for ref in cluster.refs:
            shared = sorted({key for e in cluster.evidence if ref in e.refs for key in e.keys})
            names = "; ".join(reading.names.get(ref, [])) if options.show_names else ""
            entity = ref.split("/", 1)[0]
            writer.writerow(["record", number, ref, entity, ";".join(shared), names, *blank])
    numbers = {cluster.refs: number for number, cluster in enumerate(result.clusters, 1)}
    for overlap in overlaps or []:
        providers = ";".join(
            f"{provider}={'' if amount is None else amount}"
            for provider, amount in zip(overlap.providers, overlap.amounts_amd, strict=True)
        )
        writer.writerow(
            [
                "overlap",
                numbers.get(overlap.refs, ""),
                ";".join(overlap.refs or overlap.beneficiary_ids),
                "",
                "",
                "",
                overlap.service_type,
                ";".join(overlap.service_ids),
                providers,
                overlap.start.isoformat(),
                overlap.end.isoformat(),
                "" if overlap.total_amd is None else overlap.total_amd,
            ]
        )


def dedup_files(
    files: Sequence[str],
    entity: str | None,
    services: Sequence[str],
    options: DedupOptions,
    out: IO[str],
    err: IO[str],
) -> int:
    """Cluster the persons of ``files``, check ``services``; print; return the exit status."""
    if options.max_block < 2:
        raise UsageError("--max-block must be at least 2")
    entities = {path: _entity_for(path, entity) for path in files}
    entities.update({path: "service" for path in services})
    reading = _Reading()

    def people() -> Iterator[BaseModel]:
        for record in _valid_records(files, entities, reading, err):
            if options.show_names:
                reading.names.update(_name_text(record))
            yield record

    result = deduplicate(people(), max_block=options.max_block)
    overlaps = None
    if services:
        found = list(_valid_records(services, entities, reading, err))
        overlaps = service_overlaps([r for r in found if isinstance(r, Service)], result.clusters)
    if options.fmt == "json":
        _dedup_json(result, overlaps, reading, options, out)
    elif options.fmt == "csv":
        _dedup_csv(result, overlaps, reading, options, out, err)
    else:
        _dedup_text(result, overlaps, reading, options, out)
    if reading.unreadable:
        return EXIT_UNREADABLE
    return EXIT_INVALID if result.clusters or overlaps else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return validate_files(
                args.files, args.entity, args.format, args.lang, sys.stdout, sys.stderr
            )
        if args.command == "dedup":
            options = DedupOptions(args.format, args.show_names, args.max_block)
            return dedup_files(
                args.files, args.entity, args.services, options, sys.stdout, sys.stderr
            )
        if args.command == "schema" and args.schema_command == "export":
            return export_schemas(args.out, args.base_uri, sys.stdout)
        if args.command == "schema" and args.schema_command == "diff":
            return diff_releases(args.old, args.new, args.format, sys.stdout)
        if args.command == "schema" and args.schema_command == "release":
            return release_standard(args.version, args.root, args.changelog, sys.stdout)
    except UsageError as error:
        sys.stderr.write(f"casestd: error: {error}\n")
        return EXIT_UNREADABLE
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    raise AssertionError(f"unhandled command {args.command}")  # pragma: no cover

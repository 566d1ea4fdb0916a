"""``casestd dedup``: records of the same person, services one person gets twice."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from typing import IO, Any

import attrs
from pydantic import BaseModel

from casestd.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNREADABLE,
    RecordReader,
    UsageError,
    entity_for,
)
from casestd.cli.dedup_input import default_jobs, person_keys, read_people
from casestd.dedup.clusters import DEFAULT_MAX_BLOCK, Deduplication, Encoder, find_duplicates
from casestd.dedup.records import parse_ref
from casestd.dedup.services import Overlap, service_overlaps
from casestd.model import ENTITIES
from casestd.model.service import Service

#: What stands for a valid record that holds no person: find_duplicates counts it as ignored.
_NO_PERSON = object()


def add_parser(commands: Any) -> None:
    """Add the ``dedup`` subcommand."""
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
    dedup.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="text: clusters and overlaps for people (default); json: one JSON document; "
        "csv: one row per record of a cluster",
    )
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
    dedup.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes that validate the records and make their keys (default: one "
        "per core); the output does not depend on it",
    )
    dedup.add_argument("files", nargs="+", metavar="FILE", help="files to read; - for stdin")


@attrs.frozen
class DedupOptions:
    """How ``casestd dedup`` links and prints."""

    fmt: str = "text"
    show_names: bool = False
    max_block: int = DEFAULT_MAX_BLOCK
    #: worker processes reading the records (None: one per core)
    jobs: int | None = None


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
    reader = RecordReader(entities, "en")
    for result in reader.results(files):
        source, report = result.source, result.report
        if not result.record:
            if not report.ok:
                reading.skipped.append((source, sorted({f.rule for f in report.findings})))
            continue
        reading.records += 1
        if report.ok and report.record is not None:
            yield report.record
            continue
        reading.invalid += 1
        rules = sorted({f.rule for f in report.findings if f.severity == "error"})
        reading.skipped.append((source, rules))
    reading.unreadable |= reader.unreadable


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


_STRING = json.encoder.encode_basestring  # the C function json.dumps uses


def indented(value: Any, pad: str = "") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, each line after the first
    indented by ``pad`` more: the same text in half the time, without the
    pure-Python encoder that ``indent`` selects (``casestd dedup --format json``
    writes one cluster at a time).

    For JSON values of dicts with string keys, lists, strings, integers, floats,
    booleans and None.

    >>> print(indented({"refs": ["child/a", "child/b"], "keys": []}))
    {
      "refs": [
        "child/a",
        "child/b"
      ],
      "keys": []
    }
    """
    if type(value) is str:
        return _STRING(value)
    inner = pad + "  "
    separator = ",\n" + inner
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{_STRING(key)}: {indented(item, inner)}" for key, item in value.items()]
        return "{\n" + inner + separator.join(items) + "\n" + pad + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = [_STRING(item) if type(item) is str else indented(item, inner) for item in value]
        return "[\n" + inner + separator.join(items) + "\n" + pad + "]"
    return json.dumps(value)


def _dedup_json(
    result: Deduplication,
    overlaps: list[Overlap] | None,
    reading: _Reading,
    options: DedupOptions,
    out: IO[str],
) -> None:
    """One JSON document (indented by 2), written cluster by cluster."""
    out.write('{\n  "clusters": [')
    for number, cluster in enumerate(result.clusters):
        entry = cluster.to_dict()
        if options.show_names:
            entry["names"] = {ref: reading.names.get(ref, []) for ref in cluster.refs}
        out.write(("," if number else "") + "\n    " + indented(entry, "    "))
    out.write("\n  ]," if result.clusters else "],")
    rest = {
        "records": reading.records,
        "invalid": reading.invalid,
        "skipped": [{"source": source, "rules": rules} for source, rules in reading.skipped],
        "summary": result.summary.to_dict(),
        "overlaps": [overlap.to_dict() for overlap in overlaps or []],
    }
    text = json.dumps(rest, ensure_ascii=False, indent=2)
    out.write(text[1:] + "\n")  # the members after "clusters", and the closing brace


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
            entity = parse_ref(ref).entity
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
    if options.jobs is not None and options.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    entities = {path: entity_for(path, entity) for path in files}
    entities.update({path: "service" for path in services})
    reading = _Reading()

    encoder = Encoder()

    def people() -> Iterator[object]:
        jobs = default_jobs() if options.jobs is None else options.jobs
        for outcome in read_people(
            files, entities, jobs=jobs, show_names=options.show_names, encoder=encoder
        ):
            reading.unreadable |= outcome.unreadable
            if not outcome.record:
                if not outcome.ok:
                    reading.skipped.append((outcome.source, list(outcome.rules)))
                continue
            reading.records += 1
            if not outcome.ok:
                reading.invalid += 1
                reading.skipped.append((outcome.source, list(outcome.rules)))
                continue
            if outcome.names:
                reading.names.update(outcome.names)
            if outcome.encoded is not None:
                yield outcome.encoded
                continue
            if not outcome.people:
                yield _NO_PERSON  # counted as ignored
            yield from person_keys(outcome)

    result = find_duplicates(people(), max_block=options.max_block)
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

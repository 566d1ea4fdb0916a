"""Clusters of person records that are the same person, across districts, scripts and agencies.

`find_duplicates` takes typed entities (a `~casestd.model.child.Child`, each
member of a `~casestd.model.family.Family`, the ``.person`` of a
`~casestd.model.trafficking_victim.TraffickingVictim`; other entities are
ignored) or precomputed `PersonKeys` (plain or `protect`-ed keys), and returns
a `Deduplication`: the `Cluster` of every group of two or more person records
linked by a shared match key (it is a sequence of them), and the `Summary` of
the run. A person is named by a *ref*, never by a name: ``child/<uuid>``,
``family/<uuid>/members/<index>``, ``trafficking_victim/<uuid>``
(`casestd.dedup.records`). The keys, their roles and guards come from the key
table, `casestd.dedup.key_table`.

The linking rule
----------------

1. **Blocks.** Every value of a linking key is a block: the persons whose
   value set for that key holds it. A block of more than ``max_block`` persons
   is a collision of a non-identifying value (a placeholder PSN, a very common
   name with a common birth date) and links nobody; `Summary.skipped` counts
   such values per key.
2. **Precise links.** The ``keys`` (`DEFAULT_MATCH_KEYS`: identifiers and
   names with a full birth date) are taken in the order given, the blocks of a
   key and their members in the order of the records' refs: neither the input
   order nor the values change the clusters, so plain and protected keys give
   the same ones. Each member of a block is joined to the first group of that
   block it does not conflict with (union-find with path compression and union
   by size).
3. **Veto.** Two groups *conflict* when, for some identifier key of ``veto``
   (`IDENTIFIER_KEYS`: IDENTIFIERS), both hold
   values and no value is shared: two different PSNs are two people. The
   check is made on whole groups, not on the two records alone, so no chain
   A-B-C joins A and C across their conflicting identifiers through a B
   without one. Identifier values in an over-large block (placeholders) do
   not veto. `Summary.vetoed` counts the pairs of records that share a key
   value but were kept apart.
4. **Guarded tolerant links** (``tolerant``, `DEFAULT_TOLERANT_KEYS`). Each
   tolerant key has a guard (`TOLERANT_GUARDS`):

   - ``pair`` (PAIR KEYS: a typo in a name or in the day): a block links when
     it holds exactly two groups.
   - ``corroborated`` (CORROBORATED KEYS: a married woman registered under
     her maiden name): only as below.
   - ``partial``, every other key (PARTIAL KEYS by default): a block links
     when, after the links above, it holds at most one *dated* group (one with
     a full birth date, i.e. a `DATE_KEY` value). A record known only by year,
     month or an estimate then joins the one person it can be.

   A block that fails its guard is ambiguous (`Summary.ambiguous`); in it a
   group (for ``partial`` keys, an undated one) still joins the *one* other
   group (a dated one) that corroborates it: shares a ``patronymic`` or a
   ``phone`` value. In every tolerant link two different patronymics count as
   a conflict too, beside the identifiers, and two members of family
   registrations are never joined: that is the next step's work. The keys
   with full dates go first, then the household step, then the partial keys,
   then the household step again.
5. **Households.** Two family registrations that share a linked member
   (the same household registered twice) link their other members one to one:
   a member joins the one member of the other registration that shares a
   value of a ``household`` key (`DEFAULT_HOUSEHOLD_KEYS`: HOUSEHOLD KEYS,
   in this order: sex, one name and the birth year)
   when nobody else of either registration could be that person. The mother
   registered once under her maiden name, a child once by birth year only,
   are found so, while the same name and year across a city are not enough.

The cost is near-linear: one pass builds a dict-of-lists inverted index of
the identifier keys and of three coarse keys (a value seen once costs one dict
entry; a block of a non-coarse key stops growing at ``max_block + 1``). The
other name keys (`VERIFIED_IN`) are not indexed: each record's values are
kept as 8-byte hashes, and compared only within the blocks of a coarser key
that every pair sharing such a value shares too: ``name_swapped`` (the two
name keys and the birth year) for ``name_dob`` and its variants,
``given_dob`` and ``family_dob`` for ``name_typo_dob``, whose twelve or so
values a record would otherwise add to the index. The blocks found so are
the blocks an index would give. A record without a value of the coarse key
(hand-made `PersonKeys`) is compared with every record instead; keys whose
coarse values do not follow from their values (not made by `casestd.dedup.keys`
or `protect`) can miss links. No pair of records is compared outside a
block; the cyclic garbage collector is paused during the run (it would walk
the millions of index objects again and again). The index is `_index`, the
union-find `_union_find`, the stages of the rule `_linking`. On 2 cores, 1,000,000
streamed `PersonKeys` of bench/dedup.py's population take about 48 s and
1.65 GB in `find_duplicates` alone (keys made beforehand; docs/performance.md has the
end-to-end figures of ``casestd dedup``). Feed a generator: a list of a million
`PersonKeys` alone holds about 8 GB.

Evidence
--------

Each `Cluster` carries one `Evidence` per link that joined it (a spanning
tree: ``len(refs) - 1`` links): the two refs, the key that linked them, every
key (linking or veto key) whose value they share (for an indexed key, in a
block of at most ``max_block``), and which *facts* (non-identifying fields: entity, agency,
district, region, sex, birth year) agree or differ. Evidence holds key names
and fact names only: no names, no key values, no fact values.

Why these defaults
------------------

On bench/dedup.py's population (20,000 persons in 34,340 person records,
44% registered more than once, each registration written its own way; see
docs/performance.md) the precise keys alone give pairwise precision 1.000 and
recall 0.72; the tolerant keys, the household step and corroboration bring
recall to 0.975 at precision 0.989 (F1 0.981). Each part was kept because it
adds recall at that precision: ``name_pair_dob`` (given and family swapped),
``name_typo_dob`` and ``name_dob_day`` (typos), the household step (maiden
names, partial dates of family members), patronymics (they keep namesakes
apart and pick the right one). Linked without guards, the partial keys join
namesakes born in the same year: ``name_yob`` alone has a pairwise
precision of 0.25 at 100,000 persons. Guarded links depend on what else the
register holds, so precision falls as the register grows: 0.972 at 100,000
persons of the same population. What remains is left to the candidate search
(`casestd.dedup.linkage`, Splink), where a model weighs the evidence.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

import attrs

from casestd.dedup._index import Entry, Index
from casestd.dedup._linking import Linked, link_all
from casestd.dedup.key_table import (
    CHILD_RECORD_KEY,
    CORROBORATED,
    DEFAULT_HOUSEHOLD_KEYS,
    DEFAULT_MATCH_KEYS,
    DEFAULT_TOLERANT_KEYS,
    IDENTIFIER_KEYS,
    PAIR,
    PARTIAL,
    TOLERANT_GUARDS,
)
from casestd.dedup.person_keys import keys as person_key_values
from casestd.dedup.records import parse_ref, persons
from casestd.model.common import Person

#: A key value shared by more persons than this is a collision and links nobody.
DEFAULT_MAX_BLOCK = 50


@attrs.frozen
class PersonKeys:
    """The match keys of one person record, plain or protected, and its facts.

    ``ref`` names the record (``child/<uuid>``...); ``keys`` maps key names to
    value sets, as `casestd.dedup.keys` or `casestd.dedup.protect` give them;
    ``facts`` are non-identifying fields compared as evidence (``entity``,
    ``agency``, ``district``, ``region``, ``sex``, ``birth_year``). The repr
    shows the ref only.
    """

    ref: str
    keys: Mapping[str, frozenset[str]] = attrs.field(repr=False)
    facts: Mapping[str, str] = attrs.field(factory=dict, repr=False)

    @classmethod
    def of(
        cls,
        ref: str,
        person: Person,
        facts: Mapping[str, str],
        child_record: object = None,
        only: Collection[str] | None = None,
    ) -> PersonKeys:
        """The keys of ``person`` (`casestd.dedup.keys`), with ``child_record`` when given;
        ``only`` limits them to the keys named."""
        names = None if only is None else [name for name in only if name != CHILD_RECORD_KEY]
        values = person_key_values(person, names)
        if child_record is not None and (only is None or CHILD_RECORD_KEY in only):
            values[CHILD_RECORD_KEY] = frozenset({str(child_record)})
        return cls(ref, values, facts)


@attrs.frozen
class Evidence:
    """Why two records of a cluster were linked: key names and fact names only."""

    refs: tuple[str, str]
    linked_by: str
    keys: tuple[str, ...]
    agree: tuple[str, ...]
    disagree: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "refs": list(self.refs),
            "linked_by": self.linked_by,
            "keys": list(self.keys),
            "agree": list(self.agree),
            "disagree": list(self.disagree),
        }


@attrs.frozen
class Cluster:
    """Two or more person records found to be the same person.

    ``refs`` is sorted; ``entities`` lists the distinct entity names of the
    records (``child``, ``family``, ``trafficking_victim``), sorted;
    ``evidence`` holds one `Evidence` per link that joined the cluster.
    """

    refs: tuple[str, ...]
    entities: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """Names of the keys shared along any link of the cluster, sorted."""
        return tuple(sorted({name for item in self.evidence for name in item.keys}))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "refs": list(self.refs),
            "entities": list(self.entities),
            "evidence": [item.to_dict() for item in self.evidence],
        }


@attrs.frozen
class Summary:
    """Counts of one run of `find_duplicates`; no values, no names.

    ``persons`` read; ``ignored`` records that hold no person; ``clusters``,
    the persons in them (``clustered``) and the size of the ``largest``;
    ``skipped``: per key, the values shared by more than ``max_block``
    persons, not used to link; ``vetoed``: pairs of persons sharing a key value
    but kept apart by conflicting identifiers; ``ambiguous``: blocks of
    tolerant keys not used because they hold several persons with a full
    birth date.
    """

    persons: int
    ignored: int
    clusters: int
    clustered: int
    largest: int
    skipped: dict[str, int]
    vetoed: int
    ambiguous: int
    max_block: int

    @property
    def skipped_values(self) -> int:
        """Key values not used to link because more than ``max_block`` persons share them."""
        return sum(self.skipped.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "persons": self.persons,
            "ignored": self.ignored,
            "clusters": self.clusters,
            "clustered": self.clustered,
            "largest": self.largest,
            "skipped_values": dict(self.skipped),
            "vetoed": self.vetoed,
            "ambiguous": self.ambiguous,
            "max_block": self.max_block,
        }


@attrs.frozen
class Deduplication(Sequence[Cluster]):
    """What `find_duplicates` found: a sequence of its clusters, sorted by refs,
    with ``clusters`` (the same, as a tuple) and the `Summary` of the run."""

    clusters: tuple[Cluster, ...]
    summary: Summary

    @overload
    def __getitem__(self, index: int) -> Cluster: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Cluster, ...]: ...

    def __getitem__(self, index: int | slice) -> Cluster | tuple[Cluster, ...]:
        return self.clusters[index]

    def __len__(self) -> int:
        return len(self.clusters)

    def __iter__(self) -> Iterator[Cluster]:
        return iter(self.clusters)


# -- the persons of the entities ------------------------------------------


def person_facts(
    entity: str, agency: str, sex: str, district: str | None, region: str | None, birth: str | None
) -> dict[str, str]:
    """The facts of a person record that `Evidence` compares: entity, agency, sex, the
    registering district office, the region of the address and the birth year."""
    facts = {"entity": entity, "agency": agency, "sex": sex}
    if district:
        facts["district"] = district
    if region:
        facts["region"] = region
    if birth:
        facts["birth_year"] = birth[:4]
    return facts


def record_keys(record: object, only: Collection[str] | None = None) -> list[PersonKeys]:
    """The `PersonKeys` of each person a record holds (`casestd.dedup.records.persons`);
    ``[]`` for other entities.

    The keys are those of `casestd.dedup.keys`, plus ``child_record`` (the
    child's own record id, or a family member's ``child_id``); ``only`` limits
    them to the keys named (see `casestd.dedup.keys`).
    """
    found = []
    for held in persons(record):
        meta, person, address = held.record.meta, held.person, held.address
        birth = person.birth_date
        facts = person_facts(
            held.entity,
            meta.agency,
            person.sex,
            meta.district,
            address.region if address is not None else None,
            birth.value if birth is not None else None,
        )
        # a child's own record id; a family member who is a registered child has its id
        child = held.record.id if held.entity == "child" else getattr(person, "child_id", None)
        found.append(PersonKeys.of(held.ref, person, facts, child, only))
    return found


@attrs.frozen
class Encoded:
    """The persons of one record, hashed for `find_duplicates` by an `Encoder`.

    Made where the keys are made (a worker process of ``casestd dedup``), read
    by `find_duplicates` in the process that links: it stores the hashes as
    they are, without the key strings. String hashes are salted per
    interpreter, so ``stamp`` (a hash of the index layout) lets only the
    process that made them, and those forked from it, read them;
    `find_duplicates` raises ValueError for any other.
    """

    stamp: int
    entries: tuple[Entry, ...] = attrs.field(repr=False)


class Encoder:
    """Makes the `Encoded` of records for `find_duplicates` called with the same
    ``keys``, ``tolerant``, ``veto`` and ``household``."""

    def __init__(
        self,
        *,
        keys: Sequence[str] = DEFAULT_MATCH_KEYS,
        tolerant: Sequence[str] = DEFAULT_TOLERANT_KEYS,
        veto: Collection[str] = IDENTIFIER_KEYS,
        household: Sequence[str] = DEFAULT_HOUSEHOLD_KEYS,
    ) -> None:
        self._index = Index(keys, tolerant, veto, DEFAULT_MAX_BLOCK, household)
        #: the keys `find_duplicates` reads (see `keys_read`)
        self.needed = self._index.needed

    def __call__(self, people: Iterable[PersonKeys]) -> Encoded:
        """The `Encoded` of one record's people (none: a record without a person)."""
        return Encoded(_stamp(self._index), tuple(map(self._index.encode, people)))


def _stamp(index: Index) -> int:
    return hash(("casestd.dedup.Encoded", index.layout))


def keys_read(
    *,
    keys: Sequence[str] = DEFAULT_MATCH_KEYS,
    tolerant: Sequence[str] = DEFAULT_TOLERANT_KEYS,
    veto: Collection[str] = IDENTIFIER_KEYS,
    household: Sequence[str] = DEFAULT_HOUSEHOLD_KEYS,
) -> frozenset[str]:
    """The names of the keys `find_duplicates` reads with these arguments: `PersonKeys`
    made for it need no others (`record_keys` ``only=``).

    >>> "name_dob" in keys_read(), "phonetic" in keys_read()
    (True, False)
    """
    return Index(keys, tolerant, veto, DEFAULT_MAX_BLOCK, household).needed


def find_duplicates(
    records: Iterable[object],
    *,
    keys: Sequence[str] = DEFAULT_MATCH_KEYS,
    tolerant: Sequence[str] = DEFAULT_TOLERANT_KEYS,
    max_block: int = DEFAULT_MAX_BLOCK,
    veto: Collection[str] = IDENTIFIER_KEYS,
    household: Sequence[str] = DEFAULT_HOUSEHOLD_KEYS,
) -> Deduplication:
    """The clusters of two or more person records that are the same person, and a
    `Summary` of the run (see the module doc).

    ``records`` holds typed entities, `PersonKeys` and/or `Encoded` records
    (of an `Encoder` of the same keys); records that hold no person are counted
    in `Summary.ignored`. ``keys`` are the key names to
    link on, most precise first; ``tolerant`` the keys that link only
    unambiguous blocks (``()`` for none), each under its guard; ``veto`` the
    identifier keys whose conflicting values keep two groups apart;
    ``household`` the keys that link the members of two registrations of one
    household; ``max_block`` the largest block that still links. The
    defaults come from the key table. Raises ValueError when ``keys`` is empty
    or ``max_block`` is below 2. Feed a generator for large inputs.

    >>> from casestd.dedup import keys as key_values
    >>> from casestd.model.common import Person
    >>> def one(given, family, born):
    ...     return Person.model_validate({"names": [{"given": given, "family": family,
    ...         "script": "latn"}], "sex": "female", "birth_date": {"value": born}})
    >>> people = [
    ...     PersonKeys("child/a", key_values(one("Ani", "Petrosyan", "2015-04-03")), {"sex": "f"}),
    ...     PersonKeys("child/b", key_values(one("Ани", "Петросян", "2015-03-04")), {"sex": "f"}),
    ...     PersonKeys("child/c", key_values(one("Anna", "Petrosyan", "2015-04-03"))),
    ... ]
    >>> found = find_duplicates(people)
    >>> [cluster.refs for cluster in found], found.summary.persons
    ([('child/a', 'child/b')], 3)
    >>> found[0].evidence[0].linked_by
    'name_dob_swapped'
    """
    if isinstance(keys, str) or not keys:
        raise ValueError("keys must name at least one match key")
    if isinstance(tolerant, str):
        raise ValueError("tolerant must be a sequence of key names")
    if max_block < 2:
        raise ValueError("max_block must be at least 2")
    index = Index(keys, tolerant, veto, max_block, household)
    stamp = _stamp(index)
    with _collector_paused():
        for record in records:
            if isinstance(record, PersonKeys):
                index.add(record)
                continue
            if isinstance(record, Encoded):
                if record.stamp != stamp:
                    raise ValueError(
                        "Encoded records made for other keys or in another interpreter"
                    )
                if not record.entries:
                    index.ignored += 1
                for entry in record.entries:
                    index.add_encoded(entry)
                continue
            found = record_keys(record, index.needed)
            if not found:
                index.ignored += 1
            for person in found:
                index.add(person)
        return _result(index, link_all(index))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, as `timeit` does.

    The index holds millions of small objects without cycles; each automatic
    collection would walk all of them, a third of the run time at a million
    records. Cycles made meanwhile are collected when it is resumed.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _result(index: Index, linked: Linked) -> Deduplication:
    """The clusters of the links, each with its evidence, and the summary of the run."""
    groups, edges, blocks = linked.groups, linked.edges, linked.blocks
    # every member of a group of two or more is an end of one of its links
    members: dict[int, set[int]] = {}
    for first, second, _ in edges:
        members.setdefault(groups.find(first), set()).update((first, second))
    shared: dict[tuple[int, int], set[int]] = {}  # linked pair -> numbers of shared keys
    numbers = {name: number for number, name in enumerate(index.block_keys)}
    for first, second, _ in edges:
        common: set[int] = set()
        for verified in index.verified:  # not indexed: compared directly
            tags = verified.shared(first, second)
            common.update(numbers[verified.names[tag]] for tag in tags)
        shared[(first, second) if first < second else (second, first)] = common
    for number, name in enumerate(index.block_keys):
        if name not in index.indexed:
            continue
        for block in blocks[name]:
            if len(block) == 2:
                hit = shared.get((block[0], block[1]))
                if hit is not None:
                    hit.add(number)
                continue
            for one, two in itertools.combinations(block, 2):
                hit = shared.get((one, two))
                if hit is not None:
                    hit.add(number)
    links: dict[int, list[tuple[int, int, int]]] = {}
    for edge in edges:
        links.setdefault(groups.find(edge[0]), []).append(edge)
    facts = [dict(items) for items in index.fact_table]
    compared: dict[tuple[int, int], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    clusters = []
    # members are numbered in ref order: a cluster's refs are its sorted members',
    # and clusters taken by their first member come out sorted by refs
    for found in sorted(sorted(group) for group in members.values()):
        refs = tuple(dict.fromkeys(index.refs[member] for member in found))
        if len(refs) < 2:
            continue
        entities = sorted(
            {
                facts[index.fact_ids[m]].get("entity") or parse_ref(index.refs[m]).entity
                for m in found
            }
        )
        evidence = sorted(
            (
                _evidence(index, edge, shared, facts, compared)
                for edge in links.get(groups.find(found[0]), [])
                if index.refs[edge[0]] != index.refs[edge[1]]
            ),
            key=lambda item: item.refs,
        )
        clusters.append(Cluster(refs, tuple(entities), tuple(evidence)))
    summary = Summary(
        persons=len(index.refs),
        ignored=index.ignored,
        clusters=len(clusters),
        clustered=sum(len(cluster.refs) for cluster in clusters),
        largest=max((len(cluster.refs) for cluster in clusters), default=0),
        skipped=linked.skipped,
        vetoed=linked.vetoed,
        ambiguous=linked.ambiguous,
        max_block=index.max_block,
    )
    return Deduplication(tuple(clusters), summary)


def _evidence(
    index: Index,
    edge: tuple[int, int, int],
    shared: dict[tuple[int, int], set[int]],
    facts: list[dict[str, str]],
    compared: dict[tuple[int, int], tuple[tuple[str, ...], tuple[str, ...]]],
) -> Evidence:
    first, second, key = edge
    common = shared[(first, second) if first < second else (second, first)]
    pair = (index.fact_ids[first], index.fact_ids[second])
    facts_of = compared.get(pair)
    if facts_of is None:
        mine, theirs = facts[pair[0]], facts[pair[1]]
        both = sorted(name for name in mine if name in theirs)
        facts_of = compared[pair] = (
            tuple(name for name in both if mine[name] == theirs[name]),
            tuple(name for name in both if mine[name] != theirs[name]),
        )
    low, high = sorted((index.refs[first], index.refs[second]))
    return Evidence(
        refs=(low, high),
        linked_by=index.labels[key],
        keys=tuple(index.block_keys[number] for number in sorted(common)),
        agree=facts_of[0],
        disagree=facts_of[1],
    )


def _listed(names: Iterable[str]) -> str:
    return ", ".join(f"``{name}``" for name in names)


def _guarded(guard: str) -> str:
    return _listed(name for name in DEFAULT_TOLERANT_KEYS if TOLERANT_GUARDS[name] == guard)


__doc__ = (
    (__doc__ or "")
    .replace("IDENTIFIERS", _listed(IDENTIFIER_KEYS))
    .replace("PAIR KEYS", _guarded(PAIR))
    .replace("CORROBORATED KEYS", _guarded(CORROBORATED))
    .replace("PARTIAL KEYS", _guarded(PARTIAL))
    .replace("HOUSEHOLD KEYS", _listed(DEFAULT_HOUSEHOLD_KEYS))
)

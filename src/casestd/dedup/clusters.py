"""Clusters of person records that are the same person, across districts, scripts and agencies.

`find_duplicates` takes typed entities (a `~casestd.model.child.Child`, each
member of a `~casestd.model.family.Family`, the ``.person`` of a
`~casestd.model.trafficking_victim.TraffickingVictim`; other entities are
ignored) or precomputed `PersonKeys` (plain or `protect`-ed keys), and returns
the `Cluster` of every group of two or more person records linked by a shared
match key. A person is named by a *ref*, never by a name:
``child/<uuid>``, ``family/<uuid>/members/<index>``,
``trafficking_victim/<uuid>``.

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
   (`IDENTIFIER_KEYS`: psn, passport, id_card, birth_certificate), both hold
   values and no value is shared: two different PSNs are two people. The
   check is made on whole groups, not on the two records alone, so no chain
   A-B-C joins A and C across their conflicting identifiers through a B
   without one. Identifier values in an over-large block (placeholders) do
   not veto. `Summary.vetoed` counts the pairs of records that share a key
   value but were kept apart.
4. **Guarded tolerant links.** Then the ``tolerant`` keys
   (`DEFAULT_TOLERANT_KEYS`: name + birth year and month, name pair + birth
   year) link a block only when, after the links above, the block holds at
   most one *dated* group (one with a full birth date, i.e. a `DATE_KEY`
   value). A record known only by year, month or an estimate then joins the
   one person it can be; where the block holds two dated groups (namesakes
   born on different days, or one person's two typed dates) it cannot tell
   which, and links nothing (`Summary.ambiguous`). The veto still applies.
   A tolerant key also given in ``keys`` links unguarded.

The cost is near-linear: one pass builds a dict-of-lists inverted index per
key (a value seen once costs one dict entry; a block stops growing at
``max_block + 1``); only blocks of two to ``max_block`` persons are walked; no
pair of records is ever compared outside a block. On 2 cores, 1,000,000
streamed `PersonKeys` take about 10-40 s and 0.6-1.5 GB depending on how many
values each carries (bench/dedup.py). Feed a generator: a list of a million
`PersonKeys` alone holds about 3 GB.

Evidence
--------

Each `Cluster` carries one `Evidence` per link that joined it (a spanning
tree: ``len(refs) - 1`` links): the two refs, the key that linked them, every
key (linking or veto key) whose value they share in a block of at most
``max_block``, and which *facts* (non-identifying fields: entity, agency,
district, region, sex, birth year) agree or differ. Evidence holds key names
and fact names only: no names, no key values, no fact values.

Why these default keys
----------------------

Measured on synthetic populations of 100,000 and 1,000,000 persons (Armenian
names as concentrated as the real ones: 20 family names carry 30% of people,
32 given names half; births 1950-2025; PSN known for 40%; 10% registered a
second time in another script, with a day typo, swapped day and month, an
estimated or month-only date, a year typo, a patronymic inside the given
name, given and family names swapped or a one-letter typo), a pair of records
sharing a value of one key (in a block of at most 50) is the same person this
often (precision), and the key finds this share of the true pairs (recall):

======================  ================  ================
key                     100k: prec / rec  1M: prec / rec
======================  ================  ================
psn                     1.000 / 0.16      1.000 / 0.16
name_dob                0.988 / 0.51      0.893 / 0.50
name_dob_swapped        0.985 / 0.53      0.865 / 0.53
family_patronymic_free  0.988 / 0.51      0.894 / 0.51
name_dob_ym             0.767 / 0.65      0.257 / 0.65
name_yob                0.245 / 0.80      0.037 / 0.79
name_swapped            0.261 / 0.88      0.040 / 0.87
phonetic                0.142 / 0.83      0.025 / 0.80
======================  ================  ================

Keys without the day join namesakes born in the same month or year: in a
register of Yerevan's size a common name pair has several children every
year, in blocks of a few to about a hundred, mostly under any useful
``max_block``. Linked unguarded, they wreck the clusters (pairwise precision
/ recall of the clusters):

=============================================  ===========  ===========
keys                                           100k         1M
=============================================  ===========  ===========
precise keys only                              0.989 / .61  0.890 / .61
precise + guarded name_dob_ym, name_swapped    0.971 / .75  0.882 / .71
precise + name_dob_ym, unguarded               0.802 / .74  0.315 / .73
precise + name_yob, unguarded                  0.289 / .83  0.057 / .81
precise + phonetic, unguarded                  0.176 / .85  0.039 / .82
=============================================  ===========  ===========

On bench/dedup.py's population (20,000 persons, 44% registered more than
once, many dates known only by year or month) the defaults give precision
0.974 / recall 0.854 (F1 0.910), against 1.000 / 0.717 (F1 0.835) for the
precise keys alone and 0.892 / 0.917 (F1 0.904) with the tolerant keys
unguarded. ``name_swapped`` guards better than ``name_yob`` (it holds every
``name_yob`` match and swapped name fields too); guarded ``name_yob`` and
``phonetic`` add under half a point of recall for twice the blocks. ``phone``
joins a household, not a person. What the defaults miss (typed days,
misspelt names with a partial date) is left to the candidate search
(`casestd.dedup.linkage`, Splink), where a model weighs the evidence.
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import attrs

from casestd.dedup.person_keys import keys as person_key_values
from casestd.model.child import Child
from casestd.model.common import Address, Person, Record
from casestd.model.family import Family
from casestd.model.trafficking_victim import TraffickingVictim

#: Identifier keys: exact, and two different values of one mean two people.
IDENTIFIER_KEYS: tuple[str, ...] = ("psn", "passport", "id_card", "birth_certificate")
#: Key of an explicit cross-reference: a child's record id, and the ``child_id``
#: of a family member who is that registered child.
CHILD_RECORD_KEY = "child_record"
#: The keys `find_duplicates` links on, from the most to the least precise.
DEFAULT_MATCH_KEYS: tuple[str, ...] = (
    *IDENTIFIER_KEYS,
    CHILD_RECORD_KEY,
    "name_dob",
    "name_dob_swapped",
    "family_patronymic_free",
)
#: Tolerant keys: they link a block only when it holds at most one group with a
#: full birth date (see the module doc).
DEFAULT_TOLERANT_KEYS: tuple[str, ...] = ("name_dob_ym", "name_swapped")
#: The key whose presence says that a record has a full, exact birth date.
DATE_KEY = "name_dob"
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
    """Counts of one run of `deduplicate`; no values, no names.

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
class Deduplication:
    """The clusters found and the summary of the run."""

    clusters: tuple[Cluster, ...]
    summary: Summary


# -- persons of the entities ------------------------------------------------


def persons(record: object) -> list[tuple[str, Person]]:
    """(ref, person) of each person a record holds; ``[]`` for other entities.

    >>> from casestd.model.service import Service
    >>> persons(object())
    []
    """
    if isinstance(record, Child):
        return [(f"child/{record.id}", record)]
    if isinstance(record, Family):
        return [
            (f"family/{record.id}/members/{index}", member)
            for index, member in enumerate(record.members)
        ]
    if isinstance(record, TraffickingVictim):
        return [(f"trafficking_victim/{record.id}", record.person)]
    return []


def _facts(entity: str, record: Record, person: Person, address: Address | None) -> dict[str, str]:
    facts = {"entity": entity, "agency": record.meta.agency, "sex": person.sex}
    if record.meta.district:
        facts["district"] = record.meta.district
    if address is not None:
        facts["region"] = address.region
    if person.birth_date is not None:
        facts["birth_year"] = person.birth_date.value[:4]
    return facts


def person_keys(record: object) -> list[PersonKeys]:
    """The `PersonKeys` of each person a record holds; ``[]`` for other entities.

    Exported as ``casestd.dedup.record_keys`` (``casestd.dedup.person_keys`` is
    the module of `casestd.dedup.keys`).

    The keys are those of `casestd.dedup.keys`, plus ``child_record`` (the
    child's own record id, or a family member's ``child_id``).
    """
    found = []
    for ref, person in persons(record):
        values = person_key_values(person)
        entity = ref.split("/", 1)[0]
        if isinstance(record, Child):
            values[CHILD_RECORD_KEY] = frozenset({str(record.id)})
            facts = _facts(entity, record, person, record.address)
        elif isinstance(record, Family):
            child_id = getattr(person, "child_id", None)
            if child_id is not None:
                values[CHILD_RECORD_KEY] = frozenset({str(child_id)})
            facts = _facts(entity, record, person, record.address)
        else:
            assert isinstance(record, TraffickingVictim)
            facts = _facts(entity, record, person, None)
        found.append(PersonKeys(ref, values, facts))
    return found


# -- linking ------------------------------------------------------------------


class _UnionFind:
    """Union by size with path compression; groups carry their identifier values."""

    def __init__(
        self, size: int, identifiers: dict[int, dict[str, set[str]]], dated: bytearray
    ) -> None:
        self.parent = list(range(size))
        self.size = [1] * size
        self.identifiers = identifiers
        self.dated = dated

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    def conflict(self, first: int, second: int) -> bool:
        """True when the two groups hold different values of one identifier key."""
        mine = self.identifiers.get(first)
        if mine is None:
            return False
        theirs = self.identifiers.get(second)
        if theirs is None:
            return False
        for name, values in mine.items():
            other = theirs.get(name)
            if other is not None and values.isdisjoint(other):
                return True
        return False

    def union(self, first: int, second: int) -> int:
        """Join two roots; returns the new root."""
        if self.size[first] < self.size[second]:
            first, second = second, first
        self.parent[second] = first
        self.size[first] += self.size[second]
        self.dated[first] |= self.dated[second]
        moved = self.identifiers.pop(second, None)
        if moved is not None:
            kept = self.identifiers.get(first)
            if kept is None:
                self.identifiers[first] = moved
            else:
                for name, values in moved.items():
                    kept.setdefault(name, set()).update(values)
        return first


class _Linker:
    """Streams persons into an inverted index, then links blocks into clusters."""

    def __init__(
        self,
        keys: Sequence[str],
        tolerant: Sequence[str],
        veto: Collection[str],
        max_block: int,
    ) -> None:
        self.link_keys = tuple(dict.fromkeys(keys))
        self.tolerant_keys = tuple(k for k in dict.fromkeys(tolerant) if k not in self.link_keys)
        self.linking = (*self.link_keys, *self.tolerant_keys)
        self.veto_keys = tuple(dict.fromkeys(veto))
        self.indexed = tuple(dict.fromkeys((*self.linking, *self.veto_keys)))
        self.dated = bytearray()
        self.max_block = max_block
        self.index: dict[str, dict[str, int | list[int]]] = {name: {} for name in self.indexed}
        self.buckets = tuple(self.index.items())
        self.refs: list[str] = []
        self.fact_ids = array("L")
        self.fact_table: dict[tuple[tuple[str, str], ...], int] = {}
        self.ignored = 0

    def add(self, person: PersonKeys) -> None:
        number = len(self.refs)
        self.refs.append(person.ref)
        facts = tuple(sorted(person.facts.items())) if person.facts else ()
        self.fact_ids.append(self.fact_table.setdefault(facts, len(self.fact_table)))
        limit = self.max_block
        values_of = person.keys
        self.dated.append(1 if values_of.get(DATE_KEY) else 0)
        for name, bucket in self.buckets:
            values = values_of.get(name)
            if not values:
                continue
            for value in values:
                entry = bucket.setdefault(value, number)
                if entry is number:  # a new value: one dict operation only
                    continue
                if isinstance(entry, int):
                    bucket[value] = [entry, number]
                elif len(entry) <= limit and entry[-1] != number:
                    entry.append(number)

    def _rank(self) -> list[int] | None:
        """Each record's position in ref order, and the refs and facts put in that order.

        Linking in ref order makes the clusters independent of the input order.
        None when the records came in ref order already.
        """
        order = sorted(range(len(self.refs)), key=self.refs.__getitem__)
        if all(position == number for position, number in enumerate(order)):
            return None
        rank = [0] * len(order)
        for position, number in enumerate(order):
            rank[number] = position
        self.refs = [self.refs[number] for number in order]
        self.fact_ids = array("L", (self.fact_ids[number] for number in order))
        self.dated = bytearray(self.dated[number] for number in order)
        return rank

    def _blocks(self, rank: list[int] | None) -> tuple[dict[str, list[list[int]]], dict[str, int]]:
        """Blocks of 2..max_block persons per key, in member order; oversized counts."""
        blocks: dict[str, list[list[int]]] = {}
        skipped: dict[str, int] = {}
        for name, bucket in self.index.items():
            kept: list[list[int]] = []
            over = 0
            for entry in bucket.values():
                if isinstance(entry, list):
                    if len(entry) > self.max_block:
                        over += 1
                    elif rank is None:
                        kept.append(entry)
                    else:
                        kept.append(sorted([rank[number] for number in entry]))
            kept.sort()
            blocks[name] = kept
            if over and name in self.linking:
                skipped[name] = over
        return blocks, skipped

    def _identifiers(
        self, candidates: set[int], rank: list[int] | None
    ) -> dict[int, dict[str, set[str]]]:
        """Identifier values of the candidates, from blocks of at most max_block."""
        found: dict[int, dict[str, set[str]]] = {}
        for name in self.veto_keys:
            for value, entry in self.index[name].items():
                if isinstance(entry, int):
                    members: Iterable[int] = (entry,)
                elif len(entry) > self.max_block:
                    continue
                else:
                    members = entry
                for number in members:
                    member = number if rank is None else rank[number]
                    if member in candidates:
                        found.setdefault(member, {}).setdefault(name, set()).add(value)
        return found

    def run(self) -> Deduplication:
        rank = self._rank()
        blocks, skipped = self._blocks(rank)
        candidates = {member for name in self.linking for block in blocks[name] for member in block}
        groups = _UnionFind(len(self.refs), self._identifiers(candidates, rank), self.dated)
        self.index, self.buckets = {}, ()  # the values are no longer needed
        del rank
        edges: list[tuple[int, int, int]] = []
        refused: set[tuple[int, int]] = set()
        for number, name in enumerate(self.link_keys):
            for block in blocks[name]:
                self._link(block, number, groups, edges, refused)
        ambiguous = 0
        for number, name in enumerate(self.tolerant_keys, len(self.link_keys)):
            for block in blocks[name]:
                roots = {groups.find(member) for member in block}
                if len(roots) < 2:
                    continue
                if sum(groups.dated[root] for root in roots) > 1:
                    ambiguous += 1  # which of the dated people is it? nobody can tell
                    continue
                self._link(block, number, groups, edges, refused)
        vetoed = sum(groups.find(first) != groups.find(second) for first, second in refused)
        return self._clusters(groups, edges, blocks, candidates, skipped, vetoed, ambiguous)

    @staticmethod
    def _link(
        block: list[int],
        key: int,
        groups: _UnionFind,
        edges: list[tuple[int, int, int]],
        refused: set[tuple[int, int]],
    ) -> None:
        """Join each member to the first group of the block it does not conflict with."""
        heads: list[list[int]] = []  # [root, first member] of each group in this block
        for member in block:
            root = groups.find(member)
            for head in heads:
                other = groups.find(head[0])
                head[0] = other
                if other == root:
                    break
                if groups.conflict(other, root):
                    refused.add((head[1], member))
                    continue
                head[0] = groups.union(other, root)
                edges.append((head[1], member, key))
                break
            else:
                heads.append([root, member])

    def _clusters(
        self,
        groups: _UnionFind,
        edges: list[tuple[int, int, int]],
        blocks: dict[str, list[list[int]]],
        candidates: set[int],
        skipped: dict[str, int],
        vetoed: int,
        ambiguous: int,
    ) -> Deduplication:
        members: dict[int, list[int]] = {}
        for member in candidates:
            members.setdefault(groups.find(member), []).append(member)
        members = {root: found for root, found in members.items() if len(found) > 1}
        clustered = {member for found in members.values() for member in found}
        shared: dict[int, set[tuple[int, int]]] = {}
        serial = 0
        for number, name in enumerate(self.indexed):
            for block in blocks[name]:
                serial += 1
                for member in block:
                    if member in clustered:
                        shared.setdefault(member, set()).add((number, serial))
        links: dict[int, list[tuple[int, int, int]]] = {}
        for edge in edges:
            links.setdefault(groups.find(edge[0]), []).append(edge)
        facts = [dict(items) for items in self.fact_table]
        clusters = []
        for root, found in members.items():
            refs = tuple(sorted({self.refs[member] for member in found}))
            if len(refs) < 2:
                continue
            entities = sorted(
                {facts[self.fact_ids[m]].get("entity") or self.refs[m].split("/")[0] for m in found}
            )
            evidence = sorted(
                (
                    self._evidence(edge, shared, facts)
                    for edge in links.get(root, [])
                    if self.refs[edge[0]] != self.refs[edge[1]]
                ),
                key=lambda item: item.refs,
            )
            clusters.append(Cluster(refs, tuple(entities), tuple(evidence)))
        clusters.sort(key=lambda cluster: cluster.refs)
        summary = Summary(
            persons=len(self.refs),
            ignored=self.ignored,
            clusters=len(clusters),
            clustered=sum(len(cluster.refs) for cluster in clusters),
            largest=max((len(cluster.refs) for cluster in clusters), default=0),
            skipped=skipped,
            vetoed=vetoed,
            ambiguous=ambiguous,
            max_block=self.max_block,
        )
        return Deduplication(tuple(clusters), summary)

    def _evidence(
        self,
        edge: tuple[int, int, int],
        shared: dict[int, set[tuple[int, int]]],
        facts: list[dict[str, str]],
    ) -> Evidence:
        first, second, key = edge
        common = {number for number, _ in shared.get(first, set()) & shared.get(second, set())}
        mine, theirs = facts[self.fact_ids[first]], facts[self.fact_ids[second]]
        both = sorted(name for name in mine if name in theirs)
        low, high = sorted((self.refs[first], self.refs[second]))
        return Evidence(
            refs=(low, high),
            linked_by=self.linking[key],
            keys=tuple(name for number, name in enumerate(self.indexed) if number in common),
            agree=tuple(name for name in both if mine[name] == theirs[name]),
            disagree=tuple(name for name in both if mine[name] != theirs[name]),
        )


def deduplicate(
    records: Iterable[object],
    *,
    keys: Sequence[str] = DEFAULT_MATCH_KEYS,
    tolerant: Sequence[str] = DEFAULT_TOLERANT_KEYS,
    max_block: int = DEFAULT_MAX_BLOCK,
    veto: Collection[str] = IDENTIFIER_KEYS,
) -> Deduplication:
    """The clusters of ``records`` and a `Summary` of the run (see the module doc).

    ``records`` holds typed entities and/or `PersonKeys`; entities that hold
    no person are counted in `Summary.ignored`. ``keys`` are the key names to
    link on, most precise first; ``tolerant`` the keys that link only
    unambiguous blocks (``()`` for none); ``veto`` the identifier keys whose
    conflicting values keep two groups apart; ``max_block`` the largest block
    that still links. Raises ValueError when ``keys`` is empty or
    ``max_block`` is below 2.
    """
    if isinstance(keys, str) or not keys:
        raise ValueError("keys must name at least one match key")
    if isinstance(tolerant, str):
        raise ValueError("tolerant must be a sequence of key names")
    if max_block < 2:
        raise ValueError("max_block must be at least 2")
    linker = _Linker(keys, tolerant, veto, max_block)
    for record in records:
        if isinstance(record, PersonKeys):
            linker.add(record)
            continue
        found = person_keys(record)
        if not found:
            linker.ignored += 1
        for person in found:
            linker.add(person)
    return linker.run()


def find_duplicates(
    records: Iterable[object],
    *,
    keys: Sequence[str] = DEFAULT_MATCH_KEYS,
    tolerant: Sequence[str] = DEFAULT_TOLERANT_KEYS,
    max_block: int = DEFAULT_MAX_BLOCK,
    veto: Collection[str] = IDENTIFIER_KEYS,
) -> list[Cluster]:
    """The clusters of two or more person records that are the same person.

    Same arguments as `deduplicate`; returns its clusters, sorted by refs.

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
    >>> [cluster.refs for cluster in find_duplicates(people)]
    [('child/a', 'child/b')]
    >>> find_duplicates(people)[0].evidence[0].linked_by
    'name_dob_swapped'
    """
    result = deduplicate(records, keys=keys, tolerant=tolerant, max_block=max_block, veto=veto)
    return list(result.clusters)

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
4. **Guarded tolerant links** (``tolerant``, `DEFAULT_TOLERANT_KEYS`). Each
   tolerant key has a guard (`TOLERANT_GUARDS`):

   - ``pair`` (``name_typo_dob``: one name one typo apart, same birth date;
     ``name_dob_day``: one digit of the day mistyped): a block links when it
     holds exactly two groups.
   - ``corroborated`` (``given_dob``: a married woman registered under her
     maiden name): only as below.
   - ``partial``, every other key (``name_dob_ym``, ``name_yob``,
     ``name_swapped``): a block links when, after the links
     above, it holds at most one *dated* group (one with a full birth date,
     i.e. a `DATE_KEY` value). A record known only by year, month or an
     estimate then joins the one person it can be.

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
   value of a ``household`` key (`DEFAULT_HOUSEHOLD_KEYS`: ``given_yob``, then
   ``family_yob``, then ``name_swapped``: sex, one name and the birth year)
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
the millions of index objects again and again). On 2 cores, 1,000,000
streamed `PersonKeys` of bench/dedup.py's population take about 48 s and
1.65 GB. Feed a generator: a list of a million `PersonKeys` alone holds
about 8 GB.

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
import sys
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from casestd.dedup.person_keys import keys as person_key_values
from casestd.dedup.records import parse_ref, persons
from casestd.model.common import Person

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
    "name_pair_dob",
    "name_dob_swapped",
    "family_patronymic_free",
)
#: Tolerant keys, linked under their guard (`TOLERANT_GUARDS`, see the module doc).
DEFAULT_TOLERANT_KEYS: tuple[str, ...] = (
    "name_typo_dob",
    "name_dob_day",
    "given_dob",
    "name_dob_ym",
    "name_yob",
    "name_swapped",
)
#: Keys that link two members of two registrations of one household (see the module doc).
DEFAULT_HOUSEHOLD_KEYS: tuple[str, ...] = ("given_yob", "family_yob", "name_swapped")
#: How a tolerant key links a block; a key not named here is PARTIAL (see the module doc).
PAIR, PARTIAL, CORROBORATED = "pair", "partial", "corroborated"
TOLERANT_GUARDS: Mapping[str, str] = MappingProxyType(
    {"name_typo_dob": PAIR, "name_dob_day": PAIR, "given_dob": CORROBORATED}
)
#: Keys whose values are not indexed but compared within the blocks of the coarser
#: keys named here: two records sharing a value of the key share a value of one of
#: those (the same names and birth year; for a typo, one name and the date), so no
#: pair is missed while the index holds a few keys only (see the module doc).
VERIFIED_IN: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        **dict.fromkeys(
            (
                "name_dob",
                "name_pair_dob",
                "name_dob_swapped",
                "family_patronymic_free",
                "name_dob_day",
                "name_dob_ym",
                "name_yob",
                "name_yob_near",
            ),
            ("name_swapped",),
        ),
        "name_typo_dob": ("given_dob", "family_dob"),
    }
)
#: Evidence that only corroborates: a patronymic also keeps tolerant links apart.
PATRONYMIC_KEY, PHONE_KEY = "patronymic", "phone"
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


# -- linking ------------------------------------------------------------------


class _Packed:
    """Hashed values of each record, in two flat arrays (8 bytes a value)."""

    def __init__(self) -> None:
        self.offsets = array("Q", [0])
        self.data = array("q")
        self.order: list[int] | None = None  # ref order -> input number, once ranked

    def skip(self) -> None:
        """No value for this record."""
        self.offsets.append(len(self.data))

    def get(self, member: int) -> array[int]:
        number = member if self.order is None else self.order[member]
        return self.data[self.offsets[number] : self.offsets[number + 1]]


class _Tagged:
    """The values of a few keys of each record in one `_Packed`, each tagged with its key.

    A value is kept as its hash with the low bits replaced by the key's number
    (one key needs no tag), so one pack and one pass serve all the keys.
    """

    def __init__(self, names: tuple[str, ...], coarse: tuple[str, ...] = ()) -> None:
        self.names = names
        self.numbered = tuple(enumerate(names))
        self.pack = _Packed()
        self.low = (1 << (len(names) - 1).bit_length()) - 1 if len(names) > 1 else 0
        self.mask = ~self.low
        self.coarse = coarse
        #: tagged values of records without a value of any coarse key
        self.loose: set[int] = set()

    def append(self, values_of: Mapping[str, frozenset[str]]) -> None:
        """Pack the record's values of these keys (called once per record: kept lean)."""
        get = values_of.get
        if self.low:
            mask = self.mask
            tagged = [(hash(v) & mask) | tag for tag, name in self.numbered for v in get(name, ())]
        else:
            tagged = list(map(hash, get(self.names[0], ()))) if self.names else []
        data = self.pack.data
        data.extend(tagged)
        self.pack.offsets.append(len(data))
        if tagged and self.coarse and not any(map(get, self.coarse)):
            self.loose.update(tagged)

    def tag(self, hashed: int, tag: int) -> int:
        """The packed form of a value hashed to ``hashed``, of the key numbered ``tag``."""
        return (hashed & self.mask) | tag

    def of(self, member: int, tag: int) -> set[int]:
        """The member's tagged values of the key numbered ``tag``."""
        low = self.low
        return {value for value in self.pack.get(member) if value & low == tag}

    def split(self, member: int) -> dict[str, set[int]]:
        """The member's tagged values by key name."""
        found: dict[str, set[int]] = {}
        for value in self.pack.get(member):
            found.setdefault(self.names[value & self.low], set()).add(value)
        return found


class _Verified(_Tagged):
    """Keys compared within the blocks of the same coarse keys (`VERIFIED_IN`)."""

    def blocks(
        self,
        coarse: list[list[list[int]]],
        size: int,
        wanted: Collection[int],
        linked: Callable[[list[int]], bool] | None = None,
    ) -> dict[int, list[list[int]]]:
        """Per key number in ``wanted``, the members of each value held by two or more.

        A value whose holders share a coarse value is found whole in that coarse
        block (and perhaps in part in others: the parts are merged). Records
        without a coarse value (``loose``) are compared with every record.
        Coarse blocks whose members are all ``linked`` already are passed over:
        a tolerant key can add nothing there.
        """
        get = self.pack.get
        low = self.low
        every = len(wanted) == len(self.names)
        found: dict[int, list[int]] = {}
        merged: set[int] = set()

        def add(value: int, members: list[int]) -> None:
            known = found.get(value)
            if known is None:
                found[value] = members
            elif known != members:
                found[value] = [*known, *members]
                merged.add(value)

        for blocks in coarse:
            for block in blocks:
                if linked is not None and linked(block):
                    continue
                if len(block) == 2:  # most blocks: a set intersection does it
                    for value in set(get(block[0])).intersection(get(block[1])):
                        if every or value & low in wanted:
                            add(value, block)
                    continue
                local: dict[int, list[int]] = {}
                for member in block:
                    for value in get(member):
                        if every or value & low in wanted:
                            local.setdefault(value, []).append(member)
                for value, members in local.items():
                    if len(members) > 1:
                        add(value, members)
        if self.loose:
            holders: dict[int, list[int]] = {}
            for member in range(size):
                for value in get(member):
                    if value in self.loose and (every or value & low in wanted):
                        holders.setdefault(value, []).append(member)
            for value, members in holders.items():
                if len(members) > 1:
                    add(value, members)
        per_key: dict[int, list[list[int]]] = {tag: [] for tag in wanted}
        for value, members in found.items():
            per_key[value & low].append(sorted(set(members)) if value in merged else members)
        return per_key

    def shared(self, first: int, second: int) -> set[int]:
        """The numbers of the keys whose values the two records share."""
        low = self.low
        return {
            value & low for value in set(self.pack.get(first)).intersection(self.pack.get(second))
        }


def _distinct(blocks: Iterable[list[int]]) -> list[list[int]]:
    """The blocks, sorted, each member list once: a pair sharing several values of a
    key (a typo variant of each name, two digits of one day) is one block."""
    return [list(block) for block in sorted({tuple(block) for block in blocks})]


class _UnionFind:
    """Union by size with path compression; groups carry their identifier values.

    The values of a record (identifiers, patronymic, phone: hashed) are read
    from its packs when needed (``read``); a group of several records keeps
    the union of its members' values once it holds any.
    """

    def __init__(
        self, size: int, read: Callable[[int], dict[str, set[int]]], dated: bytearray
    ) -> None:
        self.parent = list(range(size))
        self.size = [1] * size
        self.read = read
        self.merged: dict[int, dict[str, set[int]]] = {}
        self.dated = dated

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    def values(self, root: int) -> dict[str, set[int]]:
        """The identifier and evidence values of a group, by key name."""
        found = self.merged.get(root)
        return found if found is not None else self.read(root)

    def conflict(self, first: int, second: int, soft: bool = False) -> bool:
        """True when the two groups hold different values of one identifier key.

        With ``soft``, different patronymics count too.
        """
        mine = self.values(first)
        if not mine:
            return False
        theirs = self.values(second)
        if not theirs:
            return False
        for name, values in mine.items():
            if name == PHONE_KEY or (name == PATRONYMIC_KEY and not soft):
                continue
            other = theirs.get(name)
            if other is not None and values.isdisjoint(other):
                return True
        return False

    def agree(self, first: int, second: int) -> bool:
        """True when the two groups share a patronymic or a phone."""
        mine, theirs = self.values(first), self.values(second)
        for name in (PATRONYMIC_KEY, PHONE_KEY):
            values, other = mine.get(name), theirs.get(name)
            if values and other and not values.isdisjoint(other):
                return True
        return False

    def union(self, first: int, second: int) -> int:
        """Join two roots; returns the new root."""
        if self.size[first] < self.size[second]:
            first, second = second, first
        self.parent[second] = first
        self.size[first] += self.size[second]
        self.dated[first] |= self.dated[second]
        theirs = self.merged.pop(second, None)
        if theirs is None:
            theirs = self.read(second)
        if theirs:
            mine = self.values(first)  # read afresh unless merged before: ours to change
            for name, values in theirs.items():
                mine.setdefault(name, set()).update(values)
            self.merged[first] = mine
        return first


class _Linker:
    """Streams persons into an inverted index, then links blocks into clusters."""

    def __init__(
        self,
        keys: Sequence[str],
        tolerant: Sequence[str],
        veto: Collection[str],
        max_block: int,
        household: Sequence[str] = (),
    ) -> None:
        self.link_keys = tuple(dict.fromkeys(keys))
        self.tolerant_keys = tuple(k for k in dict.fromkeys(tolerant) if k not in self.link_keys)
        self.household_keys = tuple(dict.fromkeys(household))
        self.linking = (*self.link_keys, *self.tolerant_keys)
        self.veto_keys = tuple(dict.fromkeys(veto))
        coarse = {block for name in self.linking for block in VERIFIED_IN.get(name, ())}
        verified = [n for n in self.linking if n in VERIFIED_IN and n not in coarse]
        by_coarse: dict[tuple[str, ...], list[str]] = {}
        for name in verified:
            by_coarse.setdefault(VERIFIED_IN[name], []).append(name)
        self.verified = [_Verified(tuple(names), c) for c, names in by_coarse.items()]
        self.coarse = tuple(dict.fromkeys(c for n in verified for c in VERIFIED_IN[n]))
        self.block_keys = tuple(dict.fromkeys((*self.linking, *self.veto_keys, *self.coarse)))
        self.indexed = tuple(name for name in self.block_keys if name not in verified)
        self.labels = (*self.linking, *(f"household:{k}" for k in self.household_keys))
        self.household = array("l")
        self.household_ids: dict[str, int] = {}
        self.members = _Tagged(self.household_keys)
        #: what keeps two groups apart or corroborates a link: identifiers, patronymic, phone
        self.checks = _Tagged(tuple(dict.fromkeys((*self.veto_keys, PATRONYMIC_KEY, PHONE_KEY))))
        self.placeholders: set[int] = set()
        self.packs = tuple(tagged.pack for tagged in (*self.verified, self.members, self.checks))
        self.dated = bytearray()
        self.max_block = max_block
        self.index: dict[str, dict[int, int | list[int]]] = {name: {} for name in self.indexed}
        # a coarse key keeps every member: its large blocks are still searched
        self.buckets = tuple(
            (name, bucket, sys.maxsize if name in self.coarse else max_block)
            for name, bucket in self.index.items()
        )
        self.refs: list[str] = []
        self.fact_ids = array("L")
        self.fact_table: dict[tuple[tuple[str, str], ...], int] = {}
        self.ignored = 0

    def add(self, person: PersonKeys) -> None:
        number = len(self.refs)
        self.refs.append(person.ref)
        facts = tuple(person.facts.items())  # in the order given: a few more table entries at most
        self.fact_ids.append(self.fact_table.setdefault(facts, len(self.fact_table)))
        values_of = person.keys
        self.dated.append(1 if values_of.get(DATE_KEY) else 0)
        unit = -1
        ref = parse_ref(person.ref)
        if ref.entity == "family" and ref.member is not None:
            unit = self.household_ids.setdefault(ref.record_id, len(self.household_ids))
        self.household.append(unit)
        if unit >= 0:
            self.members.append(values_of)
        else:
            self.members.pack.skip()
        for verified in self.verified:
            verified.append(values_of)
        self.checks.append(values_of)
        for name, bucket, limit in self.buckets:
            values = values_of.get(name)
            if not values:
                continue
            for value in values:
                # the index keeps hashes, not the strings: 64-bit hashes of a few
                # million values do not collide in practice, and memory halves
                hashed = hash(value)
                entry = bucket.setdefault(hashed, number)
                if entry is number:  # a new value: one dict operation only
                    continue
                if isinstance(entry, int):
                    bucket[hashed] = [entry, number]
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
        self.household = array("l", (self.household[number] for number in order))
        for pack in self.packs:
            pack.order = order
        return rank

    def _blocks(
        self, rank: list[int] | None
    ) -> tuple[dict[str, list[list[int]]], dict[str, int], dict[str, list[list[int]]]]:
        """Blocks of 2..max_block persons per key, in member order; oversized counts;
        every block of each coarse key, whatever its size."""
        blocks: dict[str, list[list[int]]] = {}
        skipped: dict[str, int] = {}
        coarse: dict[str, list[list[int]]] = {}
        for name in self.indexed:
            bucket = self.index.pop(name)  # freed once read
            every: list[list[int]] = []
            for value, entry in bucket.items():
                if isinstance(entry, list):
                    if rank is None:
                        every.append(entry)
                    elif len(entry) == 2:
                        one, two = rank[entry[0]], rank[entry[1]]
                        every.append([one, two] if one < two else [two, one])
                    else:
                        every.append(sorted([rank[n] for n in entry]))
                    if len(entry) > self.max_block and name in self.veto_keys:
                        # a placeholder identifier vetoes nobody
                        tag = self.checks.names.index(name)
                        self.placeholders.add(self.checks.tag(value, tag))
            del bucket
            kept = [block for block in every if len(block) <= self.max_block]
            kept.sort()
            blocks[name] = kept
            over = sum(len(block) > self.max_block for block in every)
            if over and name in self.linking:
                skipped[name] = over
            if name in self.coarse:
                coarse[name] = every
        self._verified_blocks(blocks, skipped, coarse, self.link_keys)
        return blocks, skipped, coarse

    def _verified_blocks(
        self,
        blocks: dict[str, list[list[int]]],
        skipped: dict[str, int],
        coarse_blocks: dict[str, list[list[int]]],
        names: Collection[str],
        linked: Callable[[list[int]], bool] | None = None,
    ) -> None:
        """Put the blocks of the verified keys among ``names`` into ``blocks``."""
        for verified in self.verified:
            wanted = {tag: name for tag, name in verified.numbered if name in names}
            if not wanted:
                continue
            coarse = [coarse_blocks[name] for name in verified.coarse]
            found = verified.blocks(coarse, len(self.refs), wanted, linked)
            for tag, every in found.items():
                name = wanted[tag]
                blocks[name] = _distinct(block for block in every if len(block) <= self.max_block)
                over = sum(len(block) > self.max_block for block in every)
                if over:
                    skipped[name] = over

    def _read(self, member: int) -> dict[str, set[int]]:
        """A record's identifier values (placeholders left out), patronymics and phones."""
        found = self.checks.split(member)
        placeholders = self.placeholders
        if placeholders:
            found = {
                name: kept
                for name, values in found.items()
                if (kept := {value for value in values if value not in placeholders})
            }
        return found

    def run(self) -> Deduplication:
        self.buckets = ()  # the index is read (and freed) by _blocks and _identifiers
        rank = self._rank()
        blocks, skipped, coarse = self._blocks(rank)
        groups = _UnionFind(len(self.refs), self._read, self.dated)
        del rank
        edges: list[tuple[int, int, int]] = []
        refused: set[tuple[int, int]] = set()
        for number, name in enumerate(self.link_keys):
            for block in blocks[name]:
                self._link(block, number, groups, edges, refused)
        ambiguous = 0

        def linked(block: list[int]) -> bool:
            root = groups.find(block[0])
            return all(groups.find(member) == root for member in block[1:])

        self._verified_blocks(blocks, skipped, coarse, self.tolerant_keys, linked)
        del coarse
        tolerant = list(enumerate(self.tolerant_keys, len(self.link_keys)))
        full = [(n, k) for n, k in tolerant if TOLERANT_GUARDS.get(k, PARTIAL) != PARTIAL]
        partial = [(n, k) for n, k in tolerant if TOLERANT_GUARDS.get(k, PARTIAL) == PARTIAL]
        self.units: dict[int, list[int]] = {}  # household -> its members
        for member, unit in enumerate(self.household):
            if unit >= 0:
                self.units.setdefault(unit, []).append(member)
        for stage in (full, None, partial, None):
            if stage is None:
                ambiguous += self._households(groups, edges, refused)
                continue
            for number, name in stage:
                guard = TOLERANT_GUARDS.get(name, PARTIAL)
                for block in blocks[name]:
                    ambiguous += self._tolerant(block, guard, number, groups, edges, refused)
        vetoed = sum(groups.find(first) != groups.find(second) for first, second in refused)
        return self._clusters(groups, edges, blocks, skipped, vetoed, ambiguous)

    def _households(
        self, groups: _UnionFind, edges: list[tuple[int, int, int]], refused: set[tuple[int, int]]
    ) -> int:
        """Link the members of two registrations of one household (see the module doc)."""
        if not self.household_keys:
            return 0
        members = self.units
        units_of: dict[int, set[int]] = {}
        for unit, found in members.items():
            for member in found:
                units_of.setdefault(groups.find(member), set()).add(unit)
        pairs = sorted(
            {
                pair
                for units in units_of.values()
                if len(units) > 1
                for pair in itertools.combinations(sorted(units), 2)
            }
        )
        ambiguous = 0
        find = groups.find
        for first, second in pairs:
            mine, theirs = members[first], members[second]
            for tag in range(len(self.household_keys)):
                taken = {find(other) for other in theirs}
                free = [member for member in mine if find(member) not in taken]
                if not free or taken <= {find(member) for member in mine}:
                    break  # everybody of one registration is linked to the other already
                values = {m: self.members.of(m, tag) for m in (*mine, *theirs)}
                for member in free:
                    own_values = values[member]
                    root = find(member)
                    if not own_values or root in taken:
                        continue  # nothing to compare, or linked to the other registration
                    own = {find(other) for other in mine}
                    hits = {
                        find(other): other
                        for other in theirs
                        if find(other) not in own and not own_values.isdisjoint(values[other])
                    }
                    if len(hits) != 1:
                        ambiguous += len(hits) > 1
                        continue
                    ((other_root, other),) = hits.items()
                    rivals = [
                        m
                        for m in mine
                        if m != member
                        and find(m) not in taken
                        and not values[other].isdisjoint(values[m])
                    ]
                    if rivals:
                        ambiguous += 1
                        continue
                    if groups.conflict(root, other_root, soft=True):
                        refused.add((member, other))
                        continue
                    taken.add(groups.union(root, other_root))
                    edges.append((member, other, len(self.linking) + tag))
        return ambiguous

    def _tolerant(
        self,
        block: list[int],
        guard: str,
        key: int,
        groups: _UnionFind,
        edges: list[tuple[int, int, int]],
        refused: set[tuple[int, int]],
    ) -> int:
        """Link one block of a tolerant key under its guard; 1 when it stayed ambiguous."""
        delegates: dict[int, int] = {}  # root -> its first member in the block
        for member in block:
            delegates.setdefault(groups.find(member), member)
        if len(delegates) < 2:
            return 0
        dated = [member for root, member in delegates.items() if groups.dated[root]]
        if (guard == PAIR and len(delegates) == 2) or (guard == PARTIAL and len(dated) <= 1):
            self._link(block, key, groups, edges, refused, self._other_household, soft=True)
            return 0
        # ambiguous: a group may still join the one group of the block that corroborates it
        if guard == PARTIAL:
            seekers = [member for root, member in delegates.items() if not groups.dated[root]]
            targets = dated
        else:
            seekers = targets = list(delegates.values())
        left = 0
        for seeker in seekers:
            root = groups.find(seeker)
            options = {
                groups.find(target): target
                for target in targets
                if groups.find(target) != root
                and not self._other_household(seeker, target)
                and groups.agree(root, groups.find(target))
                and not groups.conflict(root, groups.find(target), soft=True)
            }
            if len(options) != 1:
                left = 1
                continue
            ((other, target),) = options.items()
            groups.union(root, other)
            edges.append((seeker, target, key))
        return left

    def _other_household(self, first: int, second: int) -> bool:
        """True when both are members of family registrations: the household stage decides."""
        return self.household[first] >= 0 and self.household[second] >= 0

    @staticmethod
    def _link(
        block: list[int],
        key: int,
        groups: _UnionFind,
        edges: list[tuple[int, int, int]],
        refused: set[tuple[int, int]],
        apart: Callable[[int, int], bool] | None = None,
        soft: bool = False,
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
                if apart is not None and apart(member, head[1]):
                    continue
                if groups.conflict(other, root, soft):
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
        skipped: dict[str, int],
        vetoed: int,
        ambiguous: int,
    ) -> Deduplication:
        # every member of a group of two or more is an end of one of its links
        members: dict[int, set[int]] = {}
        for first, second, _ in edges:
            members.setdefault(groups.find(first), set()).update((first, second))
        shared: dict[tuple[int, int], set[int]] = {}  # linked pair -> numbers of shared keys
        numbers = {name: number for number, name in enumerate(self.block_keys)}
        for first, second, _ in edges:
            common: set[int] = set()
            for verified in self.verified:  # not indexed: compared directly
                tags = verified.shared(first, second)
                common.update(numbers[verified.names[tag]] for tag in tags)
            shared[(first, second) if first < second else (second, first)] = common
        for number, name in enumerate(self.block_keys):
            if name not in self.indexed:
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
        facts = [dict(items) for items in self.fact_table]
        compared: dict[tuple[int, int], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        clusters = []
        # members are numbered in ref order: a cluster's refs are its sorted members',
        # and clusters taken by their first member come out sorted by refs
        for found in sorted(sorted(group) for group in members.values()):
            refs = tuple(dict.fromkeys(self.refs[member] for member in found))
            if len(refs) < 2:
                continue
            entities = sorted(
                {
                    facts[self.fact_ids[m]].get("entity") or parse_ref(self.refs[m]).entity
                    for m in found
                }
            )
            evidence = sorted(
                (
                    self._evidence(edge, shared, facts, compared)
                    for edge in links.get(groups.find(found[0]), [])
                    if self.refs[edge[0]] != self.refs[edge[1]]
                ),
                key=lambda item: item.refs,
            )
            clusters.append(Cluster(refs, tuple(entities), tuple(evidence)))
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
        shared: dict[tuple[int, int], set[int]],
        facts: list[dict[str, str]],
        compared: dict[tuple[int, int], tuple[tuple[str, ...], tuple[str, ...]]],
    ) -> Evidence:
        first, second, key = edge
        common = shared[(first, second) if first < second else (second, first)]
        pair = (self.fact_ids[first], self.fact_ids[second])
        facts_of = compared.get(pair)
        if facts_of is None:
            mine, theirs = facts[pair[0]], facts[pair[1]]
            both = sorted(name for name in mine if name in theirs)
            facts_of = compared[pair] = (
                tuple(name for name in both if mine[name] == theirs[name]),
                tuple(name for name in both if mine[name] != theirs[name]),
            )
        low, high = sorted((self.refs[first], self.refs[second]))
        return Evidence(
            refs=(low, high),
            linked_by=self.labels[key],
            keys=tuple(self.block_keys[number] for number in sorted(common)),
            agree=facts_of[0],
            disagree=facts_of[1],
        )


def deduplicate(
    records: Iterable[object],
    *,
    keys: Sequence[str] = DEFAULT_MATCH_KEYS,
    tolerant: Sequence[str] = DEFAULT_TOLERANT_KEYS,
    max_block: int = DEFAULT_MAX_BLOCK,
    veto: Collection[str] = IDENTIFIER_KEYS,
    household: Sequence[str] = DEFAULT_HOUSEHOLD_KEYS,
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
    linker = _Linker(keys, tolerant, veto, max_block, household)
    with _collector_paused():
        for record in records:
            if isinstance(record, PersonKeys):
                linker.add(record)
                continue
            found = record_keys(record)
            if not found:
                linker.ignored += 1
            for person in found:
                linker.add(person)
        return linker.run()


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


def find_duplicates(
    records: Iterable[object],
    *,
    keys: Sequence[str] = DEFAULT_MATCH_KEYS,
    tolerant: Sequence[str] = DEFAULT_TOLERANT_KEYS,
    max_block: int = DEFAULT_MAX_BLOCK,
    veto: Collection[str] = IDENTIFIER_KEYS,
    household: Sequence[str] = DEFAULT_HOUSEHOLD_KEYS,
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
    result = deduplicate(
        records, keys=keys, tolerant=tolerant, max_block=max_block, veto=veto, household=household
    )
    return list(result.clusters)

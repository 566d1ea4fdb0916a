"""The inverted index of find_duplicates, and the packed values compared within blocks.

Private to `casestd.dedup.clusters` (its module doc says why it looks so):
`Index` streams `PersonKeys` into a dict-of-lists index of the identifier
keys and the coarse keys, and packs every other value as an 8-byte hash
(`Packed`, `Tagged`), compared only within the blocks of a coarser key
(`Verified`, after `casestd.dedup.key_table.VERIFIED_IN`). `Index.blocks`
then gives the blocks of every linking key in ref order.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from casestd.dedup.key_table import DATE_KEY, PATRONYMIC_KEY, PHONE_KEY, VERIFIED_IN
from casestd.dedup.records import parse_ref

if TYPE_CHECKING:
    from casestd.dedup.clusters import PersonKeys


#: One person as `Index.encode` gives it: ref, facts, dated (0 or 1), the record id
#: of a family member's household (else None), the hashed values of each tagged pack
#: then of each indexed key, one after the other, and how many each has.
Entry = tuple[str, tuple[tuple[str, str], ...], int, str | None, "array[int]", tuple[int, ...]]


class Packed:
    """Hashed values of each record, in two flat arrays (8 bytes a value)."""

    def __init__(self) -> None:
        self.offsets = array("Q", [0])
        self.data = array("q")
        self.order: list[int] | None = None  # ref order -> input number, once ranked

    def get(self, member: int) -> array[int]:
        number = member if self.order is None else self.order[member]
        return self.data[self.offsets[number] : self.offsets[number + 1]]


class Tagged:
    """The values of a few keys of each record in one `Packed`, each tagged with its key.

    A value is kept as its hash with the low bits replaced by the key's number
    (one key needs no tag), so one pack and one pass serve all the keys.
    """

    def __init__(self, names: tuple[str, ...], coarse: tuple[str, ...] = ()) -> None:
        self.names = names
        self.numbered = tuple(enumerate(names))
        self.pack = Packed()
        self.low = (1 << (len(names) - 1).bit_length()) - 1 if len(names) > 1 else 0
        self.mask = ~self.low
        self.coarse = coarse
        #: tagged values of records without a value of any coarse key
        self.loose: set[int] = set()

    def values(self, values_of: Mapping[str, frozenset[str]]) -> list[int]:
        """The record's tagged values of these keys (called once per record: kept lean)."""
        get = values_of.get
        if self.low:
            mask = self.mask
            return [(hash(v) & mask) | tag for tag, name in self.numbered for v in get(name, ())]
        return list(map(hash, get(self.names[0], ()))) if self.names else []

    def extend(self, tagged: Sequence[int]) -> None:
        """Pack the next record's tagged values."""
        data = self.pack.data
        data.extend(tagged)
        self.pack.offsets.append(len(data))

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


class _Holders:
    """The members holding each packed value, merged across the coarse blocks it is in."""

    def __init__(self) -> None:
        self.found: dict[int, list[int]] = {}
        self.merged: set[int] = set()

    def add(self, value: int, members: list[int]) -> None:
        known = self.found.get(value)
        if known is None:
            self.found[value] = members
        elif known != members:
            self.found[value] = [*known, *members]
            self.merged.add(value)

    def per_key(self, wanted: Collection[int], low: int) -> dict[int, list[list[int]]]:
        per_key: dict[int, list[list[int]]] = {tag: [] for tag in wanted}
        for value, members in self.found.items():
            per_key[value & low].append(sorted(set(members)) if value in self.merged else members)
        return per_key


class Verified(Tagged):
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
        holders = _Holders()
        add = holders.add
        for blocks in coarse:
            for block in blocks:
                if linked is not None and linked(block):
                    continue
                if len(block) == 2:  # most blocks: a set intersection does it
                    for value in set(get(block[0])).intersection(get(block[1])):
                        if every or value & low in wanted:
                            add(value, block)
                    continue
                for value, members in self._held_by_two(block, every, wanted).items():
                    add(value, members)
        if self.loose:
            every_member = range(size)
            for value, members in self._held_by_two(
                every_member, every, wanted, self.loose
            ).items():
                add(value, members)
        return holders.per_key(wanted, low)

    def _held_by_two(
        self,
        members: Iterable[int],
        every: bool,
        wanted: Collection[int],
        among: Collection[int] | None = None,
    ) -> dict[int, list[int]]:
        """The wanted values (of ``among``, if given) that two or more of ``members`` hold."""
        get, low = self.pack.get, self.low
        local: dict[int, list[int]] = {}
        for member in members:
            for value in get(member):
                if among is not None and value not in among:
                    continue
                if every or value & low in wanted:
                    local.setdefault(value, []).append(member)
        return {value: held for value, held in local.items() if len(held) > 1}

    def shared(self, first: int, second: int) -> set[int]:
        """The numbers of the keys whose values the two records share."""
        low = self.low
        return {
            value & low for value in set(self.pack.get(first)).intersection(self.pack.get(second))
        }


def distinct(blocks: Iterable[list[int]]) -> list[list[int]]:
    """The blocks, sorted, each member list once: a pair sharing several values of a
    key (a typo variant of each name, two digits of one day) is one block."""
    return [list(block) for block in sorted({tuple(block) for block in blocks})]


class Index:
    """Streams persons into an inverted index; gives the blocks of each linking key."""

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
        self.verified = [Verified(tuple(names), c) for c, names in by_coarse.items()]
        self.coarse = tuple(dict.fromkeys(c for n in verified for c in VERIFIED_IN[n]))
        self.block_keys = tuple(dict.fromkeys((*self.linking, *self.veto_keys, *self.coarse)))
        self.indexed = tuple(name for name in self.block_keys if name not in verified)
        self.labels = (*self.linking, *(f"household:{k}" for k in self.household_keys))
        self.household = array("l")
        self.household_ids: dict[str, int] = {}
        self.members = Tagged(self.household_keys)
        #: what keeps two groups apart or corroborates a link: identifiers, patronymic, phone
        self.checks = Tagged(tuple(dict.fromkeys((*self.veto_keys, PATRONYMIC_KEY, PHONE_KEY))))
        self.placeholders: set[int] = set()
        #: the tagged packs, in the order of an `Entry`'s values
        self.tagged = (self.members, *self.verified, self.checks)
        self.packs = tuple(tagged.pack for tagged in self.tagged)
        self.dated = bytearray()
        self.max_block = max_block
        self.index: dict[str, dict[int, int | list[int]]] = {name: {} for name in self.indexed}
        # a coarse key keeps every member: its large blocks are still searched
        self.buckets = tuple(
            (name, bucket, sys.maxsize if name in self.coarse else max_block)
            for name, bucket in self.index.items()
        )
        #: every key the index reads: a record's other keys need not be made
        self.needed = frozenset(
            (*self.block_keys, *self.household_keys, *self.checks.names, DATE_KEY)
        )
        # each verified key's position in an Entry's counts, and those of its coarse keys
        positions = {name: len(self.tagged) + n for n, name in enumerate(self.indexed)}
        self.loose_checks = tuple(
            (verified, 1 + n, tuple(positions[name] for name in verified.coarse))
            for n, verified in enumerate(self.verified)
            if verified.coarse
        )
        #: what an `Entry` depends on: an index of the same layout can add it
        self.layout = (self.link_keys, self.tolerant_keys, self.veto_keys, self.household_keys)
        self.refs: list[str] = []
        self.fact_ids = array("L")
        self.fact_table: dict[tuple[tuple[str, str], ...], int] = {}
        self.ignored = 0

    def add(self, person: PersonKeys) -> None:
        """Index one person: its values, facts and household."""
        self.add_encoded(self.encode(person))

    def encode(self, person: PersonKeys) -> Entry:
        """What `add_encoded` stores of one person: its values hashed, laid out for
        this index. A pure map: worker processes forked from this one can make it."""
        values_of = person.keys
        get = values_of.get
        ref = parse_ref(person.ref)
        household = ref.record_id if ref.entity == "family" and ref.member is not None else None
        values = array("q")
        counts = []
        for tagged in self.tagged:
            if tagged is self.members and household is None:
                counts.append(0)
                continue
            found = tagged.values(values_of)
            values.extend(found)
            counts.append(len(found))
        for name in self.indexed:
            # the index keeps hashes, not the strings: 64-bit hashes of a few
            # million values do not collide in practice, and memory halves
            hashed = [hash(value) for value in get(name, ())]
            values.extend(hashed)
            counts.append(len(hashed))
        facts = tuple(person.facts.items())  # in the order given: a few more table entries at most
        dated = 1 if get(DATE_KEY) else 0
        return person.ref, facts, dated, household, values, tuple(counts)

    def add_encoded(self, entry: Entry) -> None:
        """Index one person as `encode` gave it (called per record: kept lean)."""
        ref, facts, dated, household, values, counts = entry
        number = len(self.refs)
        self.refs.append(ref)
        self.fact_ids.append(self.fact_table.setdefault(facts, len(self.fact_table)))
        self.dated.append(dated)
        if household is None:
            self.household.append(-1)
        else:
            self.household.append(self.household_ids.setdefault(household, len(self.household_ids)))
        start = 0
        for tagged, count in zip(self.tagged, counts, strict=False):
            tagged.extend(values[start : start + count])
            start += count
        for verified, position, coarse in self.loose_checks:
            if counts[position] and not any(counts[other] for other in coarse):
                offset = sum(counts[:position])
                verified.loose.update(values[offset : offset + counts[position]])
        for (_, bucket, limit), count in zip(self.buckets, counts[len(self.tagged) :], strict=True):
            if not count:
                continue
            for hashed in values[start : start + count]:
                entry_of = bucket.setdefault(hashed, number)
                if entry_of is number:  # a new value: one dict operation only
                    continue
                if isinstance(entry_of, int):
                    bucket[hashed] = [entry_of, number]
                elif len(entry_of) <= limit and entry_of[-1] != number:
                    entry_of.append(number)
            start += count

    def rank(self) -> list[int] | None:
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

    def blocks(
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
        self.verified_blocks(blocks, skipped, coarse, self.link_keys)
        return blocks, skipped, coarse

    def verified_blocks(
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
                blocks[name] = distinct(block for block in every if len(block) <= self.max_block)
                over = sum(len(block) > self.max_block for block in every)
                if over:
                    skipped[name] = over

    def read(self, member: int) -> dict[str, set[int]]:
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

"""The stages of the linking rule, as plain functions over the index and the groups.

Private to `casestd.dedup.clusters`, whose module doc states the rule:
`link_all` runs the stages in order (precise keys, tolerant keys with full
dates, households, partial keys, households again); `link_block` joins the
members of one block, `link_tolerant` one block of a tolerant key under its
guard, `link_households` the members of two registrations of one household.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import attrs

from casestd.dedup._index import Index
from casestd.dedup._union_find import UnionFind
from casestd.dedup.key_table import PAIR, PARTIAL, TOLERANT_GUARDS


@attrs.frozen
class Linked:
    """What linking found: the groups, the links (two members and the key number) that
    made them, the blocks per key, the oversized values per key, and the counts."""

    groups: UnionFind
    edges: list[tuple[int, int, int]]
    blocks: dict[str, list[list[int]]]
    skipped: dict[str, int]
    vetoed: int
    ambiguous: int


def link_all(index: Index) -> Linked:
    """Link the indexed persons by the rule of `casestd.dedup.clusters`, stage by stage."""
    index.buckets = ()  # the index is read (and freed) by blocks
    rank = index.rank()
    blocks, skipped, coarse = index.blocks(rank)
    groups = UnionFind(len(index.refs), index.read, index.dated)
    del rank
    edges: list[tuple[int, int, int]] = []
    refused: set[tuple[int, int]] = set()
    for number, name in enumerate(index.link_keys):
        for block in blocks[name]:
            link_block(block, number, groups, edges, refused)
    ambiguous = 0

    def linked(block: list[int]) -> bool:
        root = groups.find(block[0])
        return all(groups.find(member) == root for member in block[1:])

    index.verified_blocks(blocks, skipped, coarse, index.tolerant_keys, linked)
    del coarse
    tolerant = list(enumerate(index.tolerant_keys, len(index.link_keys)))
    full = [(n, k) for n, k in tolerant if TOLERANT_GUARDS.get(k, PARTIAL) != PARTIAL]
    partial = [(n, k) for n, k in tolerant if TOLERANT_GUARDS.get(k, PARTIAL) == PARTIAL]
    units: dict[int, list[int]] = {}  # household -> its members
    for member, unit in enumerate(index.household):
        if unit >= 0:
            units.setdefault(unit, []).append(member)

    def apart(first: int, second: int) -> bool:
        """True when both are members of family registrations: the household stage decides."""
        return index.household[first] >= 0 and index.household[second] >= 0

    for stage in (full, None, partial, None):
        if stage is None:
            ambiguous += link_households(index, units, groups, edges, refused)
            continue
        for number, name in stage:
            guard = TOLERANT_GUARDS.get(name, PARTIAL)
            for block in blocks[name]:
                ambiguous += link_tolerant(block, guard, number, groups, edges, refused, apart)
    vetoed = sum(groups.find(first) != groups.find(second) for first, second in refused)
    return Linked(groups, edges, blocks, skipped, vetoed, ambiguous)


def link_block(
    block: list[int],
    key: int,
    groups: UnionFind,
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


def link_tolerant(
    block: list[int],
    guard: str,
    key: int,
    groups: UnionFind,
    edges: list[tuple[int, int, int]],
    refused: set[tuple[int, int]],
    apart: Callable[[int, int], bool],
) -> int:
    """Link one block of a tolerant key under its guard; 1 when it stayed ambiguous."""
    delegates: dict[int, int] = {}  # root -> its first member in the block
    for member in block:
        delegates.setdefault(groups.find(member), member)
    if len(delegates) < 2:
        return 0
    dated = [member for root, member in delegates.items() if groups.dated[root]]
    if (guard == PAIR and len(delegates) == 2) or (guard == PARTIAL and len(dated) <= 1):
        link_block(block, key, groups, edges, refused, apart, soft=True)
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
            and not apart(seeker, target)
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


def link_households(
    index: Index,
    units: dict[int, list[int]],
    groups: UnionFind,
    edges: list[tuple[int, int, int]],
    refused: set[tuple[int, int]],
) -> int:
    """Link the members of two registrations of one household (see the module doc)."""
    if not index.household_keys:
        return 0
    members = units
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
        for tag in range(len(index.household_keys)):
            taken = {find(other) for other in theirs}
            free = [member for member in mine if find(member) not in taken]
            if not free or taken <= {find(member) for member in mine}:
                break  # everybody of one registration is linked to the other already
            values = {m: index.members.of(m, tag) for m in (*mine, *theirs)}
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
                edges.append((member, other, len(index.linking) + tag))
    return ambiguous

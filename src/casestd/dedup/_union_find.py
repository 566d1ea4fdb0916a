"""Union-find over the persons being linked; each group carries its identifier values.

Private to `casestd.dedup.clusters`: `UnionFind.conflict` is the veto of the
linking rule (two groups holding different values of one identifier key), and
`UnionFind.agree` the corroboration of a tolerant link (a shared patronymic or
phone).
"""

from __future__ import annotations

from collections.abc import Callable

from casestd.dedup.key_table import PATRONYMIC_KEY, PHONE_KEY


class UnionFind:
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

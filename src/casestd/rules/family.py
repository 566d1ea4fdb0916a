"""Rules on the family entity: head of household and coherent relationships."""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from typing import Any

from casestd.model.family import Family, FamilyMember
from casestd.rules.engine import Hit, RuleContext, rule


@functools.cache
def relationship_facts() -> dict[str, Any]:
    """Implied sex and generation of relationship codes, from ``relationships.json``."""
    text = resources.files("casestd.rules").joinpath("relationships.json").read_text("utf-8")
    facts: dict[str, Any] = json.loads(text)
    return facts


@rule("family.head_of_household_count")
def head_of_household_count(family: Family, ctx: RuleContext) -> Iterator[Hit]:
    """A family has exactly one head of household."""
    heads = sum(1 for member in family.members if member.head_of_household)
    if heads != 1:
        yield Hit(("members",), {"count": heads})


@rule("family.head_relationship_mismatch")
def head_relationship_mismatch(family: Family, ctx: RuleContext) -> Iterator[Hit]:
    """The head of household, and only the head, has the relationship 'head'."""
    for index, member in enumerate(family.members):
        if member.head_of_household != (member.relationship == "head"):
            yield Hit(("members", index, "relationship"))


@rule("family.relationship_sex_mismatch")
def relationship_sex_mismatch(family: Family, ctx: RuleContext) -> Iterator[Hit]:
    """A gendered relationship (mother, son, ...) agrees with the member's sex."""
    implied = relationship_facts()["implied_sex"]
    for index, member in enumerate(family.members):
        expected = implied.get(member.relationship)
        if expected and member.sex in {"female", "male"} and member.sex != expected:
            yield Hit(("members", index, "sex"))


@rule("family.spouse_count")
def spouse_count(family: Family, ctx: RuleContext) -> Iterator[Hit]:
    """The head of household has at most one spouse or partner: if more, each is flagged."""
    spouse_like = relationship_facts()["spouse_like"]
    spouses = [i for i, m in enumerate(family.members) if m.relationship in spouse_like]
    if len(spouses) > 1:
        for index in spouses:
            yield Hit(("members", index, "relationship"))


def _head(family: Family) -> FamilyMember | None:
    heads = [m for m in family.members if m.head_of_household]
    return heads[0] if len(heads) == 1 else None


@rule("family.generation_order")
def generation_order(family: Family, ctx: RuleContext) -> Iterator[Hit]:
    """Parents and grandparents of the head are older than the head; children younger."""
    head = _head(family)
    if head is None or head.birth_date is None:
        return
    facts = relationship_facts()
    for index, member in enumerate(family.members):
        if member.birth_date is None:
            continue
        older = member.relationship in facts["older_than_head"]
        younger = member.relationship in facts["younger_than_head"]
        if (older and member.birth_date.earliest >= head.birth_date.latest) or (
            younger and member.birth_date.latest <= head.birth_date.earliest
        ):
            yield Hit(("members", index, "birth_date"))


@rule("family.child_reference_repeated")
def child_reference_repeated(family: Family, ctx: RuleContext) -> Iterator[Hit]:
    """A registered child is a member of the family at most once: each repeat is flagged."""
    counts = Counter(member.child_id for member in family.members if member.child_id is not None)
    for index, member in enumerate(family.members):
        if member.child_id is not None and counts[member.child_id] > 1:
            yield Hit(("members", index, "child_id"))

"""The persons a record holds, and the refs that name them.

A `~casestd.model.child.Child` record is a person; a
`~casestd.model.family.Family` holds one person per member; a
`~casestd.model.trafficking_victim.TraffickingVictim` holds its ``person``.
The other entities hold none. `person_paths` is the one walk over them,
`persons` the same persons with their record, member index and ref: the
rules, the match keys, the linkage columns and the clustering all take the
persons of a record from these.

A person is named by a *ref*, never by a name: ``child/<uuid>``,
``family/<uuid>/members/<index>`` (counting from 0 in the order of
``members``) or ``trafficking_victim/<uuid>``. `make_ref` writes one and
`parse_ref` reads one back.

>>> from casestd.model.family import Family
>>> family = Family.model_validate({
...     "id": "7a9e4b12-3c5d-4e6f-8a1b-2c3d4e5f6a72",
...     "meta": {"standard_version": "1.0.0", "source_system": "cmis",
...              "agency": "molsa-cmis", "created": "2025-03-01T10:00:00+04:00"},
...     "members": [{"names": [{"given": "Ani", "script": "latn"}], "sex": "female",
...                  "relationship": "head"}]})
>>> [(held.ref, held.path) for held in persons(family)]
[('family/7a9e4b12-3c5d-4e6f-8a1b-2c3d4e5f6a72/members/0', ('members', 0))]
>>> parse_ref("family/7a9e4b12-3c5d-4e6f-8a1b-2c3d4e5f6a72/members/0").member
0
>>> persons(object())
[]
"""

from __future__ import annotations

from typing import NamedTuple

from casestd.model.child import Child
from casestd.model.common import Address, Person, Record
from casestd.model.family import Family
from casestd.model.trafficking_victim import TraffickingVictim

_MEMBERS = "members"


class Held(NamedTuple):
    """One person a record holds: which entity, the record, the person, the member index,
    and where the person is inside the record (``()``, ``("members", i)``, ``("person",)``)."""

    entity: str
    record: Record
    person: Person
    member: int | None = None
    path: tuple[str | int, ...] = ()

    @property
    def ref(self) -> str:
        """The ref of the person (`make_ref`)."""
        return make_ref(self.entity, self.record.id, self.member)

    @property
    def address(self) -> Address | None:
        """The address the record gives for the person (a family's for its members)."""
        return self.record.address if isinstance(self.record, Child | Family) else None


#: Made without Held's Python-level constructor.
_held = Held._make
_VICTIM = ("person",)


class Ref(NamedTuple):
    """A ref read back: the entity, the record id and, for a family member, its index."""

    entity: str
    record_id: str
    member: int | None = None


def person_paths(record: object) -> tuple[tuple[str, tuple[str | int, ...], Person], ...]:
    """The walk itself: (entity, path inside the record, person) of each person ``record``
    holds, in order; nothing for a record that holds none. The rules read it directly."""
    if isinstance(record, Child):
        return (("child", (), record),)
    if isinstance(record, Family):
        return tuple(
            ("family", (_MEMBERS, index), member) for index, member in enumerate(record.members)
        )
    if isinstance(record, TraffickingVictim):
        return (("trafficking_victim", _VICTIM, record.person),)
    return ()


def persons(record: object) -> list[Held]:
    """Each person ``record`` holds, in order (`person_paths`), as a `Held`; ``[]`` for a
    record that holds none."""
    return [
        _held((entity, record, person, path[1] if entity == "family" else None, path))
        for entity, path, person in person_paths(record)
    ]


def holds_persons(record: object) -> bool:
    """True for the entities whose records hold persons (child, family, trafficking victim)."""
    return isinstance(record, Child | Family | TraffickingVictim)


def make_ref(entity: str, record_id: object, member: int | None = None) -> str:
    """``<entity>/<record id>``, and ``/members/<member>`` for a family member.

    >>> make_ref("child", "b2c3"), make_ref("family", "a1", 2)
    ('child/b2c3', 'family/a1/members/2')
    """
    if member is None:
        return f"{entity}/{record_id}"
    return f"{entity}/{record_id}/{_MEMBERS}/{member}"


def parse_ref(ref: str) -> Ref:
    """The parts of a ref: what comes before the first ``/`` is the entity, what
    follows it the record id (``""`` when there is none), and a trailing
    ``/members/<n>`` the member index (None otherwise).

    >>> parse_ref("child/b2c3")
    Ref(entity='child', record_id='b2c3', member=None)
    >>> parse_ref("nothing")
    Ref(entity='nothing', record_id='', member=None)
    """
    parts = ref.split("/")
    record_id = parts[1] if len(parts) > 1 else ""
    member = None
    if len(parts) == 4 and parts[2] == _MEMBERS and parts[3].isascii() and parts[3].isdigit():
        member = int(parts[3])
    return Ref(parts[0], record_id, member)


__all__ = ["Held", "Ref", "holds_persons", "make_ref", "parse_ref", "person_paths", "persons"]

"""The one table of match keys: what each is made of, what a shared value means, how it links.

``casestd/dedup/data/keys.json`` lists every key from the most precise to the
most tolerant, the order `casestd.dedup.find_duplicates` links them in. Each
`Key` has a ``note`` (what it is made of and what its precision costs), a
``role`` (`IDENTIFIER`, `MATCH`, `TOLERANT` or `CANDIDATE`), the ``guard``
under which a tolerant key links by default (`PAIR`, `PARTIAL`,
`CORROBORATED`; none: not linked by default), whether it links the members
of two registrations of one ``household``, and the coarser keys it is
``verified_in``. The defaults of the linking, its guards, the candidate set
and the documentation of `casestd.dedup.person_keys` are all read from it.

>>> KEYS["name_typo_dob"].guard, KEYS["name_typo_dob"].verified_in
('pair', ('given_dob', 'family_dob'))
>>> DEFAULT_HOUSEHOLD_KEYS
('given_yob', 'family_yob', 'name_swapped')
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Mapping
from importlib import resources
from types import MappingProxyType

import attrs

#: Roles: exact identifiers (different values veto), keys a shared value of which is
#: the same person, keys that are when nothing else could be, keys never a match alone.
IDENTIFIER, MATCH, TOLERANT, CANDIDATE = "identifier", "match", "tolerant", "candidate"
#: Guards of tolerant links (see `casestd.dedup.clusters`).
PAIR, PARTIAL, CORROBORATED = "pair", "partial", "corroborated"
#: Keys the linking itself refers to: the explicit cross-reference, the key whose
#: presence says a record has a full, exact birth date, and the two corroborating keys.
CHILD_RECORD_KEY, DATE_KEY, PATRONYMIC_KEY, PHONE_KEY = (
    "child_record",
    "name_dob",
    "patronymic",
    "phone",
)


@attrs.frozen
class Key:
    """One match key, as the key table describes it."""

    name: str
    note: str
    role: str
    guard: str | None = None
    verified_in: tuple[str, ...] = ()
    household: bool = False


def _read() -> dict[str, Key]:
    text = resources.files("casestd.dedup.data").joinpath("keys.json").read_text("utf-8")
    rows = json.loads(text)["keys"]
    found = {
        row["name"]: Key(
            name=row["name"],
            note=row["note"],
            role=row["role"],
            guard=row.get("guard"),
            verified_in=tuple(row.get("verified_in", ())),
            household=bool(row.get("household", False)),
        )
        for row in rows
    }
    _check(found, len(rows))
    return found


def _check(keys: Mapping[str, Key], rows: int) -> None:
    """Raise ValueError when the table names a key twice, or an unknown role, guard or key."""
    if len(keys) != rows:
        raise ValueError("the key table names a key twice")
    for key in keys.values():
        if key.role not in (IDENTIFIER, MATCH, TOLERANT, CANDIDATE):
            raise ValueError(f"key {key.name}: unknown role {key.role!r}")
        if key.guard not in (None, PAIR, PARTIAL, CORROBORATED):
            raise ValueError(f"key {key.name}: unknown guard {key.guard!r}")
        if key.guard is not None and key.role in (IDENTIFIER, MATCH):
            raise ValueError(f"key {key.name}: a precise key has no guard")
        unknown = [name for name in key.verified_in if name not in keys]
        if unknown:
            raise ValueError(f"key {key.name}: verified in unknown keys {unknown}")
    missing = {CHILD_RECORD_KEY, DATE_KEY, PATRONYMIC_KEY, PHONE_KEY} - set(keys)
    if missing:
        raise ValueError(f"the key table lacks {sorted(missing)}")


#: Every key by name, in table order.
KEYS: Mapping[str, Key] = MappingProxyType(_read())
#: What each key is made of and what its precision costs, in table order.
KEY_NOTES: Mapping[str, str] = MappingProxyType({k.name: k.note for k in KEYS.values()})
#: Identifier keys: exact, and two different values of one mean two people.
IDENTIFIER_KEYS: tuple[str, ...] = tuple(k.name for k in KEYS.values() if k.role == IDENTIFIER)
#: The keys `find_duplicates` links on, from the most to the least precise.
DEFAULT_MATCH_KEYS: tuple[str, ...] = tuple(
    k.name for k in KEYS.values() if k.role in (IDENTIFIER, MATCH)
)
#: The keys `find_duplicates` links under their guard (`TOLERANT_GUARDS`).
DEFAULT_TOLERANT_KEYS: tuple[str, ...] = tuple(k.name for k in KEYS.values() if k.guard)
#: How each default tolerant key links a block; any other key used as tolerant is PARTIAL.
TOLERANT_GUARDS: Mapping[str, str] = MappingProxyType(
    {k.name: k.guard for k in KEYS.values() if k.guard}
)
#: Keys that link two members of two registrations of one household.
DEFAULT_HOUSEHOLD_KEYS: tuple[str, ...] = tuple(k.name for k in KEYS.values() if k.household)
#: Keys whose values are compared within the blocks of the coarser keys named here
#: instead of being indexed: two records sharing a value of the key share one of those.
VERIFIED_IN: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {k.name: k.verified_in for k in KEYS.values() if k.verified_in}
)
#: Keys that only propose candidates (for blocking, a linker or the household step)
#: or add evidence, never a match alone.
CANDIDATE_KEYS: frozenset[str] = frozenset(k.name for k in KEYS.values() if k.role == CANDIDATE)


def describe(names: Iterable[str]) -> str:
    """The notes of the keys ``names`` as a definition list, for documentation.

    >>> print(describe(["id_card"]))
    ``id_card``
        The national ID card number. Exact.
    """
    lines = []
    for name in names:
        lines.append(f"``{name}``")
        lines += textwrap.wrap(
            KEYS[name].note,
            76,
            initial_indent="    ",
            subsequent_indent="    ",
            break_on_hyphens=False,
        )
    return "\n".join(lines)


__all__ = [
    "CANDIDATE",
    "CANDIDATE_KEYS",
    "CHILD_RECORD_KEY",
    "CORROBORATED",
    "DATE_KEY",
    "DEFAULT_HOUSEHOLD_KEYS",
    "DEFAULT_MATCH_KEYS",
    "DEFAULT_TOLERANT_KEYS",
    "IDENTIFIER",
    "IDENTIFIER_KEYS",
    "KEYS",
    "KEY_NOTES",
    "MATCH",
    "PAIR",
    "PARTIAL",
    "PATRONYMIC_KEY",
    "PHONE_KEY",
    "TOLERANT",
    "TOLERANT_GUARDS",
    "VERIFIED_IN",
    "Key",
    "describe",
]

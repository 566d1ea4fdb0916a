"""Finding the same person across districts, scripts and agencies.

- `name_key`: one ASCII key for a personal name in Armenian script, Russian
  Cyrillic or any usual romanisation (`casestd.dedup.names`).
- `keys`: the named match keys of a person record, ``dict[str, frozenset[str]]``,
  each explained in `KEY_NOTES` (`casestd.dedup.person_keys`).
- `protect`: the same keys as keyed hashes, for exchange between agencies
  holding a shared secret (`casestd.dedup.protection`; threat model in
  docs/privacy.md).
- `find_duplicates`: clusters of person records (typed entities or
  `PersonKeys`, plain or protected) that are the same person, with evidence
  that names keys and facts, never values (`casestd.dedup.clusters`).
- `service_overlaps`: the same service type given to one person by several
  districts or agencies over overlapping periods (`casestd.dedup.services`).

casestd never sends data anywhere: exchanging protected keys is the caller's act.

>>> from casestd.dedup import name_key
>>> name_key("Акопян") == name_key("Hakobyan") == name_key("Հակոբյան")
True
"""

from __future__ import annotations

from casestd.dedup.clusters import (
    CHILD_RECORD_KEY,
    DATE_KEY,
    DEFAULT_HOUSEHOLD_KEYS,
    DEFAULT_MATCH_KEYS,
    DEFAULT_MAX_BLOCK,
    DEFAULT_TOLERANT_KEYS,
    IDENTIFIER_KEYS,
    TOLERANT_GUARDS,
    VERIFIED_IN,
    Cluster,
    Deduplication,
    Evidence,
    PersonKeys,
    Summary,
    deduplicate,
    find_duplicates,
    persons,
)

# the package's ``person_keys`` is the module of `keys`; the function is exported as record_keys
from casestd.dedup.clusters import person_keys as record_keys
from casestd.dedup.names import name_key, phonetic_code
from casestd.dedup.person_keys import KEY_NOTES, keys, matching_keys, patronymic_code
from casestd.dedup.protection import protect
from casestd.dedup.services import Overlap, Provider, service_overlaps

__all__ = [
    "CHILD_RECORD_KEY",
    "DATE_KEY",
    "DEFAULT_HOUSEHOLD_KEYS",
    "DEFAULT_MATCH_KEYS",
    "DEFAULT_MAX_BLOCK",
    "DEFAULT_TOLERANT_KEYS",
    "IDENTIFIER_KEYS",
    "KEY_NOTES",
    "TOLERANT_GUARDS",
    "VERIFIED_IN",
    "Cluster",
    "Deduplication",
    "Evidence",
    "Overlap",
    "PersonKeys",
    "Provider",
    "Summary",
    "deduplicate",
    "find_duplicates",
    "keys",
    "matching_keys",
    "name_key",
    "patronymic_code",
    "persons",
    "phonetic_code",
    "protect",
    "record_keys",
    "service_overlaps",
]

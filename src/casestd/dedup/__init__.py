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

from typing import TYPE_CHECKING

from casestd._lazy import exports

if TYPE_CHECKING:
    from casestd.dedup.clusters import (
        CHILD_RECORD_KEY as CHILD_RECORD_KEY,
    )
    from casestd.dedup.clusters import (
        DATE_KEY as DATE_KEY,
    )
    from casestd.dedup.clusters import (
        DEFAULT_HOUSEHOLD_KEYS as DEFAULT_HOUSEHOLD_KEYS,
    )
    from casestd.dedup.clusters import (
        DEFAULT_MATCH_KEYS as DEFAULT_MATCH_KEYS,
    )
    from casestd.dedup.clusters import (
        DEFAULT_MAX_BLOCK as DEFAULT_MAX_BLOCK,
    )
    from casestd.dedup.clusters import (
        DEFAULT_TOLERANT_KEYS as DEFAULT_TOLERANT_KEYS,
    )
    from casestd.dedup.clusters import (
        IDENTIFIER_KEYS as IDENTIFIER_KEYS,
    )
    from casestd.dedup.clusters import (
        TOLERANT_GUARDS as TOLERANT_GUARDS,
    )
    from casestd.dedup.clusters import (
        VERIFIED_IN as VERIFIED_IN,
    )
    from casestd.dedup.clusters import (
        Cluster as Cluster,
    )
    from casestd.dedup.clusters import (
        Deduplication as Deduplication,
    )
    from casestd.dedup.clusters import (
        Evidence as Evidence,
    )
    from casestd.dedup.clusters import (
        PersonKeys as PersonKeys,
    )
    from casestd.dedup.clusters import (
        Summary as Summary,
    )
    from casestd.dedup.clusters import (
        deduplicate as deduplicate,
    )
    from casestd.dedup.clusters import (
        find_duplicates as find_duplicates,
    )
    from casestd.dedup.clusters import (
        record_keys as record_keys,
    )
    from casestd.dedup.names import (
        name_key as name_key,
    )
    from casestd.dedup.names import (
        patronymic_code as patronymic_code,
    )
    from casestd.dedup.names import (
        phonetic_code as phonetic_code,
    )
    from casestd.dedup.person_keys import (
        KEY_NOTES as KEY_NOTES,
    )
    from casestd.dedup.person_keys import (
        keys as keys,
    )
    from casestd.dedup.person_keys import (
        matching_keys as matching_keys,
    )
    from casestd.dedup.protection import (
        protect as protect,
    )
    from casestd.dedup.records import (
        persons as persons,
    )
    from casestd.dedup.services import (
        Overlap as Overlap,
    )
    from casestd.dedup.services import (
        Provider as Provider,
    )
    from casestd.dedup.services import (
        service_overlaps as service_overlaps,
    )

#: Where each public name lives: the modules load on first use, so that importing
#: `casestd.dedup.records` (the rules do) does not load the keys and the linking.
_HOMES = {
    **dict.fromkeys(
        (
            "CHILD_RECORD_KEY",
            "DATE_KEY",
            "DEFAULT_HOUSEHOLD_KEYS",
            "DEFAULT_MATCH_KEYS",
            "DEFAULT_MAX_BLOCK",
            "DEFAULT_TOLERANT_KEYS",
            "IDENTIFIER_KEYS",
            "TOLERANT_GUARDS",
            "VERIFIED_IN",
            "Cluster",
            "Deduplication",
            "Evidence",
            "PersonKeys",
            "Summary",
            "deduplicate",
            "find_duplicates",
            "record_keys",
        ),
        "clusters",
    ),
    **dict.fromkeys(("name_key", "patronymic_code", "phonetic_code"), "names"),
    **dict.fromkeys(("KEY_NOTES", "keys", "matching_keys"), "person_keys"),
    "protect": "protection",
    "persons": "records",
    **dict.fromkeys(("Overlap", "Provider", "service_overlaps"), "services"),
}


__getattr__, __dir__ = exports(globals(), _HOMES)

__all__ = sorted(_HOMES)

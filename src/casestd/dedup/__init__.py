"""Finding the same person across districts, scripts and agencies.

What a user calls:

- `name_key`: one ASCII key for a personal name in Armenian script, Russian
  Cyrillic or any usual romanisation (`casestd.dedup.names`).
- `keys`: the named match keys of a person record, ``dict[str, frozenset[str]]``
  (`casestd.dedup.person_keys`), and `matching_keys`: the names under which two
  records share a value. Each key is described in the key table
  (`casestd.dedup.key_table`).
- `protect`: the same keys as keyed hashes, for exchange between agencies
  holding a shared secret (`casestd.dedup.protection`; threat model in
  docs/privacy.md).
- `find_duplicates`: the clusters of person records (typed entities, or
  `PersonKeys` from `record_keys` or `protect`) that are the same person, with
  `Evidence` that names keys and facts, never values, and a `Summary`
  (`casestd.dedup.clusters`).
- `service_overlaps`: the same service type given to one person by several
  districts or agencies over overlapping periods (`casestd.dedup.services`).

The rest stays in its module: the persons of a record and their refs
(`casestd.dedup.records`), the key table and the tuning of the linking
(`casestd.dedup.key_table`), phonetic and patronymic codes
(`casestd.dedup.names`), the linkage columns and Splink (`casestd.dedup.columns`,
`casestd.dedup.linkage`, with the ``linkage`` extra), the precise linking as SQL on
DuckDB or Spark (`casestd.dedup.sql`). Modules load on first use.

casestd never sends data anywhere: exchanging protected keys is the caller's act.

>>> from casestd.dedup import name_key
>>> name_key("Акопян") == name_key("Hakobyan") == name_key("Հակոբյան")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casestd._lazy import exports

if TYPE_CHECKING:
    from casestd.dedup.clusters import Cluster as Cluster
    from casestd.dedup.clusters import Deduplication as Deduplication
    from casestd.dedup.clusters import Evidence as Evidence
    from casestd.dedup.clusters import PersonKeys as PersonKeys
    from casestd.dedup.clusters import Summary as Summary
    from casestd.dedup.clusters import find_duplicates as find_duplicates
    from casestd.dedup.clusters import record_keys as record_keys
    from casestd.dedup.names import name_key as name_key
    from casestd.dedup.person_keys import keys as keys
    from casestd.dedup.person_keys import matching_keys as matching_keys
    from casestd.dedup.protection import protect as protect
    from casestd.dedup.services import Overlap as Overlap
    from casestd.dedup.services import Provider as Provider
    from casestd.dedup.services import service_overlaps as service_overlaps

#: Where each public name lives: importing `casestd.dedup.records` (the rules do)
#: does not load the keys and the linking.
_HOMES = {
    **dict.fromkeys(
        (
            "Cluster",
            "Deduplication",
            "Evidence",
            "PersonKeys",
            "Summary",
            "find_duplicates",
            "record_keys",
        ),
        "clusters",
    ),
    "name_key": "names",
    **dict.fromkeys(("keys", "matching_keys"), "person_keys"),
    "protect": "protection",
    **dict.fromkeys(("Overlap", "Provider", "service_overlaps"), "services"),
}

__getattr__, __dir__ = exports(globals(), _HOMES)

__all__ = sorted(_HOMES)

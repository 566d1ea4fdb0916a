"""Finding the same person across districts, scripts and agencies.

- `name_key`: one ASCII key for a personal name in Armenian script, Russian
  Cyrillic or any usual romanisation (`casestd.dedup.names`).
- `keys`: the named match keys of a person record, ``dict[str, frozenset[str]]``,
  each explained in `KEY_NOTES` (`casestd.dedup.person_keys`).
- `protect`: the same keys as keyed hashes, for exchange between agencies
  holding a shared secret (`casestd.dedup.protection`; threat model in
  docs/privacy.md).

casestd never sends data anywhere: exchanging protected keys is the caller's act.

>>> from casestd.dedup import name_key
>>> name_key("Акопян") == name_key("Hakobyan") == name_key("Հակոբյան")
True
"""

from __future__ import annotations

from casestd.dedup.names import name_key, phonetic_code
from casestd.dedup.person_keys import KEY_NOTES, keys, matching_keys
from casestd.dedup.protection import protect

__all__ = ["KEY_NOTES", "keys", "matching_keys", "name_key", "phonetic_code", "protect"]

"""Code lists: stable codes with labels in English, Armenian and Russian.

Each list is one JSON file in ``casestd/codes/data/``; the country and language
files are generated from ISO (pycountry) and CLDR (Babel) by
`casestd.codes.generate`. Lists load lazily, once.

>>> from casestd import codes
>>> codes.get("case_status").label("open", "en")
'Open'
>>> codes.get("case_status").lookup("  OPEN ")
'open'
>>> codes.get("country").lookup("Armenia")
'AM'
"""

from __future__ import annotations

from casestd.codes.codelist import Code, CodeList, UnknownCodeListError
from casestd.codes.registry import get, ids

__all__ = ["Code", "CodeList", "UnknownCodeListError", "get", "ids"]

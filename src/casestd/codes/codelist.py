"""The `CodeList` and `Code` value objects and label lookup."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from typing import Literal

import attrs

from casestd.version import LANGUAGES

Status = Literal["active", "deprecated"]


class UnknownCodeListError(KeyError):
    """Raised for a code list id that casestd does not define."""


def fold(text: str) -> str:
    """Fold a code or label for lookup: Unicode NFKC, case and spacing ignored.

    >>> fold("  Foster   CARE ")
    'foster care'
    >>> fold("foster_care")
    'foster care'
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("_", " ").replace("-", " ")
    return " ".join(text.split())


@attrs.frozen
class Code:
    """One code of a list: its labels per language, definition and status."""

    code: str
    labels: Mapping[str, str]
    definition: str = ""
    status: Status = "active"
    replaced_by: str | None = None
    source_codes: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def deprecated(self) -> bool:
        """True when the code is still accepted but should no longer be used."""
        return self.status == "deprecated"


@attrs.frozen
class CodeList:
    """A versioned list of codes, with labels in ``en``, ``hy`` and ``ru``."""

    id: str
    version: str
    title: Mapping[str, str]
    source: str
    codes: Mapping[str, Code]
    sources: Mapping[str, str] = attrs.field(factory=dict)
    translation_status: Mapping[str, str] = attrs.field(factory=dict)
    _index: dict[str, str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, str] = {}
        # labels first, then codes, so that a code always wins over a label
        for lang in reversed(LANGUAGES):
            for code in self.codes.values():
                label = code.labels.get(lang)
                if label:
                    index.setdefault(fold(label), code.code)
        for code in self.codes.values():
            index[fold(code.code)] = code.code
            for source_code in code.source_codes.values():
                index.setdefault(fold(source_code), code.code)
        object.__setattr__(self, "_index", index)

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes.values())

    def __len__(self) -> int:
        return len(self.codes)

    def label(self, code: str, lang: str = "en") -> str:
        """The label of ``code`` in ``lang`` (``en``, ``hy`` or ``ru``).

        Falls back to English where a translation is missing. Raises KeyError
        for a code that is not in the list.
        """
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
        entry = self.codes[code]
        return entry.labels.get(lang) or entry.labels["en"]

    def lookup(self, text: str) -> str | None:
        """The code for ``text``: a code, a source code or a label in any language.

        Case, spacing, underscores, hyphens and Unicode form are ignored.
        Returns None when nothing matches.
        """
        if not isinstance(text, str):
            return None
        return self._index.get(fold(text))

    def active(self) -> tuple[str, ...]:
        """The codes that are not deprecated, in list order."""
        return tuple(c.code for c in self.codes.values() if not c.deprecated)

    def deprecated(self) -> tuple[str, ...]:
        """The deprecated codes, in list order."""
        return tuple(c.code for c in self.codes.values() if c.deprecated)

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
    #: Other values a source uses for this code: its labels, alternative names, misspellings.
    source_aliases: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    #: Languages whose label is missing from the source and falls back to English.
    fallback: frozenset[str] = frozenset()

    @property
    def deprecated(self) -> bool:
        """True when the code is still accepted but should no longer be used."""
        return self.status == "deprecated"

    def is_fallback(self, lang: str) -> bool:
        """True when the label in ``lang`` is the English one, for want of a translation."""
        return lang in self.fallback or (lang != "en" and not self.labels.get(lang))


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
    _index: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        # three tiers, best first: casestd codes, source codes, labels and source aliases;
        # a text takes its candidates from the best tier it appears in
        tiers: list[dict[str, list[str]]] = [{}, {}, {}]

        def add(tier: int, text: str, code: str) -> None:
            found = tiers[tier].setdefault(fold(text), [])
            if code not in found:
                found.append(code)

        for code in self.codes.values():
            add(0, code.code, code.code)
            for source_code in code.source_codes.values():
                add(1, source_code, code.code)
            for lang in LANGUAGES:
                label = code.labels.get(lang)
                if label:
                    add(2, label, code.code)
            for aliases in code.source_aliases.values():
                for alias in aliases:
                    add(2, alias, code.code)
        # text -> (the candidates of its best tier, every candidate, best tier first)
        index: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for tier in tiers:
            for text, found in tier.items():
                best, every = index.get(text, (tuple(found), ()))
                index[text] = best, every + tuple(c for c in found if c not in every)
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

    def is_fallback(self, code: str, lang: str) -> bool:
        """True when the label of ``code`` in ``lang`` is the English one, for want of another."""
        return self.codes[code].is_fallback(lang)

    def lookup(self, text: str) -> str | None:
        """The code for ``text``: a code, a source code, a label in any language or an alias.

        Case, spacing, underscores, hyphens and Unicode form are ignored. A casestd
        code wins over a source code, and a source code over a label or alias (the
        label ``Ari`` of ``aac`` finds the code ``ari``). A text that stands for
        several codes at the same level (a label two codes share, a CTDC column that
        merges several codes) finds none: see `lookup_all`. Returns None when
        nothing matches.

        >>> from casestd import codes
        >>> codes.get("trafficker_relationship").lookup("Unaquainted")
        'unacquainted'
        >>> codes.get("control_method").lookup("meansThreats") is None
        True
        """
        if not isinstance(text, str):
            return None
        best = self._index.get(fold(text), ((), ()))[0]
        return best[0] if len(best) == 1 else None

    def lookup_all(self, text: str) -> tuple[str, ...]:
        """Every code ``text`` may stand for, the ones `lookup` weighs first; () for none.

        The codes it is the code of come first, then those it is a source code of,
        then those it is a label or alias of, each level in list order; `lookup`
        answers from the first level only.

        >>> from casestd import codes
        >>> codes.get("control_method").lookup_all("meansThreats")[:2]
        ('physical_threats', 'threats_law_enforcement')
        """
        if not isinstance(text, str):
            return ()
        return self._index.get(fold(text), ((), ()))[1]

    def active(self) -> tuple[str, ...]:
        """The codes that are not deprecated, in list order."""
        return tuple(c.code for c in self.codes.values() if not c.deprecated)

    def deprecated(self) -> tuple[str, ...]:
        """The deprecated codes, in list order."""
        return tuple(c.code for c in self.codes.values() if c.deprecated)

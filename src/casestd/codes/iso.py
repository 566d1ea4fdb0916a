"""Country and language lists built from pycountry and its translations.

Labels in Armenian and Russian come from pycountry's gettext catalogues;
where a catalogue has no translation, curated labels from
``data/_iso_labels.json`` fill in, and English is the last resort.
"""

from __future__ import annotations

import functools
import gettext
import json
from collections.abc import Callable, Iterable
from importlib import resources

import pycountry

from casestd.codes.codelist import Code, CodeList
from casestd.version import STANDARD_VERSION


@functools.cache
def _curated() -> dict[str, dict[str, dict[str, str]]]:
    text = resources.files("casestd.codes.data").joinpath("_iso_labels.json").read_text("utf-8")
    data: dict[str, dict[str, dict[str, str]]] = json.loads(text)
    return data


@functools.cache
def _translator(domain: str, lang: str) -> Callable[[str], str] | None:
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang]).gettext
    except OSError:
        return None


def _labels(list_id: str, domain: str, code: str, name: str) -> dict[str, str]:
    labels = {"en": name}
    curated = _curated().get(list_id, {}).get(code, {})
    for lang in ("hy", "ru"):
        if lang in curated:
            labels[lang] = curated[lang]
            continue
        translate = _translator(domain, lang)
        translated = translate(name) if translate else name
        if translated != name:
            labels[lang] = translated
    return labels


def _build(
    list_id: str,
    title: dict[str, str],
    source: str,
    domain: str,
    entries: Iterable[tuple[str, str, dict[str, str]]],
) -> CodeList:
    codes = {
        code: Code(code=code, labels=_labels(list_id, domain, code, name), source_codes=src)
        for code, name, src in entries
    }
    return CodeList(
        id=list_id,
        version=STANDARD_VERSION,
        title=title,
        source=source,
        codes=codes,
        sources={"iso": source},
        translation_status={"hy": "draft", "ru": "pycountry"},
    )


@functools.cache
def countries() -> CodeList:
    """ISO 3166-1 countries, by alpha-2 code."""
    return _build(
        "country",
        {"en": "Country", "hy": "Երկիր", "ru": "Страна"},
        "ISO 3166-1 (via pycountry)",
        "iso3166-1",
        ((c.alpha_2, c.name, {"iso": c.alpha_3}) for c in pycountry.countries),
    )


@functools.cache
def languages() -> CodeList:
    """ISO 639-3 languages, by three-letter code; ISO 639-1 codes resolve via lookup."""
    return _build(
        "language",
        {"en": "Language", "hy": "Լեզու", "ru": "Язык"},
        "ISO 639-3 (via pycountry)",
        "iso639-3",
        (
            (lang.alpha_3, lang.name, {"iso": lang.alpha_2} if hasattr(lang, "alpha_2") else {})
            for lang in pycountry.languages
        ),
    )


ISO_LISTS: dict[str, Callable[[], CodeList]] = {"country": countries, "language": languages}

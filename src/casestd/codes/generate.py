"""Generate the country and language lists from ISO (pycountry) and CLDR (Babel).

``python -m casestd.codes.generate`` rewrites ``data/country.json`` and
``data/language.json``; ``--check`` exits 1 when they differ from what it would
write. The lists are generated when the standard is built, not when casestd is
imported: reading a data file is faster than opening gettext catalogues and CLDR
locale data, and keeps pycountry and Babel out of the runtime dependencies (they
are in the ``test`` extra, pinned, so that the check gives the same bytes).

Labels in Armenian and Russian are CLDR's. Where CLDR has none, a curated
label from ``data/_iso_sources.json`` is used, and failing that the English one,
which the code then lists under ``fallback``.

The language list holds the ISO 639-3 languages that CLDR names, the languages
curated for Armenia (Kurmanji, Assyrian Neo-Aramaic, Armenian Sign Language, ...)
and the special codes (``mis``, ``mul``, ``und``, ``zxx``); ISO 639-1 and
639-2/B codes (``hy``, ``arm``) are source codes that `CodeList.lookup` resolves.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from casestd.codes.codelist import Code, CodeList
from casestd.codes.registry import to_dict

#: The version of each generated list: raise it when a regeneration changes the list.
VERSIONS = {"country": "1.1.0", "language": "2.0.0"}
DATA = Path(str(resources.files("casestd.codes.data")))
TRANSLATED = ("hy", "ru")


@functools.cache
def _sources() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "_iso_sources.json").read_text("utf-8"))
    return data


def _cldr(kind: str) -> dict[str, dict[str, str]]:
    """CLDR display names (``languages`` or ``territories``) in en, hy and ru."""
    from babel import Locale

    return {lang: dict(getattr(Locale.parse(lang), kind)) for lang in ("en", *TRANSLATED)}


def _versions() -> str:
    import babel
    import pycountry

    cldr = babel.core.get_cldr_version()
    return f"CLDR {cldr} (Babel {babel.__version__}); pycountry {_version(pycountry)}"


def _version(module: Any) -> str:
    from importlib.metadata import version

    return version(module.__name__)


def _code(
    code: str,
    en: str,
    names: dict[str, dict[str, str]],
    key: str,
    curated: dict[str, str],
    source_codes: dict[str, str],
    aliases: dict[str, tuple[str, ...]] | None = None,
) -> Code:
    labels = {"en": en}
    fallback: set[str] = set()
    for lang in TRANSLATED:
        label = names[lang].get(key) or curated.get(lang)
        if label and label != en:
            labels[lang] = label
        else:
            fallback.add(lang)
    aliases = dict(aliases or {})
    cldr_en = names["en"].get(key)
    if cldr_en and cldr_en.casefold() != en.casefold():
        aliases["cldr"] = (cldr_en,)
    return Code(
        code=code,
        labels=labels,
        source_codes={k: v for k, v in source_codes.items() if v},
        source_aliases=aliases,
        fallback=frozenset(fallback),
    )


def _list(
    list_id: str,
    title: dict[str, str],
    source: str,
    sources: dict[str, str],
    entries: Iterable[Code],
) -> CodeList:
    return CodeList(
        id=list_id,
        version=VERSIONS[list_id],
        title=title,
        source=source,
        codes={code.code: code for code in entries},
        sources={**sources, "cldr": f"Unicode CLDR display names: {_versions()}"},
        translation_status={"hy": "cldr", "ru": "cldr"},
    )


def countries() -> CodeList:
    """ISO 3166-1 countries (and Kosovo, XK), by alpha-2 code, with CLDR names."""
    import pycountry

    names = _cldr("territories")
    primero = {alpha_2: slug for slug, alpha_2 in _sources()["primero_countries"].items()}
    aliases: dict[str, dict[str, tuple[str, ...]]] = {}
    for source, key in (("htcds", "htcds_countries"), ("primero", "primero_country_names")):
        for name, alpha_2 in _sources()[key].items():
            found = aliases.setdefault(alpha_2, {})
            found[source] = (*found.get(source, ()), name)
    entries = [(c.alpha_2, c.alpha_3, c.name) for c in pycountry.countries] + [
        (code, extra["alpha_3"], extra["en"]) for code, extra in _sources()["countries"].items()
    ]
    return _list(
        "country",
        {"en": "Country", "hy": "Երկիր", "ru": "Страна"},
        "ISO 3166-1 (pycountry), names in Armenian and Russian from CLDR",
        {
            "iso": "ISO 3166-1 alpha-3",
            "primero": "Primero v2 (UNICEF) lookup 'lookup-country'",
            "ctdc": "CTDC global dataset 2024: citizenship, CountryOfExploitation (ISO alpha-3)",
            "htcds": "HTCDS 2.0 Excel templates: country names of the validation sheet",
        },
        (
            _code(
                alpha_2,
                name,
                names,
                alpha_2,
                {},
                {"iso": alpha_3, "primero": primero.get(alpha_2, ""), "ctdc": alpha_3},
                aliases.get(alpha_2),
            )
            for alpha_2, alpha_3, name in sorted(entries)
        ),
    )


def languages() -> CodeList:
    """The ISO 639-3 languages CLDR names, curated ones and the special codes."""
    import pycountry

    names = _cldr("languages")
    curated: dict[str, dict[str, str]] = _sources()["languages"]
    chosen = []
    for lang in pycountry.languages:
        alpha_2 = getattr(lang, "alpha_2", "")
        key = alpha_2 or lang.alpha_3
        if key in names["en"] or lang.alpha_3 in curated or lang.scope == "S":
            chosen.append((lang, key))
    return _list(
        "language",
        {"en": "Language", "hy": "Լեզու", "ru": "Язык"},
        "ISO 639-3 (pycountry): the languages CLDR names, curated ones and the special codes",
        {
            "iso": "ISO 639-1 two-letter code",
            "iso639_2b": "ISO 639-2/B bibliographic code, where it differs from ISO 639-3",
        },
        (
            _code(
                lang.alpha_3,
                names["en"].get(key) or curated.get(lang.alpha_3, {}).get("en") or lang.name,
                names,
                key,
                curated.get(lang.alpha_3, {}),
                {
                    "iso": getattr(lang, "alpha_2", ""),
                    "iso639_2b": getattr(lang, "bibliographic", ""),
                },
            )
            for lang, key in sorted(chosen, key=lambda pair: pair[0].alpha_3)
        ),
    )


def _text(code_list: CodeList) -> str:
    return json.dumps(to_dict(code_list), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def files() -> dict[Path, str]:
    """Path -> text of each generated data file."""
    return {DATA / f"{lst.id}.json": _text(lst) for lst in (countries(), languages())}


def main(argv: list[str] | None = None) -> int:
    """Write the generated lists, or with ``--check`` say whether they are up to date."""
    parser = argparse.ArgumentParser(prog="python -m casestd.codes.generate")
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is stale")
    args = parser.parse_args(argv)
    stale = [
        path
        for path, text in files().items()
        if not path.exists() or path.read_text("utf-8") != text
    ]
    if args.check:
        for path in stale:
            print(f"stale: {path.name}", file=sys.stderr)
        return 1 if stale else 0
    for path, text in files().items():
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

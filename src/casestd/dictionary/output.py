"""Write the dictionary to a folder, and tell whether a folder is up to date."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from casestd.dictionary.pages import render
from casestd.version import LANGUAGES

#: The languages published in ``docs/dictionary`` unless told otherwise.
DEFAULT_LANGS: tuple[str, ...] = ("en", "hy", "ru")


@functools.cache
def _pages(langs: tuple[str, ...]) -> Mapping[str, str]:
    for lang in langs:
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    if len(set(langs)) != len(langs):
        raise ValueError("a language is given twice")
    return MappingProxyType(render(langs))


def pages(langs: Sequence[str] = DEFAULT_LANGS) -> Mapping[str, str]:
    """Every page for ``langs``: path relative to the output folder -> Markdown text.

    Rendered once per process for each choice of languages.
    """
    return _pages(tuple(langs))


def _managed(out_dir: Path, langs: Sequence[str]) -> set[str]:
    """The files now under the folders the dictionary owns: one per language."""
    found: set[str] = set()
    for lang in langs:
        folder = out_dir / lang
        if folder.is_dir():
            found.update(
                path.relative_to(out_dir).as_posix() for path in folder.rglob("*") if path.is_file()
            )
    return found


def _differs(path: Path, content: str) -> bool:
    try:
        return path.read_bytes() != content.encode("utf-8")
    except OSError:
        return True


def build(out_dir: Path, langs: Sequence[str] = DEFAULT_LANGS) -> list[Path]:
    """Write the data dictionary for ``langs`` under ``out_dir``; return every page's path.

    Writes ``README.md`` and, per language, ``<lang>/index.md``,
    ``<lang>/entities/<entity>.md`` and ``<lang>/codes/<list_id>.md``. Files
    whose content is already right are left untouched; other files under
    ``<lang>/`` are removed (they are pages of entities or lists that no longer
    exist). Nothing else in ``out_dir`` is touched.
    """
    out_dir = Path(out_dir)
    wanted = pages(langs)
    for extra in sorted(_managed(out_dir, langs) - set(wanted)):
        (out_dir / extra).unlink()
    for lang in langs:
        folders = sorted((p for p in (out_dir / lang).rglob("*") if p.is_dir()), reverse=True)
        for folder in folders:
            if not any(folder.iterdir()):
                folder.rmdir()
    written: list[Path] = []
    for relative, content in sorted(wanted.items()):
        path = out_dir / relative
        if _differs(path, content):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8"))
        written.append(path)
    return written


def check(out_dir: Path, langs: Sequence[str] = DEFAULT_LANGS) -> list[str]:
    """The paths under ``out_dir`` that differ from what `build` would write, sorted.

    Reports pages that are stale or missing, and files under ``<lang>/`` that
    `build` would not write. An empty list means the folder is up to date.
    """
    out_dir = Path(out_dir)
    wanted = pages(langs)
    stale = {
        relative for relative, content in wanted.items() if _differs(out_dir / relative, content)
    }
    stale |= _managed(out_dir, langs) - set(wanted)
    return [str(out_dir / relative) for relative in sorted(stale)]

"""The data dictionary of the standard, generated from the models, code lists and rules.

The pages are Markdown: per language an index, one page per entity (a table
per model it reaches, then its cross-field rules) and one page per code list.
They are never written by hand: rebuild them with ``python -m casestd.dictionary``
(``--out docs/dictionary`` by default) and let `check` tell whether a folder is
up to date.

>>> from casestd import dictionary
>>> "en/entities/child.md" in dictionary.pages(("en",))
True
"""

from __future__ import annotations

from casestd.dictionary.labels import field_label, field_labels, model_title
from casestd.dictionary.output import DEFAULT_LANGS, build, check, pages

__all__ = [
    "DEFAULT_LANGS",
    "build",
    "check",
    "field_label",
    "field_labels",
    "model_title",
    "pages",
]

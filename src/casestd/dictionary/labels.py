"""Labels in Armenian and Russian for models and fields, and the fixed page text.

Field and model labels live in ``casestd/model/field_labels.json``, keyed
``"ModelName"`` and ``"ModelName.field_name"``; English comes from the models
themselves. The fixed text of the dictionary pages lives in ``strings.json``.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

from pydantic import BaseModel

from casestd.version import LANGUAGES


def _load(package: str, name: str) -> dict[str, dict[str, str]]:
    text = resources.files(package).joinpath(name).read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return {
        key: value
        for key, value in data.items()
        if not key.startswith("_") and isinstance(value, dict)
    }


@functools.cache
def field_labels() -> dict[str, dict[str, str]]:
    """``"Model"`` or ``"Model.field"`` -> language -> label, from ``field_labels.json``."""
    return _load("casestd.model", "field_labels.json")


@functools.cache
def _strings() -> dict[str, dict[str, str]]:
    return _load("casestd.dictionary", "strings.json")


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")


def text(key: str, lang: str) -> str:
    """The fixed page text ``key`` in ``lang``, falling back to English.

    >>> text("required", "hy")
    'Պարտադիր'
    """
    _check_lang(lang)
    entry = _strings()[key]
    return entry.get(lang) or entry["en"]


def _words(name: str) -> str:
    """``RecordMeta`` -> ``Record meta``."""
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", name)
    return " ".join([words[0], *(word.lower() for word in words[1:])]) if words else name


def model_title(model: type[BaseModel], lang: str) -> str:
    """The title of ``model`` in ``lang``; in English, the model's own title or its name.

    >>> from casestd.model.common import RecordMeta
    >>> model_title(RecordMeta, "en"), model_title(RecordMeta, "ru")
    ('Record meta', 'Метаданные записи')
    """
    _check_lang(lang)
    if lang != "en":
        label = field_labels().get(model.__name__, {}).get(lang)
        if label:
            return label
    return model.model_config.get("title") or _words(model.__name__)


def field_label(model: type[BaseModel], name: str, lang: str) -> str:
    """The label of field ``name`` of ``model`` in ``lang``.

    English is the field's title, or its name in words; a missing translation
    falls back to English.

    >>> from casestd.model.child import Child
    >>> field_label(Child, "birth_date", "hy"), field_label(Child, "birth_date", "en")
    ('Ծննդյան ամսաթիվ', 'Birth date')
    """
    _check_lang(lang)
    info = model.model_fields[name]
    if lang != "en":
        label = field_labels().get(f"{model.__name__}.{name}", {}).get(lang)
        if label:
            return label
    return info.title or name.replace("_", " ").capitalize()

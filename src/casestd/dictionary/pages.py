"""Render the dictionary pages as Markdown text, one function per kind of page."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

from pydantic import BaseModel

from casestd import codes
from casestd.codes import CodeList
from casestd.dictionary import indicators
from casestd.dictionary.fields import FieldDoc, fields_of, models_from, summary
from casestd.dictionary.labels import field_label, model_title, text
from casestd.dictionary.markdown import anchor, cell, code, link, table
from casestd.model import ENTITIES
from casestd.rules import Rule, rules_for
from casestd.rules.messages import catalogue
from casestd.version import STANDARD_VERSION


def _header(title: str, lang: str, *, back: str | None = "../index.md") -> list[str]:
    lines = [f"# {title}", ""]
    if back is not None:
        lines += [link(f"← {text('index', lang)}", back), ""]
    lines += [f"*{text('generated', lang)}*", ""]
    draft = text("labels_draft", lang)
    if draft:
        lines += [f"*{draft}*", ""]
    return lines


def _page(lines: Sequence[str]) -> str:
    return "\n".join(lines).rstrip("\n") + "\n"


def _anchor_id(model: type[BaseModel]) -> str:
    return model.__name__.lower()


def _type(entry: FieldDoc, lang: str) -> str:
    if entry.model is not None:
        target = link(cell(model_title(entry.model, lang)), f"#{_anchor_id(entry.model)}")
        if entry.many:
            return text("type.list", lang).format(item=target)
        return text("type.object", lang).format(name=target)
    kind = text(f"type.{entry.kind}", lang)
    return text("type.list", lang).format(item=kind) if entry.many else kind


def _yes_no(flag: bool, lang: str) -> str:
    return text("yes" if flag else "no", lang)


def _description(model: type[BaseModel], entry: FieldDoc, lang: str) -> str:
    if lang == "en":
        return cell(entry.description)
    label = cell(field_label(model, entry.name, lang))
    return f"**{label}** — {cell(entry.description)}" if entry.description else f"**{label}**"


def _model_section(model: type[BaseModel], lang: str) -> list[str]:
    header = [
        text(key, lang)
        for key in ("field", "type", "required", "code_list", "description", "personal")
    ]
    rows = [
        [
            code(entry.name),
            _type(entry, lang),
            _yes_no(entry.required, lang),
            link(code(entry.list_id), f"../codes/{entry.list_id}.md") if entry.list_id else "",
            _description(model, entry, lang),
            _yes_no(entry.personal, lang),
        ]
        for entry in fields_of(model)
    ]
    title = f"{cell(model_title(model, lang))} ({code(model.__name__)})"
    return [
        anchor(_anchor_id(model)),
        f"### {title}",
        "",
        cell(summary(model)),
        "",
        *table(header, rows),
        "",
    ]


def _message(rule: Rule, lang: str) -> str:
    templates = catalogue()[rule.id]
    return templates.get(lang) or templates["en"]


def entity_page(entity: str, lang: str) -> str:
    """The page of ``entity``: a table per model reached from it, then its rules."""
    root = ENTITIES[entity]
    lines = _header(f"{cell(model_title(root, lang))} ({code(entity)})", lang)
    lines += [f"## {text('fields', lang)}", ""]
    for model in models_from(root):
        lines += _model_section(model, lang)
    rules = sorted(rules_for(entity), key=lambda r: r.id)
    lines += [f"## {text('rules', lang)}", "", text("rules_intro", lang), ""]
    header = [text(key, lang) for key in ("rule", "severity", "message")]
    rows = [
        [code(r.id), text(f"severity.{r.severity}", lang), cell(_message(r, lang))] for r in rules
    ]
    lines += table(header, rows)
    return _page(lines)


@functools.cache
def _usage() -> dict[str, tuple[tuple[str, str], ...]]:
    """Code list id -> (entity, ``Model.field``) pairs of the fields that use it."""
    found: dict[str, dict[tuple[str, str], None]] = {}
    for entity, root in ENTITIES.items():
        for model in models_from(root):
            for entry in fields_of(model):
                if entry.list_id is not None:
                    where = (entity, f"{model.__name__}.{entry.name}")
                    found.setdefault(entry.list_id, {})[where] = None
    return {list_id: tuple(pairs) for list_id, pairs in found.items()}


def _used_in(list_id: str) -> str:
    by_entity: dict[str, list[str]] = {}
    for entity, field in _usage().get(list_id, ()):
        by_entity.setdefault(entity, []).append(code(field))
    return "; ".join(
        f"{link(code(entity), f'../entities/{entity}.md')} ({', '.join(fields)})"
        for entity, fields in by_entity.items()
    )


def _fact(key: str, value: str, lang: str) -> str:
    return f"{text(key, lang)}{text('label_sep', lang)}{value}"


def _facts(code_list: CodeList, lang: str) -> Iterator[str]:
    yield "- " + _fact("version", code(code_list.version), lang)
    yield "- " + _fact("source", cell(code_list.source), lang)
    if code_list.sources:
        sources = "; ".join(
            f"{code(key)}: {cell(value)}" for key, value in sorted(code_list.sources.items())
        )
        yield "- " + _fact("sources", sources, lang)
    if code_list.translation_status:
        status = ", ".join(
            f"{key}: {cell(value)}" for key, value in sorted(code_list.translation_status.items())
        )
        yield "- " + _fact("translation_status", status, lang)
    used = _used_in(code_list.id)
    if used:
        yield "- " + _fact("used_in", used, lang)


def code_list_page(list_id: str, lang: str) -> str:
    """The page of code list ``list_id``: its facts, then a row per code in list order."""
    code_list = codes.get(list_id)
    title = code_list.title.get(lang) or code_list.title["en"]
    lines = _header(f"{cell(title)} ({code(list_id)})", lang)
    lines += [*_facts(code_list, lang), ""]
    keys = ["code", "label", *(["english_label"] if lang != "en" else []), "definition"]
    header = [text(key, lang) for key in (*keys, "status", "replaced_by", "source_codes")]
    rows = []
    for entry in code_list:
        english = [cell(entry.labels["en"])] if lang != "en" else []
        sources = "; ".join(
            f"{key}: {code(value)}" for key, value in sorted(entry.source_codes.items())
        )
        rows.append(
            [
                code(entry.code),
                cell(code_list.label(entry.code, lang))
                + (f" {text('fallback', lang)}" if entry.is_fallback(lang) else ""),
                *english,
                cell(entry.definition),
                text(f"status.{entry.status}", lang),
                code(entry.replaced_by) if entry.replaced_by else "",
                sources,
            ]
        )
    lines += table(header, rows)
    return _page(lines)


def index_page(lang: str) -> str:
    """The index of one language: every entity and every code list, with links."""
    lines = _header(f"{text('dictionary', lang)} (casestd)", lang, back=None)
    lines += [_fact("standard_version", code(STANDARD_VERSION), lang), ""]
    lines += [f"## {text('entities', lang)}", ""]
    header = [text(key, lang) for key in ("entity", "title", "description")]
    rows = [
        [
            link(code(entity), f"entities/{entity}.md"),
            cell(model_title(model, lang)),
            cell(summary(model)),
        ]
        for entity, model in ENTITIES.items()
    ]
    lines += [*table(header, rows), "", f"## {text('code_lists', lang)}", ""]
    header = [text(key, lang) for key in ("code_list", "title", "version", "count", "source")]
    rows = []
    for list_id in codes.ids():
        code_list = codes.get(list_id)
        rows.append(
            [
                link(code(list_id), f"codes/{list_id}.md"),
                cell(code_list.title.get(lang) or code_list.title["en"]),
                code(code_list.version),
                str(len(code_list)),
                cell(code_list.source),
            ]
        )
    lines += table(header, rows)
    lines += ["", f"## {text('indicators', lang)}", ""]
    lines += [link(text("indicators", lang), indicators.PAGE)]
    return _page(lines)


def root_page(langs: Sequence[str]) -> str:
    """The page above the languages: the standard version and a link per language."""
    lines = [f"# {text('dictionary', 'en')} (casestd)", ""]
    lines += [_fact("standard_version", code(STANDARD_VERSION), "en"), ""]
    lines += [f"- {link(text('language_name', lang), f'{lang}/index.md')}" for lang in langs]
    lines += ["", f"*{text('generated', 'en')}*"]
    return _page(lines)


def render(langs: Sequence[str]) -> dict[str, str]:
    """Every page for ``langs``: path relative to the output folder -> Markdown text."""
    pages = {"README.md": root_page(langs)}
    for lang in langs:
        pages[f"{lang}/index.md"] = index_page(lang)
        for entity in ENTITIES:
            pages[f"{lang}/entities/{entity}.md"] = entity_page(entity, lang)
        for list_id in codes.ids():
            pages[f"{lang}/codes/{list_id}.md"] = code_list_page(list_id, lang)
        pages[f"{lang}/{indicators.PAGE}"] = indicators.indicators_page(lang)
    return pages

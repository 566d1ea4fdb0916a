"""One key for a personal name, whatever its script or romanisation.

`name_key` reads Armenian script, Russian Cyrillic and the Latin romanisations
in use (ISO 9985, BGN/PCGN, ALA-LC, the Armenian passport system, Western
Armenian spellings) and returns a lower-case ASCII key:

1. NFKC-normalise and case-fold; cut into words at spaces, hyphens and
   punctuation (apostrophes stay: they mark aspiration in ``T'at'ul``).
2. Turn each word into phonetic classes (`casestd.dedup.script`): voiced,
   voiceless and aspirated consonants share a class (Petrosyan/Bedrosian),
   ``kh``/``x``, ``ch``/``tch``/``j``/``zh``, ``ts``/``tz``/``dz``,
   ``gh``/``g``/``k`` meet, ``ու``/``u``/``ou``, ``և``/``ev``.
3. Apply the folding rules of ``rules.json`` until nothing changes (``h``
   dropped, doubles once, initial ``ye``/``vo``/``ho`` as ``e``/``o``,
   ``y``/``i`` by context), find the family-name ending
   (-յան, -ян, -yan, -ian, -jan, -ean, -yants, -ents) and write it ``yan``.
4. Repeat on the key itself until it is stable, then replace a curated
   alias (``aliases.json``: Оганесян, Ovanesyan, Hovhannesian ->
   Hovhannisyan's key) by its name's key.

A key is normalised, not anonymous: it still says the name to anyone who
reads it. Protect it (`casestd.dedup.protect`) before it leaves the agency.

>>> name_key("Հովհաննիսյան") == name_key("Оганесян") == name_key("Hovannisian")
True
>>> name_key("Hovhannisyan")
'ovanisyan'
>>> name_key("Bedrossian") == name_key("Петросян"), name_key("Petrov")
(True, 'petrov')
>>> name_key("Karapet"), name_key("Garabedian")
('karapet', 'karapetyan')
>>> phonetic_code(name_key("Petrosyan"))
'ptrsn'

Patronymics have keys of their own: `patronymic_key` cuts the Russian endings
and the Armenian genitive off (Арменович, Արմենի: ``armen``), `is_patronymic`
tells such a word inside a name field, and `patronymic_code` is the skeleton
that the ``patronymic`` match key compares.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from casestd.dedup.script import to_classes
from casestd.dedup.tables import Tables, tables
from casestd.normalise.name import words

_WORD_BREAK = re.compile(r"[\s\-\u058a\u2010-\u2015_.,;:/()\[\]\"]+")
_DOUBLES = re.compile(r"(.)\1+")
#: Folding a key again changes it at most this often before it is stable.
_MAX_ROUNDS = 8


def _rules(classes: str, data: Tables) -> str:
    for _ in range(_MAX_ROUNDS):
        before = classes
        for pattern, replacement in data.rules:
            classes = pattern.sub(replacement, classes)
        if classes == before:
            break
    return classes


def _render(classes: str, data: Tables) -> str:
    return "".join(data.render[cls] for cls in classes)


@functools.lru_cache(maxsize=1 << 18)
def _folded_word(word: str) -> str:
    """`_fold_word` of one word, remembered: names repeat, and so do their words."""
    return _fold_word(word, tables())


def _fold_word(word: str, data: Tables) -> str:
    classes = _rules(to_classes(word), data)
    ending = data.ending.search(classes)
    if ending is None:
        return _render(classes, data)
    stem = _rules(classes[: ending.start()], data)
    return _render(stem, data) + data.ending_key


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return "".join([_folded_word(word) for word in _WORD_BREAK.split(text) if word])


def fold(text: str) -> str:
    """The folded key of ``text`` before aliases: stable when folded again.

    >>> fold("Оганесян"), fold("Hovhannisyan")
    ('okanesyan', 'ovanisyan')
    """
    key = _fold(text)
    for _ in range(_MAX_ROUNDS):
        again = _fold(key)
        if again == key:
            break
        key = again
    return key


@functools.cache
def aliases() -> dict[str, str]:
    """Folded alias form -> key of its name, from ``aliases.json``.

    Raises ValueError when a form folds to the key of another group's name,
    or when two groups claim the same form.

    >>> aliases()["okanesyan"]
    'ovanisyan'
    """
    groups = tables().alias_groups
    targets = {fold(group.name) for group in groups}
    mapping: dict[str, str] = {}
    for group in groups:
        target = fold(group.name)
        for form in group.forms:
            source = fold(form)
            if source == target:
                continue
            if source in targets or mapping.get(source, target) != target:
                raise ValueError(f"alias form of {group.name!r} clashes with another name")
            mapping[source] = target
    return mapping


@functools.lru_cache(maxsize=1 << 18)
def name_key(text: str) -> str:
    """The canonical ASCII key of a personal name written in any script.

    Returns ``""`` when ``text`` has no letters. The same name in Armenian,
    Cyrillic or any usual romanisation gives the same key; a key given back
    to `name_key` gives itself.

    >>> name_key("Геворкян") == name_key("Gevorgyan") == name_key("Kevorkian")
    True
    >>> name_key("Yeghiazaryan") == name_key("Егиазарян") == name_key("Եղիազարյան")
    True
    >>> name_key("Geġark'unik'") == name_key("Gegharkunik")
    True
    >>> name_key(" -- ")
    ''
    """
    key = fold(text)
    return aliases().get(key, key)


@functools.lru_cache(maxsize=65536)
def phonetic_code(key: str) -> str:
    """A coarser code of a name key: its consonant skeleton.

    The first class is kept (any vowel written ``a``), vowels and ``y`` after
    it are dropped, close consonant classes merge (``f``/``v``, ``sh``/``s``/``z``,
    ``x``/``k``, ``ch``/``ts``) and doubles count once. Ani and Anna meet here,
    so the code only proposes candidates.

    >>> phonetic_code(name_key("Ani")) == phonetic_code(name_key("Anna"))
    True
    >>> phonetic_code(name_key("Karapet")), phonetic_code(name_key("Karapetyan"))
    ('krpt', 'krptn')
    """
    data = tables()
    classes = to_classes(key)
    if not classes:
        return ""
    first = classes[0]
    if first in data.phonetic_vowels:
        first = data.phonetic_first_vowel
    rest = (cls for cls in classes[1:] if cls not in data.phonetic_vowels)
    skeleton = "".join(data.phonetic_merge.get(cls, cls) for cls in (first, *rest))
    return _render(_DOUBLES.sub(r"\1", skeleton), data)


def patronymic_key(text: str) -> str:
    """The key of the father's name in a patronymic written in any script.

    The Russian endings (-ович, -евич, -овна, -евна, -ична, in key form) and the
    Armenian genitive -ի (``i`` in key form) are cut off; a nominative father's
    name stays as it is. Armenian genitives that drop a vowel (Դավթի from
    Դավիթ) stay close, not equal: compare with a string similarity.

    >>> patronymic_key("Արմենի"), patronymic_key("Арменович"), patronymic_key("Armen")
    ('armen', 'armen', 'armen')
    >>> patronymic_key("Саргисовна"), patronymic_key("Սարգսի")
    ('sarkis', 'sarks')
    """
    key = name_key(text)
    for suffix in tables().patronymic_suffixes:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    if key.endswith("i") and len(key) > 3:
        return key[:-1]
    return key


def is_patronymic(key: str, own: frozenset[str] = frozenset()) -> bool:
    """True when a name key is a patronymic: ``own`` (the record's patronymic keys) or
    a word with a patronymic ending.

    >>> is_patronymic("armenovna"), is_patronymic("anna")
    (True, False)
    """
    return key in own or key.endswith(tables().patronymic_suffixes)


def split_patronymic(
    text: str, own: frozenset[str] = frozenset(), *, lone_is_name: bool = True
) -> tuple[list[str], list[str]]:
    """The words of a name field: those of the name, and the patronymics written in it.

    A word is a patronymic when its key is one of ``own`` (the keys of the
    record's own patronymics) or has a patronymic ending (`is_patronymic`); a
    field of patronymic words only is a name (Абрамович as a family name),
    unless ``lone_is_name`` is false. Words without letters are left out.

    >>> split_patronymic("Анна Арменовна"), split_patronymic("Абрамович")
    ((['Анна'], ['Арменовна']), (['Абрамович'], []))
    """
    named = [word for word in words(text) if name_key(word)]
    kept = [word for word in named if not is_patronymic(name_key(word), own)]
    if not kept and lone_is_name:
        return named, []
    return kept, [word for word in named if word not in kept]


def patronymic_code(text: str) -> str:
    """The father's name skeleton in a patronymic, whatever its script and form.

    `patronymic_key` (endings cut off), mapped through the
    alias table, as a consonant skeleton (`phonetic_code`): an Armenian
    genitive that drops a vowel (Դավթի) then meets its Russian form.

    >>> patronymic_code("Արմենի") == patronymic_code("Арменович") == patronymic_code("Armenovna")
    True
    >>> patronymic_code("Դավթի") == patronymic_code("Давидович")
    True
    """
    return father_code(patronymic_key(text))


def father_code(key: str) -> str:
    """The skeleton of a father's name key (`patronymic_key`), through the alias table.

    >>> father_code(patronymic_key("Арменович")) == patronymic_code("Armenovna")
    True
    """
    known = aliases()
    # Вагеевич: a name ending in -е keeps it before -евич (folded to one e)
    if key not in known and f"{key}e" in known:
        key = f"{key}e"
    return phonetic_code(known.get(key, key))

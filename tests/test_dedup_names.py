"""name_key: the same name in any script and romanisation gives one key; different names differ."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casestd.dedup import name_key
from casestd.dedup.names import aliases, fold, patronymic_key, phonetic_code
from casestd.dedup.tables import tables
from casestd.testing.samples import sample_data

#: The same name: Armenian script, Russian Cyrillic, then 2-4 Latin spellings.
#: Comments name the romanisations: ISO = ISO 9985, ALA = ALA-LC, BGN = BGN/PCGN,
#: passport = the Armenian passport system, W = Western Armenian, R = from Russian.
SAME: dict[str, tuple[str, ...]] = {
    # Russian г or х for հ, and -аел for -այել: curated aliases
    "Zohrabyan": ("Զոհրաբյան", "Зограбян", "Zohrabyan", "Zograbyan"),
    "Shahinyan": ("Շահինյան", "Шагинян", "Shahinyan", "Shaginyan"),
    "Nahapetyan": ("Նահապետյան", "Нахапетян", "Nahapetyan", "Nakhapetyan"),
    "Mikayelyan": ("Միքայելյան", "Микаелян", "Mikayelyan", "Mikaelyan"),
    "Hrant": ("Հրանտ", "Грант", "Hrant", "Grant"),
    "Hamlet": ("Համլետ", "Гамлет", "Hamlet", "Gamlet"),
    # family names
    "Hovhannisyan": ("Հովհաննիսյան", "Оганесян", "Hovhannisyan", "Ovanesyan", "Oganesyan"),
    "Hovhannisyan W": ("Հովհաննիսյան", "Ованесян", "Hovannisian", "Hovhannessian", "Ohannesian"),
    "Hakobyan": ("Հակոբյան", "Акопян", "Hakobyan", "Akopyan", "Hagopian", "Hakobjan"),
    "Harutyunyan": (
        "Հարությունյան",
        "Арутюнян",
        "Harutyunyan",  # passport
        "Arutyunyan",  # R
        "Harowtʻyownyan",  # ISO
        "Haroutiounian",  # W
    ),
    "Harutyunyan BGN/ALA": ("Հարությունյան", "Арутюнян", "Harut'yunyan", "Harutʻyunyan"),
    "Ghazaryan": ("Ղազարյան", "Казарян", "Ghazaryan", "Kazaryan", "Łazaryan", "Ghazarian"),
    "Gevorgyan": ("Գևորգյան", "Геворкян", "Gevorgyan", "Gevorkyan", "Kevorkian", "Geworgyan"),
    "Sargsyan": ("Սարգսյան", "Саркисян", "Sargsyan", "Sarkisyan", "Sarkissian"),
    "Sargsyan R": ("Սարգսյան", "Саргсян", "Sargsian", "Sarkisian"),
    "Yeghiazaryan": (
        "Եղիազարյան",
        "Егиазарян",
        "Yeghiazaryan",  # BGN, passport
        "Eghiazaryan",  # ALA
        "Ełiazaryan",  # ISO
        "Yeghiazarian",  # W
    ),
    "Petrosyan": ("Պետրոսյան", "Петросян", "Petrosyan", "Petrossian", "Bedrosian"),
    "Martirosyan": ("Մարտիրոսյան", "Мартиросян", "Martirosyan", "Martirossian", "Mardirossian"),
    "Karapetyan": ("Կարապետյան", "Карапетян", "Karapetyan", "Karapetian", "Garabedian"),
    "Khachatryan": (
        "Խաչատրյան",
        "Хачатрян",
        "Khachatryan",  # passport
        "Xačʻatryan",  # ISO
        "Khachʻatryan",  # ALA
        "Khatchadourian",  # W, alias
    ),
    "Mkrtchyan": ("Մկրտչյան", "Мкртчян", "Mkrtchyan", "Mkrtčʻyan", "Mkrtchian", "Mgrdichian"),
    "Grigoryan": ("Գրիգորյան", "Григорян", "Grigoryan", "Grigorian", "Krikorian"),
    "Stepanyan": ("Ստեփանյան", "Степанян", "Stepanyan", "Step'anyan", "Stepʻanyan", "Stepanian"),
    "Avetisyan": ("Ավետիսյան", "Аветисян", "Avetisyan", "Avedisian", "Avetissian"),
    "Vardanyan": ("Վարդանյան", "Варданян", "Vardanyan", "Vartanian", "Vardanian"),
    "Manukyan": ("Մանուկյան", "Манукян", "Manukyan", "Manoukian", "Manowkyan"),
    "Abrahamyan": ("Աբրահամյան", "Абрамян", "Abrahamyan", "Abramyan", "Abrahamian"),
    "Ohanyan": ("Օհանյան", "Оганян", "Ohanyan", "Ōhanyan", "Ohanian"),
    "Poghosyan": ("Պողոսյան", "Погосян", "Poghosyan", "Pogosyan", "Boghossian", "Połosyan"),
    "Hambardzumyan": (
        "Համբարձումյան",
        "Амбарцумян",
        "Hambardzumyan",
        "Ambartsumyan",
        "Hampartzoumian",
    ),
    "Sahakyan": ("Սահակյան", "Саакян", "Sahakyan", "Saakyan", "Sahagian"),
    "Kocharyan": ("Քոչարյան", "Кочарян", "Kocharyan", "K'och'aryan", "Kʻočaryan", "Kotcharian"),
    "Tsaturyan": ("Ծատուրյան", "Цатурян", "Tsaturyan", "Çatowryan", "Dzadourian"),
    "Janibekyan": ("Ջանիբեկյան", "Джанибекян", "Janibekyan", "J̌anibekyan", "Djanibekian"),
    "Shahnazaryan": ("Շահնազարյան", "Шахназарян", "Shahnazaryan", "Šahnazaryan", "Shakhnazaryan"),
    "Tadevosyan": ("Թադևոսյան", "Тадевосян", "Tadevosyan", "Tʻadewosyan", "Tatevossian"),
    "Zhamkochyan": ("Ժամկոչյան", "Жамкочян", "Zhamkochyan", "Žamkočyan", "Jamgotchian"),
    "Chagharyan": ("Ճաղարյան", "Чагарян", "Chagharyan", "Č̣ałaryan", "Tchagharian"),
    "Ter-Petrosyan": (
        "Տեր-Պետրոսյան",
        "Тер-Петросян",
        "Ter-Petrosyan",
        "Ter Petrosyan",
        "Der Bedrossian",
    ),
    "endings": (
        "Հովհաննիսյանց",
        "Оганесянц",
        "Hovhannisyants",
        "Hovhannisyanc'",
        "Hovhannisjan",
    ),
    # given names
    "Hovhannes": ("Հովհաննես", "Оганес", "Hovhannes", "Ovanes", "Hovannes", "Ohannes"),
    "Tigran": ("Տիգրան", "Тигран", "Tigran", "Dikran"),
    "Ghazar": ("Ղազար", "Казар", "Ghazar", "Kazar", "Łazar"),
    "Gevorg": ("Գևորգ", "Геворг", "Gevorg", "Kevork", "Geworg"),
    "Anahit": ("Անահիտ", "Анаит", "Anahit", "Anait"),
    "Hayk": ("Հայկ", "Айк", "Hayk", "Haik"),
    "Vahe": ("Վահե", "Ваге", "Vahe", "Vage"),
    "Mher": ("Մհեր", "Мгер", "Mher", "Mger"),
    "Mariam": ("Մարիամ", "Марьям", "Mariam", "Maryam"),
    "Tatevik": ("Տաթևիկ", "Татевик", "Tatevik", "T'at'evik", "Tatʻevik", "Tatʻewik"),
    "Yeghishe": ("Եղիշե", "Егише", "Yeghishe", "Eghishe", "Ełišē"),
    "Harutyun": ("Հարություն", "Арутюн", "Harutyun", "Haroutioun", "Harowtʻyown"),
    "Mkrtich": ("Մկրտիչ", "Мкртич", "Mkrtich", "Mgrdich"),
    "Hakob": ("Հակոբ", "Акоп", "Hakob", "Hagop", "Akop"),
    "Khachatur": ("Խաչատուր", "Хачатур", "Khachatur", "Khatchadour", "Xačatowr"),
    "Ruben": ("Ռուբեն", "Рубен", "Ruben", "Ṙuben", "Rruben"),
    "Erik": ("Էրիկ", "Эрик", "Erik", "Eric", "Ērik"),
    "Tsolak": ("Ցոլակ", "Цолак", "Tsolak", "Ts'olak", "Cʻolak"),
    "Voskan": ("Ոսկան", "Воскан", "Voskan", "Oskan"),
    "Vahagn": ("Վահագն", "Ваагн", "Vahagn", "Vahakn"),
    "Syuzanna": ("Սյուզաննա", "Сюзанна", "Syuzanna", "Siuzanna"),
}

#: Different names that must keep different keys.
DIFFERENT: list[tuple[str, str]] = [
    ("Hovhannisyan", "Ohanyan"),
    ("Оганесян", "Оганян"),
    ("Grigoryan", "Gevorgyan"),
    ("Գրիգորյան", "Գևորգյան"),
    ("Harutyunyan", "Arutyunov"),
    ("Petrosyan", "Petrov"),
    ("Petrossian", "Petrov"),
    ("Ani", "Anna"),
    ("Ани", "Анна"),
    ("Hayk", "Haykaz"),
    ("Karapetyan", "Karapet"),
    ("Armen", "Arman"),
    ("Karen", "Karine"),
    ("Narek", "Nare"),
    ("Lilit", "Lili"),
    ("Gor", "Gohar"),
    ("Mkrtchyan", "Mkrtich"),
    ("Sargsyan", "Sargis"),
    ("Hovhannes", "Hovhannisyan"),
    ("Ohan", "Ohanyan"),
    ("Davit", "Davtyan"),
    ("Khachatryan", "Khachaturov"),
    ("Sahakyan", "Saakov"),
    ("Ani", "Anahit"),
    ("Mariam", "Mane"),
    ("Hovhannes", "Ohan"),
]

#: One Armenian name per system, as that system writes it (beside the groups above).
SYSTEMS: list[tuple[str, str, str]] = [
    ("ISO 9985", "Հարությունյան", "Harowtʻyownyan"),
    ("ISO 9985", "Ջանիբեկյան", "J̌anibekyan"),
    ("ISO 9985", "Ծատուրյան", "Çatowryan"),
    ("ISO 9985", "Ճաղարյան", "Č̣ałaryan"),
    ("ISO 9985", "Ցոլակ", "Cʻolak"),
    ("ISO 9985", "Էմմա", "Ēmma"),
    ("ALA-LC", "Խաչատրյան", "Khachʻatryan"),
    ("ALA-LC", "Քոչարյան", "Kʻochʻaryan"),
    ("ALA-LC", "Ռուբեն", "Ṙuben"),
    ("ALA-LC", "Ցոլակ", "Tsʻolak"),
    ("BGN/PCGN", "Եղիազարյան", "Yeghiazaryan"),
    ("BGN/PCGN", "Ոսկանյան", "Voskanyan"),
    ("BGN/PCGN", "Ռուբեն", "Rruben"),
    ("BGN/PCGN", "Փափազյան", "P'ap'azyan"),
    ("passport", "Հարությունյան", "Harutyunyan"),
    ("passport", "Խաչատրյան", "Khachatryan"),
    ("passport", "Ժամկոչյան", "Zhamkochyan"),
    ("Western", "Պետրոսյան", "Bedrosian"),
    ("Western", "Գևորգյան", "Kevorkian"),
    ("Western", "Կարապետյան", "Garabedian"),
    ("Western", "Հովհաննիսյան", "Hovhannessian"),
    ("Western", "Հովհաննիսյան", "Ohannesian"),
    ("diacritics", "Գեղարքունիք", "Geġark'unik'"),
    ("diacritics", "Թաթուլ", "T'at'ul"),
]

_ARMENIAN = "".join(chr(c) for c in [*range(0x0531, 0x0557), *range(0x0561, 0x0588)])
_CYRILLIC = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZčšžǰłġçṙēëěōČŠŽŁ"
_MARKS = "'’ʻʿ`- "
names_text = st.text(alphabet=_ARMENIAN + _CYRILLIC + _LATIN + _MARKS, max_size=24)
_KEY = re.compile(r"^[a-z]*$")


@pytest.mark.parametrize("group", list(SAME), ids=list(SAME))
def test_spellings_of_one_name_share_a_key(group: str) -> None:
    spellings = SAME[group]
    assert re.search("[\u0531-\u058f]", spellings[0])
    assert any(re.search("[\u0400-\u04ff]", text) for text in spellings)
    found = {text: name_key(text) for text in spellings}
    assert len(set(found.values())) == 1, found


def test_enough_groups_and_pairs() -> None:
    assert len(SAME) >= 25
    assert len(DIFFERENT) >= 15
    for spellings in SAME.values():
        latin = [text for text in spellings if not re.search("[\u0400-\u058f]", text)]
        assert 2 <= len(latin) <= 4


@pytest.mark.parametrize(("one", "other"), DIFFERENT, ids=[f"{a}-{b}" for a, b in DIFFERENT])
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


@pytest.mark.parametrize(("system", "armenian", "latin"), SYSTEMS)
def test_each_romanisation_system(system: str, armenian: str, latin: str) -> None:
    assert name_key(latin) == name_key(armenian), system


def test_ligature_and_digraphs() -> None:
    assert name_key("Երևան") == name_key("Yerevan") == name_key("Erevan") == name_key("Ереван")
    assert name_key("Գևորգ") == name_key("ԳԵՎՈՐԳ") == name_key("Գեւորգ")
    assert name_key("Մանուկ") == name_key("Manuk") == name_key("Manouk")


def test_keys_are_plain_words() -> None:
    for spellings in SAME.values():
        for text in spellings:
            assert _KEY.match(name_key(text))
    assert name_key("") == name_key("  -' ") == ""


def test_every_sample_name_has_one_key_in_three_scripts() -> None:
    checked = 0
    for entries in sample_data().values():
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if isinstance(entry, dict):
                found = {script: name_key(entry[script]) for script in ("armn", "cyrl", "latn")}
                assert len(set(found.values())) == 1, found
                checked += 1
    assert checked >= 50


def test_alias_table_is_consistent() -> None:
    mapping = aliases()
    assert mapping
    assert not set(mapping.values()) & set(mapping)
    for target in mapping.values():
        assert fold(target) == target


def test_armenian_table_covers_the_alphabet() -> None:
    letters = tables().armenian_letters
    assert set(letters) == {chr(c) for c in range(0x0561, 0x0587)}


def test_phonetic_code_is_coarser() -> None:
    assert phonetic_code(name_key("Mariam")) == phonetic_code(name_key("Mariyam"))
    assert phonetic_code(name_key("Karine")) == phonetic_code(name_key("Karina"))
    assert phonetic_code(name_key("Karapet")) != phonetic_code(name_key("Karapetyan"))
    assert phonetic_code("") == ""


@settings(max_examples=300, deadline=None)
@given(names_text)
def test_name_key_is_stable_and_ascii(text: str) -> None:
    key = name_key(text)
    assert _KEY.match(key)
    assert name_key(key) == key


@settings(max_examples=300, deadline=None)
@given(names_text)
def test_case_spacing_and_normal_form_do_not_matter(text: str) -> None:
    key = name_key(text)
    assert name_key(text.upper()) == key
    assert name_key(text.lower()) == key
    assert name_key(f"  {text}\t") == key
    assert name_key(text.replace(" ", "  ")) == key
    assert name_key(unicodedata.normalize("NFD", text)) == key
    assert name_key(unicodedata.normalize("NFC", text)) == key


def test_patronymic_key_reads_russian_and_armenian_forms() -> None:
    forms = ["Արմենի", "Арменович", "Арменовна", "Armeni", "Armen"]
    assert {patronymic_key(form) for form in forms} == {"armen"}


def _scanned(text: str) -> str:
    """The token scan the Latin table describes: at each place, the first (longest)
    spelling of ``tokens`` that fits."""
    data, out, index = tables(), [], 0
    while index < len(text):
        for spelling, cls in data.tokens:
            if text.startswith(spelling, index):
                out.append(cls)
                index += len(spelling)
                break
        else:
            index += 1
    return "".join(out)


@settings(max_examples=300)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=24))
def test_token_pattern_reads_as_the_table_scan(text: str) -> None:
    data = tables()
    found = "".join(data.token_classes[s] for s in data.token_pattern.findall(text))
    assert found == _scanned(text)

"""Linkage columns and the Splink model: one person across scripts, found at scale."""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from casestd.dedup import linkage, name_key
from casestd.dedup.columns import COLUMNS, person_rows, rows_from_keys
from casestd.model.child import Child
from casestd.model.family import Family
from casestd.model.trafficking_victim import TraffickingVictim
from casestd.testing import sample_data

from factories import child, family, trafficking_victim

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "linkage_example.py"
Payload = dict[str, Any]

ARMN = {"given": "Անի", "family": "Պետրոսյան", "patronymic": "Արմենի", "script": "armn"}
CYRL = {"given": "Ани", "family": "Петросян", "patronymic": "Арменовна", "script": "cyrl"}
LATN = {"given": "Ani", "family": "Petrosyan", "script": "latn"}


def a_child(names: list[dict[str, str]], born: str = "2015-04-03", **extra: Any) -> Child:
    """The factory child with these names and birth date."""
    payload = child()
    payload["names"] = names
    payload["birth_date"] = {"value": born}
    payload.update(extra)
    return Child.model_validate(payload)


def same_person(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """The columns of two rows that differ, ``unique_id`` aside."""
    return {
        column: (first[column], second[column])
        for column in COLUMNS
        if column != "unique_id" and first[column] != second[column]
    }


# -- columns ------------------------------------------------------------------


def test_rows_have_the_columns_and_no_raw_names() -> None:
    kid = a_child(
        [ARMN, CYRL],
        identifiers=[{"type": "public_service_number", "value": "1234567890"}],
        address={"region": "AM-ER", "district": "kentron"},
    )
    household = Family.model_validate(family())
    victim = TraffickingVictim.model_validate(trafficking_victim())
    rows = person_rows([kid, household, victim])
    assert [tuple(row) for row in rows] == [COLUMNS] * 3
    assert [row["unique_id"] for row in rows] == [
        f"child/{kid.id}",
        f"family/{household.id}/members/0",
        f"trafficking_victim/{victim.id}",
    ]
    assert [row["entity"] for row in rows] == ["child", "family", "trafficking_victim"]
    written = [ARMN, CYRL, LATN, *child()["names"], *trafficking_victim()["person"]["names"]]
    raw = {text for name in written for key, text in name.items() if key != "script"}
    raw |= {"Tigran"}  # the head of the factory family
    for row in rows:
        values = [value for value in row.values() if isinstance(value, str)]
        assert not raw & set(values)
        assert all(value.isascii() for value in values)
    first = rows[0]
    assert first["psn"] == "1234567890"
    assert (first["district"], first["region"]) == ("kentron", "AM-ER")
    assert (first["birth_year"], first["birth_month"], first["birth_day"]) == (2015, 4, 3)


def test_armenian_and_latin_give_equal_key_columns() -> None:
    armenian, latin, both = person_rows(
        [a_child([ARMN]), a_child([dict(LATN, patronymic="Armenovna")]), a_child([LATN, CYRL])]
    )
    assert same_person(armenian, latin) == {}
    assert same_person(armenian, both) == {}
    assert (armenian["family_key"], armenian["given_key"], armenian["patronymic_key"]) == (
        "petrosyan",
        "ani",
        "armen",
    )
    assert armenian["phonetic_family"] == "ptrsn"


def test_patronymic_written_inside_the_given_name() -> None:
    inline = {"given": "Ани Арменовна", "family": "Петросян", "script": "cyrl"}
    row, plain = person_rows([a_child([inline]), a_child([ARMN])])
    assert same_person(row, plain) == {}


def test_canonical_name_is_the_one_most_names_agree_on() -> None:
    typo = {"given": "Ani", "family": "Petrosyam", "script": "latn"}
    (row,) = person_rows([a_child([typo, ARMN, CYRL])])
    assert row["family_key"] == "petrosyan"
    (tie,) = person_rows([a_child([typo, ARMN])])
    assert tie["family_key"] == name_key("Petrosyam")  # on a tie, the first name wins


def test_partial_and_estimated_birth_dates() -> None:
    rows = rows_from_keys(
        [
            {"unique_id": "a", "birth_date": "2015-04"},
            {"unique_id": "b", "birth_date": "2015-04-03", "birth_date_estimated": True},
            {"unique_id": "c"},
        ]
    )
    births = [tuple(row[c] for c in ("birth_date", "birth_year", "birth_month")) for row in rows]
    assert births == [(None, 2015, 4), (None, 2015, None), (None, None, None)]


def test_rows_from_keys_match_person_rows() -> None:
    kid = a_child(
        [ARMN, LATN],
        sex="female",
        identifiers=[
            {"type": "passport", "value": "AB1234567"},
            {"type": "birth_certificate", "value": "II-AM 123456"},
        ],
        contacts=[{"system": "phone", "value": "+37491234567"}],
        address={"region": "AM-SH"},
    )
    (typed,) = person_rows([kid])
    (plain,) = rows_from_keys(
        [
            {
                "unique_id": typed["unique_id"],
                "entity": "child",
                "given": ["Ани"],
                "family": "Петросян",
                "patronymic": "Арменович",
                "sex": "female",
                "birth_date": "2015-04-03",
                "passport": "ab 1234567",
                "birth_certificate": "II-AM 123456",
                "phone": "091 234567",
                "region": "AM-SH",
            }
        ]
    )
    assert plain == typed
    assert typed["passport"] == "AM:AB1234567"
    assert typed["birth_certificate"] == "IIAM123456"


def test_rows_from_keys_rejects_unknown_keys_and_bad_dates() -> None:
    with pytest.raises(ValueError, match="first_name"):
        rows_from_keys([{"unique_id": "a", "first_name": "Ani"}])
    with pytest.raises(ValueError, match="unique_id"):
        rows_from_keys([{"given": "Ani"}])
    with pytest.raises(ValueError, match="YYYY"):
        rows_from_keys([{"unique_id": "a", "birth_date": "03.04.2015"}])
    for bad in ("2015-02-30", "2015-00", "2015-04-00"):  # as the model: no month or day 00
        with pytest.raises(ValueError, match="calendar"):
            rows_from_keys([{"unique_id": "a", "birth_date": bad}])
    with pytest.raises(TypeError):
        person_rows([object()])  # type: ignore[list-item]


# -- a synthetic register with duplicates ---------------------------------------

SCRIPTS = ("armn", "cyrl", "latn")
DISTRICTS = ("kentron", "arabkir", "avan", "erebuni", "shengavit", "nor_nork")


def _uuid(rnd: random.Random) -> str:
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))


def _person(rnd: random.Random) -> tuple[Payload, dict[str, Any]]:
    data = sample_data()
    sex = rnd.choice(["female", "male"])
    parts = {
        "given": rnd.choice(data["given_female"] if sex == "female" else data["given_male"]),
        "family": rnd.choice(data["family"]),
        "father": rnd.choice(data["given_male"]),
    }
    names = []
    for script in rnd.sample(SCRIPTS, rnd.randint(1, 2)):
        name = {"given": parts["given"][script], "family": parts["family"][script]}
        if script != "latn" and rnd.random() < 0.6:
            name["patronymic"] = parts["father"][f"patronymic_{script}"]
        names.append(dict(name, script=script))
    born = dt.date(2008, 1, 1) + dt.timedelta(days=rnd.randrange(17 * 365))
    payload = child()
    payload.update(
        id=_uuid(rnd),
        names=names,
        sex=sex,
        birth_date={"value": born.isoformat()},
        address={"region": "AM-ER", "district": rnd.choice(DISTRICTS)},
    )
    if rnd.random() < 0.4:
        number = rnd.randrange(10**9, 10**10)
        payload["identifiers"] = [{"type": "public_service_number", "value": str(number)}]
    return payload, parts


def _again(payload: Payload, parts: dict[str, Any], variant: int, rnd: random.Random) -> Payload:
    """The same child registered again, in another script, with one more change."""
    again = copy.deepcopy(payload)
    again["id"] = _uuid(rnd)
    used = {name["script"] for name in payload["names"]}
    script = next(s for s in SCRIPTS if s not in used)
    given, family, father = (parts[key] for key in ("given", "family", "father"))
    name = {"given": given[script], "family": family[script], "script": script}
    if variant == 1:  # a letter dropped from the family name
        name = {"given": given["latn"], "family": family["latn"][:3] + family["latn"][4:]}
        name["script"] = "latn"
    elif variant == 2:  # day and month swapped (or a day mistyped when it cannot be)
        year, month, day = payload["birth_date"]["value"].split("-")
        swapped = f"{year}-{day}-{month}" if int(day) <= 12 and day != month else None
        again["birth_date"]["value"] = swapped or f"{year}-{month}-{int(day) % 28 + 1:02d}"
    elif variant == 3:  # no identifiers, moved, patronymic inside the given name
        again.pop("identifiers", None)
        again["address"]["district"] = rnd.choice(DISTRICTS)
        name = {
            "given": f"{given['cyrl']} {father['patronymic_cyrl']}",
            "family": family["cyrl"],
            "script": "cyrl",
        }
    elif variant == 4:  # only the year is known, estimated
        again["birth_date"] = {"value": payload["birth_date"]["value"][:4], "estimated": True}
    again["names"] = [name]
    return again


def register(people: int = 180, twice: int = 20, seed: int = 11) -> tuple[list[Child], set[Any]]:
    """``people`` children plus ``twice`` of them registered again; the true pairs."""
    rnd = random.Random(seed)
    drawn = [_person(rnd) for _ in range(people)]
    payloads = [payload for payload, _ in drawn]
    pairs = set()
    for index, (payload, parts) in enumerate(rnd.sample(drawn, twice)):
        again = _again(payload, parts, index % 5, rnd)
        payloads.append(again)
        pairs.add(frozenset({f"child/{payload['id']}", f"child/{again['id']}"}))
    rnd.shuffle(payloads)
    return [Child.model_validate(payload) for payload in payloads], pairs


def found_pairs(clusters: list[list[str]]) -> set[frozenset[str]]:
    return {
        frozenset({first, second})
        for cluster in clusters
        for index, first in enumerate(cluster)
        for second in cluster[index + 1 :]
    }


def test_predict_clusters_finds_the_duplicates() -> None:
    records, truth = register()
    rows = person_rows(records)
    assert len(rows) == 200
    clusters = linkage.predict_clusters(rows, threshold=0.9)
    found = found_pairs(clusters)
    recall = len(found & truth) / len(truth)
    precision = len(found & truth) / max(1, len(found))
    assert recall >= 0.8, (recall, precision)
    assert precision >= 0.9, (recall, precision)
    assert clusters == sorted(sorted(cluster) for cluster in clusters)
    # the same rows and seed give the same clusters
    assert linkage.predict_clusters(rows, threshold=0.9) == clusters


def test_build_train_and_predict_step_by_step() -> None:
    records, truth = register(people=60, twice=6, seed=3)
    rows = person_rows(records)
    linker = linkage.build_linker(rows, settings_overrides={"max_iterations": 10})
    assert linkage.train(linker, rows) is linker
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linkage.clusters_from_predictions(linker, predictions, 0.9)
    found = found_pairs(clusters)
    assert len(found & truth) >= 5
    assert len(found - truth) <= 1


def test_settings_are_built_from_casestd_columns() -> None:
    chosen = linkage.settings({"max_iterations": 5})
    assert chosen["max_iterations"] == 5
    assert chosen["link_type"] == "dedupe_only"
    used = " ".join(
        rule.get_blocking_rule("duckdb").blocking_rule_sql for rule in linkage.blocking_rules()
    )
    assert set(re.findall(r'"(\w+)"', used)) <= set(COLUMNS)
    assert len(linkage.comparisons()) == 11


def test_small_inputs_and_bad_arguments() -> None:
    assert linkage.predict_clusters([]) == []
    assert linkage.predict_clusters(rows_from_keys([{"unique_id": "a"}])) == []
    # nothing to go on: no deterministic pair (prior kept), no EM pairs (sessions skipped)
    nobody = rows_from_keys([{"unique_id": name} for name in "abc"])
    assert linkage.predict_clusters(nobody) == []
    with pytest.raises(ValueError, match="threshold"):
        linkage.predict_clusters([], threshold=1.5)
    with pytest.raises(ValueError, match="backend"):
        linkage.build_linker([], backend="sqlite3")


# -- without the extra ------------------------------------------------------------


def test_missing_splink_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in sys.modules if name == "splink" or name.startswith("splink.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "splink", None)  # import splink -> ImportError
    with pytest.raises(ImportError, match=re.escape("install casestd[linkage]")):
        linkage.blocking_rules()
    with pytest.raises(ImportError, match=re.escape("install casestd[linkage]")):
        linkage.predict_clusters(rows_from_keys([{"unique_id": "a"}, {"unique_id": "b"}]))


def test_importing_dedup_never_needs_splink() -> None:
    code = (
        "import sys; sys.modules['splink'] = None; sys.modules['duckdb'] = None\n"
        "import casestd.dedup, casestd.dedup.linkage, casestd.dedup.columns\n"
        "print(len(casestd.dedup.columns.COLUMNS))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(len(COLUMNS))


# -- the documented example ---------------------------------------------------------


def test_example_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLE)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r"found (\d+) of (\d+) planted pairs", done.stdout)
    assert found is not None, done.stdout[-2000:]
    assert int(found.group(1)) >= 0.8 * int(found.group(2))

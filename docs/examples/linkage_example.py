"""Fuzzy linkage of children registered twice, in different scripts (docs/linkage.md).

Makes synthetic child records from casestd's sample names, registers
some of them a second time by another district office — the names written
in another script, a birth date with day and month swapped, a misspelt
family name, the identifiers left out — then builds casestd's linkage columns,
trains a Splink model on DuckDB and prints the clusters it finds.

Run it with the linkage extra installed (``pip install 'casestd[linkage]'``)::

    python docs/examples/linkage_example.py

All names are synthetic (casestd's test data); nothing here is a real person.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import random
import time
import uuid
from typing import Any

from anyascii import anyascii

from casestd.dedup import name_key
from casestd.dedup.columns import person_rows
from casestd.dedup.linkage import predict_clusters
from casestd.model.child import Child
from casestd.testing import sample_data

Payload = dict[str, Any]
SCRIPTS = ("armn", "cyrl", "latn")
DISTRICTS = ("kentron", "arabkir", "shengavit", "erebuni", "nor_nork", "avan")
CHILDREN = 300
TWICE = 24
SEED = 2024


def _uuid(rnd: random.Random) -> str:
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))


def make_children(count: int, rnd: random.Random) -> list[Payload]:
    """``count`` synthetic child payloads: names in one or two scripts, some with a PSN.

    Written by hand from casestd's sample names (``casestd.testing.sample_data``)
    rather than drawn from ``casestd.testing.payloads("child")``: hypothesis
    favours simple values (many children born on 2000-01-01), which makes a
    poor crowd of *different* people.
    """
    data = sample_data()
    children = []
    for _ in range(count):
        sex = rnd.choice(["female", "male"])
        given = rnd.choice(data["given_female"] if sex == "female" else data["given_male"])
        family, father = rnd.choice(data["family"]), rnd.choice(data["given_male"])
        names = []
        for script in rnd.sample(SCRIPTS, rnd.randint(1, 2)):
            name = {"given": given[script], "family": family[script], "script": script}
            if script != "latn" and rnd.random() < 0.5:
                name["patronymic"] = father[f"patronymic_{script}"]
            names.append(name)
        born = dt.date(2008, 1, 1) + dt.timedelta(days=rnd.randrange(17 * 365))
        child: Payload = {
            "id": _uuid(rnd),
            "meta": {
                "standard_version": "1.0.0",
                "source_system": "district-register",
                "agency": "molsa-cmis",
                "created": "2025-03-01T10:00:00+04:00",
                "district": rnd.choice(DISTRICTS),
            },
            "names": names,
            "sex": sex,
            "birth_date": {"value": born.isoformat()},
            "registration_date": "2025-03-01",
        }
        if rnd.random() < 0.4:
            number = rnd.randrange(10**9, 10**10)
            child["identifiers"] = [{"type": "public_service_number", "value": f"{number}"}]
        children.append(child)
    return children


def _entry(text: str, pool: list[dict[str, str]]) -> dict[str, str] | None:
    """The sample-data entry (one name in every script) that ``text`` is written from."""
    return next((entry for entry in pool if text in entry.values()), None)


def register_again(child: Payload, variant: int, rnd: random.Random) -> Payload:
    """The same child as written by another office: another script and one more change."""
    data = sample_data()
    again = copy.deepcopy(child)
    again["id"] = _uuid(rnd)
    first = child["names"][0]
    given_pool = data["given_female"] if child["sex"] == "female" else data["given_male"]
    given, family = _entry(first["given"], given_pool), _entry(first["family"], data["family"])
    assert given is not None and family is not None
    used = {name["script"] for name in child["names"]}
    script = next((s for s in SCRIPTS if s not in used), rnd.choice(SCRIPTS))
    name = {"given": given[script], "family": family[script], "script": script}
    if variant == 1:  # a family name misspelt in Latin script
        latin = family["latn"]
        name = {"given": given["latn"], "family": latin[:3] + latin[4:], "script": "latn"}
    again["names"] = [name]
    value = child["birth_date"]["value"]
    if variant == 2 and len(value) == 10 and int(value[8:]) <= 12:
        again["birth_date"]["value"] = f"{value[:4]}-{value[8:]}-{value[5:7]}"
    if variant == 3:
        again.pop("identifiers", None)
    again["meta"]["district"] = rnd.choice(DISTRICTS)
    return again


def show_keys() -> None:
    """Why the matcher gets keys: generic transliteration leaves one name several strings."""
    print(f"{'written':16} {'anyascii':16} name_key")
    for text in ("Հովհաննիսյան", "Оганесян", "Hovhannisyan", "Hovannisian", "Ovanesyan"):
        print(f"{text:16} {anyascii(text):16} {name_key(text)}")
    print()


def main() -> None:
    """Build the set, link it and print what was found against what was planted."""
    logging.getLogger("splink").setLevel(logging.ERROR)  # "level not observed" notices
    show_keys()
    rnd = random.Random(SEED)
    start = time.perf_counter()
    children = make_children(CHILDREN, rnd)
    originals = rnd.sample(children, TWICE)
    copies = [register_again(child, index % 4, rnd) for index, child in enumerate(originals)]
    planted = {
        frozenset({f"child/{a['id']}", f"child/{b['id']}"})
        for a, b in zip(originals, copies, strict=True)
    }
    records = [Child.model_validate(payload) for payload in children + copies]
    rows = person_rows(records)
    names = {f"child/{p['id']}": p["names"] for p in children + copies}
    print(f"{len(rows)} children, {len(planted)} registered twice")

    clusters = predict_clusters(rows, threshold=0.9)
    found = {frozenset(cluster) for cluster in clusters}
    for cluster in clusters:
        mark = "planted" if frozenset(cluster) in planted else "extra"
        print(f"cluster ({mark}):")
        for unique_id in cluster:
            written = "; ".join(
                f"{name.get('given', '')} {name.get('family', '')} [{name['script']}]"
                for name in names[unique_id]
            )
            print(f"    {unique_id}  {written}")
    hits = len(found & planted)
    print(
        f"found {hits} of {len(planted)} planted pairs, {len(found - planted)} other clusters, "
        f"{time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()

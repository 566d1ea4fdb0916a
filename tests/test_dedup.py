"""casestd.dedup's public face: what a user calls, loaded on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import casestd.dedup


def test_the_face_is_what_a_user_calls() -> None:
    assert set(casestd.dedup.__all__) == {
        "Cluster",
        "Deduplication",
        "Evidence",
        "Overlap",
        "PersonKeys",
        "Provider",
        "Summary",
        "find_duplicates",
        "keys",
        "matching_keys",
        "name_key",
        "protect",
        "record_keys",
        "service_overlaps",
    }
    for name in casestd.dedup.__all__:
        value = getattr(casestd.dedup, name)
        assert value.__module__.startswith("casestd.dedup."), name
        assert name in dir(casestd.dedup)
    with pytest.raises(AttributeError):
        casestd.dedup.deduplicate  # noqa: B018 - removed: find_duplicates has the summary


def test_validation_does_not_load_the_linking() -> None:
    """The rules take the persons walk from casestd.dedup.records, and nothing more."""
    code = (
        "import sys, casestd\n"
        "casestd.validate('child', {})\n"
        "assert 'casestd.dedup.records' in sys.modules\n"
        "print(sorted(m for m in sys.modules if m.startswith('casestd.dedup')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['casestd.dedup', 'casestd.dedup.records']"

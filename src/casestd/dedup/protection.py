"""Keyed hashing of match keys, so agencies can compare people without sharing them.

Two agencies that hold the same secret run `protect` over their keys and
exchange only the result: equal plain values give equal protected values
under the same key name, and nothing else can be read back without the
secret. docs/privacy.md states what this does and does not hide.

>>> secret = bytes(range(32))
>>> a = protect({"psn": {"1234567890"}}, secret)
>>> b = protect({"psn": {"1234567890"}, "phone": {"+37491123456"}}, secret)
>>> a["psn"] == b["psn"], len(next(iter(a["psn"])))
(True, 64)
>>> protect({"psn": {"1234567890"}}, b"short")
Traceback (most recent call last):
ValueError: the secret must be at least 16 bytes
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping

#: Shortest secret accepted, in bytes.
MIN_SECRET_BYTES = 16
#: Default context: the scheme and its version, mixed into every value.
DEFAULT_CONTEXT = "casestd-dedup-v1"


def _message(context: str, name: str, value: str) -> bytes:
    """Length-prefixed parts, so no two (context, name, value) give the same bytes."""
    out = bytearray()
    for part in (context, name, value):
        data = part.encode("utf-8")
        out += len(data).to_bytes(4, "big") + data
    return bytes(out)


def protect(
    keys: Mapping[str, Iterable[str]],
    secret: bytes,
    *,
    context: str = DEFAULT_CONTEXT,
) -> dict[str, frozenset[str]]:
    """Replace every key value by its HMAC-SHA256 (hex) under ``secret``.

    The key name and ``context`` are mixed in, so an equal value under two key
    names (or two contexts) gives unrelated outputs. Use a new random secret
    (``secrets.token_bytes(32)``) for each exchange. Raises TypeError when
    ``secret`` is not bytes and ValueError when it is shorter than 16 bytes
    or ``context`` is empty; the messages never contain key values.
    """
    if not isinstance(secret, bytes | bytearray):
        raise TypeError("the secret must be bytes")
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the secret must be at least {MIN_SECRET_BYTES} bytes")
    if not context:
        raise ValueError("the context must not be empty")
    key = bytes(secret)
    return {
        name: frozenset(
            hmac.new(key, _message(context, name, value), hashlib.sha256).hexdigest()
            for value in values
        )
        for name, values in keys.items()
    }

"""A package's public names, each loaded from its module on first use (PEP 562).

A package whose ``__init__`` imported every module would make importing one
light module (`casestd.dedup.records`, the population generator without
hypothesis) load them all. With `exports`, the package names where each
public name lives, and the module is imported when the name is first read.

>>> import casestd.dedup
>>> casestd.dedup.name_key("Акопян")
'akopyan'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any


def exports(
    namespace: MutableMapping[str, Any], homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for the package whose ``globals()`` is ``namespace``.

    ``homes`` maps each public name to the module, relative to the package,
    that defines it. A name read once is kept in ``namespace``.
    """
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *homes})

    return __getattr__, __dir__


__all__ = ["exports"]

"""What this package implements: the standard's version and languages, and its own version.

A leaf module: it imports nothing of casestd, so any module may import it
(``casestd.STANDARD_VERSION`` is the same object).

>>> STANDARD_VERSION, LANGUAGES
('2.1.0', ('en', 'hy', 'ru'))
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

#: Version of the standard (schemas, code lists, rules) this package implements.
STANDARD_VERSION = "2.1.0"
#: The languages of the standard: every label and message exists in each of them.
LANGUAGES: tuple[str, ...] = ("en", "hy", "ru")

try:
    __version__ = _version("casestd")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["LANGUAGES", "STANDARD_VERSION", "__version__"]

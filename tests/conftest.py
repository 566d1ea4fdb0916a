"""What every test module shares: the helpers of this folder are importable by name.

pytest runs with ``--import-mode=importlib``, which puts no test folder on
``sys.path``. This conftest, loaded before any test module, puts this folder
there once, so that a test module imports its helpers (`factories`) with a
plain ``from factories import child`` and mypy reads the same import.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

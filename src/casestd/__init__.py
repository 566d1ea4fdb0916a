"""casestd: the shared definition of child-protection and counter-trafficking case data.

>>> import casestd
>>> sorted(casestd.ENTITIES)
['case', 'child', 'family', 'referral', 'service', 'trafficking_victim']
>>> report = casestd.validate("child", {"id": "not-a-uuid"})
>>> report.ok
False
>>> report.findings[0].to_dict()["rule"]
'field.format'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from casestd import codes
from casestd.model import ENTITIES
from casestd.report import Finding, Report
from casestd.rules.engine import Deadlines, RuleContext
from casestd.validation import validate

#: Version of the standard (schemas, code lists, rules) this package implements.
STANDARD_VERSION = "1.0.0"

try:
    __version__ = _version("casestd")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "ENTITIES",
    "STANDARD_VERSION",
    "Deadlines",
    "Finding",
    "Report",
    "RuleContext",
    "__version__",
    "codes",
    "validate",
]

"""casestd: the shared definition of child-protection and counter-trafficking case data.

>>> import casestd
>>> sorted(casestd.ENTITIES)
['case', 'child', 'family', 'organisation', 'perpetrator', 'referral', 'service',
 'trafficking_victim']
>>> report = casestd.validate("child", {"id": "not-a-uuid"})
>>> report.ok
False
>>> report.findings[0].to_dict()["rule"]
'field.format'
"""

from __future__ import annotations

from casestd import codes
from casestd.model import ENTITIES
from casestd.report import Finding, Report
from casestd.rules.engine import Deadlines, RuleContext
from casestd.validation import validate
from casestd.version import STANDARD_VERSION, __version__

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

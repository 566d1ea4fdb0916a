"""The errors of the cleaners: a `ValueError` that never quotes the value it rejects.

>>> from casestd.normalise import psn
>>> try:
...     psn.validate("12345")
... except InvalidLength as error:
...     print(error)
a public service number has 10 digits
"""

from __future__ import annotations


class ValidationError(ValueError):
    """A value that is not in its format. The message names the format, never the value."""


class InvalidFormat(ValidationError):
    """The value has characters or a shape the format does not allow."""


class InvalidLength(ValidationError):
    """The value has the wrong number of characters or digits."""


class InvalidComponent(ValidationError):
    """A part of the value is out of range: not a calendar date, not a number in use."""


__all__ = ["InvalidComponent", "InvalidFormat", "InvalidLength", "ValidationError"]

"""One cleaner per national format, in the shape of python-stdnum.

Each module cleans and checks one kind of value as people in Armenia write
it, with the same small interface:

- ``compact(text)``: the value without what only separates or decorates it,
  the form two writings of one value share (the dedup keys and the linkage
  columns compare these); it checks nothing.
- ``validate(text)``: the value in the form the standard stores, or a
  `ValidationError` (`InvalidFormat`, `InvalidLength`, `InvalidComponent`,
  all `ValueError`) whose message never contains the value.
- ``is_valid(text)``: whether `validate` accepts it.
- ``format(text)``: the value as people write it, where that differs
  (phones, dates).

Modules: `psn` (public service number), `passport`, `id_card`,
`birth_certificate`, `phone` (national ``0XX XXXXXX`` and international, to
E.164), `partial_date` (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``DD.MM.YYYY``,
``D.M.YYYY``), `name` (white space, Unicode form). The formats of the
identifiers come from one data file (`formats`), which the models and the
JSON Schemas use too. Importers call `validate` to convert on purpose;
the models never rewrite a value, they only check it.

>>> from casestd.normalise import phone, partial_date
>>> phone.validate("091 234567"), partial_date.validate("03.04.2015")
('+37491234567', '2015-04-03')
"""

from __future__ import annotations

from casestd.normalise import (
    birth_certificate,
    id_card,
    name,
    partial_date,
    passport,
    phone,
    psn,
)
from casestd.normalise.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

__all__ = [
    "InvalidComponent",
    "InvalidFormat",
    "InvalidLength",
    "ValidationError",
    "birth_certificate",
    "id_card",
    "name",
    "partial_date",
    "passport",
    "phone",
    "psn",
]

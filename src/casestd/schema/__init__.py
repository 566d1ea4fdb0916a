"""JSON Schema (draft 2020-12) for every entity, generated from the models.

>>> from casestd.schema import json_schema
>>> schema = json_schema("child")
>>> schema["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> schema["$id"]
'https://schemas.casestd.org/2.1.0/child.schema.json'
"""

from casestd.schema.export import (
    DEFAULT_BASE_URI,
    DRAFT,
    bundle,
    codes_schema,
    json_schema,
    keywords,
    schema_files,
)

__all__ = [
    "DEFAULT_BASE_URI",
    "DRAFT",
    "bundle",
    "codes_schema",
    "json_schema",
    "keywords",
    "schema_files",
]

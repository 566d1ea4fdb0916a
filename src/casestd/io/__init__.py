"""Readers that turn files into records for validation."""

from casestd.io.records import Item, ReadError, read_records

__all__ = ["Item", "ReadError", "read_records"]

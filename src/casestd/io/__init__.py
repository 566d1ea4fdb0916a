"""Readers that turn files into records for validation, and where each record is."""

from casestd.io.location import ItemLocation, LineLocation, Location
from casestd.io.records import Item, read_records

__all__ = ["Item", "ItemLocation", "LineLocation", "Location", "read_records"]

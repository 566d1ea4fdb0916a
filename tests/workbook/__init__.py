"""Tests of casestd.workbook, one module per module."""

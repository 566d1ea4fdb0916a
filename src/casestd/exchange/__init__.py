"""Other standards' formats: HTCDS 2.0 exchange and the CTDC 2024 export.

- `casestd.exchange.ctdc`: trafficking victims as rows of CTDC's global codebook,
  k-anonymous (k >= 11) over every released column;
- `casestd.exchange.htcds`: records as HTCDS 2.0 spreadsheets (CSV or XLSX, field
  names and value names) and HTCDS spreadsheets back into validated records.

Each module's mapping is data (``data/ctdc.json``, ``data/htcds.json``), read once.
"""

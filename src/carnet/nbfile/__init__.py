"""Notebook files as bytes on disk <-> notebook dicts: parsing, writing, validating.

Below both the server's contents service and `carnet trust`, which read notebooks the
same way; it knows nothing of either (no HTTP, no signatures).
"""

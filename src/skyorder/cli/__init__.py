"""The ``skyorder`` command line."""

"""Front ends compatible with vendors' documented APIs (``../shared/seeds``)."""

"""skyorder: an ordering platform for Earth-observation imagery."""

__version__ = "0.1.0"

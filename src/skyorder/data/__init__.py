"""Data files shipped with skyorder (the built-in product catalogue)."""

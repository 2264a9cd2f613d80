"""The native API under /v1."""

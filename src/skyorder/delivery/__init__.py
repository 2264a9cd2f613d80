"""Delivery: object stores, signed download links and push delivery to customer buckets."""

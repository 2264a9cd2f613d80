"""Repositories: the only code that reads or writes tables. Every read takes the caller."""

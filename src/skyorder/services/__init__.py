"""Use cases: each takes a unit of work and the caller, and commits or changes nothing."""

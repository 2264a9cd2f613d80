"""The ground-segment simulator: weather, mission planning and capture outcomes.

It stands in for a provider's own ground segment in sandbox mode: a seeded cloud model
(``weather``), a planner that turns tasking requests into capture attempts on the
constellation's passes (``planner``), and a tasking backend that decides each attempt's
outcome (``backend``). Everything here is pure and deterministic for a seed.
"""

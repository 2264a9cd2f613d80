"""The core domain: aggregates, state machines and rules. No I/O lives here."""

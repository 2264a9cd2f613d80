"""Pages for people: the hosted sandbox checkout (and, later, the console)."""

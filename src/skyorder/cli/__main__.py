"""``python -m skyorder.cli``."""

from skyorder.cli.main import app

app()

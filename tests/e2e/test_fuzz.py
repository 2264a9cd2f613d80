"""Schemathesis over the whole OpenAPI document of a real server: no 5xx, answers as documented.

``make test`` runs a small, seeded budget (every operation, a few examples each);
``make fuzz`` runs the same with a large one (``SKYORDER_FUZZ_EXAMPLES``). The
sandbox clock's advance is left out: an example may move time by ten years and run
every step that falls due, which is a load test, not a fuzz case.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import running_server

pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("SKYORDER_FUZZ_EXAMPLES", "3"))
PHASES = os.environ.get("SKYORDER_FUZZ_PHASES", "examples,fuzzing")
SEED = os.environ.get("SKYORDER_FUZZ_SEED", "20261206")


def test_no_operation_answers_5xx_or_breaks_its_documented_schema(
    tmp_path: Path, database_url: str, engine: Any
) -> None:
    from tests.conftest import _empty

    _empty(engine)
    with running_server(tmp_path, database_url) as server:
        cmd = [
            str(Path(sys.executable).with_name("st")),
            "--no-color",
            "run",
            f"{server.base_url}/openapi.json",
            "--header",
            f"X-API-Key: {server.creds['api_key']}",
            "--seed",
            SEED,
            "--max-examples",
            str(EXAMPLES),
            "--phases",
            PHASES,
            "--checks",
            "not_a_server_error,response_schema_conformance",
            "--workers",
            "2",
            "--request-timeout",
            "60",
            "--exclude-path",
            "/v1/sandbox/clock/advance",
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=3000)
        assert server.alive()
    summary = "\n".join(result.stdout.splitlines()[-40:])
    assert result.returncode == 0, summary

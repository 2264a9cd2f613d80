"""The native API's wire models load without the server, so an SDK can share them."""

import json
import subprocess
import sys

import skyorder.schemas

# What an SDK must not need: the web framework, the database, the raster stack, and the
# server's own layers above the core.
SERVER_MODULES = (
    "sqlalchemy",
    "fastapi",
    "starlette",
    "rasterio",
    "skyorder.services",
    "skyorder.store",
    "skyorder.orbits",
    "skyorder.api",
)

# Runs in a fresh interpreter: this test process has the whole server loaded already.
PROBE = """
import importlib, json, pkgutil, sys
import skyorder.schemas as wire
names = sorted(m.name for m in pkgutil.iter_modules(wire.__path__, wire.__name__ + "."))
for name in names:
    importlib.import_module(name)
print(json.dumps({"imported": names, "loaded": sorted(sys.modules)}))
"""


def _is_server(module: str) -> bool:
    return any(module == root or module.startswith(root + ".") for root in SERVER_MODULES)


def test_the_wire_models_import_without_the_server_code() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    report = json.loads(done.stdout)
    assert f"{skyorder.schemas.__name__}.orders" in report["imported"]
    server = [m for m in report["loaded"] if _is_server(m)]
    assert server == [], f"importing the wire models loaded {len(server)} server modules"

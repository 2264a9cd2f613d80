"""The house's layer rules, read from the source with ``ast`` (``../shared/DESIGN.md``).

Front ends → façade → services and core → store: each row of ``RULES`` names a
layer, the imports it may not make, and the modules allowed an exception (with
the reason). A violation fails with the file, the line and the rule.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
FRONT_ENDS = ("native", "stac", "stapi", "console", "compat")


@dataclass(frozen=True)
class Rule:
    """Modules under ``layer`` may not import any of ``forbidden`` (prefixes)."""

    layer: str
    forbidden: tuple[str, ...]
    why: str
    exceptions: dict[str, tuple[str, ...]] = field(default_factory=dict)


IO = ("fastapi", "starlette", "sqlalchemy", "rasterio", "httpx", "boto3", "psycopg")
# Everything above the core (and the engines beside it): what the core and the wire models
# may not import.
OUTER = (
    "skyorder.api",
    "skyorder.facade",
    "skyorder.services",
    "skyorder.store",
    "skyorder.delivery",
    "skyorder.processing",
    "skyorder.orbits",
    "skyorder.sim",
    "skyorder.worker",
    "skyorder.cli",
    "skyorder.runtime",
)  # fmt: skip
RULES = [
    Rule(
        "skyorder.core",
        (*IO, *OUTER),
        "the core does no I/O and knows no outer layer",
    ),
    Rule(
        "skyorder.api",
        (
            "sqlalchemy",
            "skyorder.store",
            "skyorder.services",
            "skyorder.runtime",
            "skyorder.worker",
            "skyorder.processing",
            "skyorder.sim",
            "skyorder.orbits",
        ),  # fmt: skip
        "front ends call the application façade only",
        {
            "skyorder.api.app": ("skyorder.runtime", "skyorder.services.agenda"),
        },
    ),
    Rule(
        "skyorder.services",
        ("skyorder.api", "skyorder.facade", "skyorder.cli", "fastapi", "starlette"),
        "use cases know no front end",
    ),
    Rule(
        "skyorder.store",
        ("skyorder.api", "skyorder.facade", "skyorder.services", "skyorder.cli", "fastapi"),
        "the store knows only the core",
    ),
    Rule(
        "skyorder.schemas",
        (*IO, *OUTER),
        "the wire models load without the server (the SDK shares them)",
    ),
    Rule(
        "skyorder.facade",
        ("skyorder.api", "skyorder.cli", "fastapi", "starlette"),
        "the façade serves every front end and knows none",
    ),
]


@dataclass(frozen=True)
class Import:
    module: str
    line: int
    names: tuple[str, ...] = ()


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[Import]:
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = tuple(alias.name for alias in node.names)
            found.append(Import(node.module, node.lineno, names))
    return found


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def violations(rule: Rule, modules: dict[str, Path]) -> list[str]:
    out = []
    for name, path in sorted(modules.items()):
        if not _under(name, rule.layer):
            continue
        allowed = rule.exceptions.get(name, ())
        for imp in imports_of(path):
            targets = [imp.module, *(f"{imp.module}.{n}" for n in imp.names)]
            for bad in rule.forbidden:
                if any(_under(t, bad) for t in targets) and not any(
                    _under(imp.module, a) or _under(a, imp.module) for a in allowed
                ):
                    out.append(
                        f"{path.relative_to(SRC)}:{imp.line} imports {imp.module} ({rule.why})"
                    )
                    break
    return out


def front_end_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 3 and parts[:2] == ["skyorder", "api"] and parts[2] in FRONT_ENDS:
        return (
            ".".join(parts[:4]) if parts[2] == "compat" and len(parts) > 3 else ".".join(parts[:3])
        )
    return None


def cross_front_end_imports(modules: dict[str, Path]) -> list[str]:
    out = []
    for name, path in sorted(modules.items()):
        own = front_end_of(name)
        if own is None:
            continue
        for imp in imports_of(path):
            other = front_end_of(imp.module)
            if other is not None and other != own and not _under(own, other):
                out.append(f"{path.relative_to(SRC)}:{imp.line} imports {imp.module}")
    return out


def unit_of_work_calls(modules: dict[str, Path]) -> list[str]:
    """Calls a front end must leave to the façade: ``.uow(...)``, ``.commit()``."""
    out = []
    for name, path in sorted(modules.items()):
        if not _under(name, "skyorder.api"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in ("uow", "commit", "rollback"):
                    out.append(f"{path.relative_to(SRC)}:{node.lineno} calls .{node.func.attr}()")
    return out


@pytest.fixture(scope="module")
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in (SRC / "skyorder").rglob("*.py")}


@pytest.mark.parametrize("rule", RULES, ids=[r.layer for r in RULES])
def test_each_layer_imports_only_what_it_may(rule: Rule, modules: dict[str, Path]) -> None:
    assert violations(rule, modules) == []


def test_no_front_end_imports_another(modules: dict[str, Path]) -> None:
    assert cross_front_end_imports(modules) == []


def test_no_front_end_opens_a_unit_of_work_or_commits(modules: dict[str, Path]) -> None:
    assert unit_of_work_calls(modules) == []


def test_the_rules_catch_a_violation(tmp_path: Path) -> None:
    """The checks are not vacuous: a planted front end that breaks each rule is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from skyorder.store.uow import UnitOfWork\n"
        "from skyorder.api.native.orders import item_json\n"
        "def f(runtime):\n    with runtime.uow() as uow:\n        uow.commit()\n"
    )
    planted = {"skyorder.api.stapi.bad": bad}
    api_rule = next(r for r in RULES if r.layer == "skyorder.api")
    global SRC
    saved, SRC = SRC, tmp_path
    try:
        assert len(violations(api_rule, planted)) == 1
        assert len(cross_front_end_imports(planted)) == 1
        assert len(unit_of_work_calls(planted)) == 2
    finally:
        SRC = saved

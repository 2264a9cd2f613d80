"""Step kinds are named once: every scheduler uses ``StepKind``, no module spells one out."""

from __future__ import annotations

import ast
from pathlib import Path

from skyorder.core.steps import StepKind

SRC = Path(__file__).resolve().parents[2] / "src" / "skyorder"
REGISTRY = SRC / "core" / "steps.py"
SCHEDULING = ("schedule", "schedule_new")


def scheduled_kinds(tree: ast.AST) -> list[tuple[int, str]]:
    """Each ``.schedule(kind, ...)`` call's line and its kind as written."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SCHEDULING
            and node.args
        ):
            found.append((node.lineno, ast.unparse(node.args[0])))
    return found


def spelled_out(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants that are a step kind's value (docstrings mention them in passing)."""
    values = {k.value for k in StepKind}
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in values
    )


def sources() -> dict[Path, ast.AST]:
    return {p: ast.parse(p.read_text(), str(p)) for p in sorted(SRC.rglob("*.py"))}


def test_every_scheduled_step_names_a_registered_kind() -> None:
    members = {f"StepKind.{k.name}" for k in StepKind}
    unknown = [
        f"{path.relative_to(SRC)}:{line} schedules {kind}"
        for path, tree in sources().items()
        for line, kind in scheduled_kinds(tree)
        if kind not in members
    ]
    assert unknown == []


def test_no_module_spells_out_a_step_kind() -> None:
    bare = [
        f"{path.relative_to(SRC)}:{line} {value!r}"
        for path, tree in sources().items()
        if path != REGISTRY
        for line, value in spelled_out(tree)
    ]
    assert bare == []


def test_the_checks_catch_a_bare_kind() -> None:
    tree = ast.parse(
        'uow.agenda.schedule("order.fulfil", order.id, at, at)\nKIND = "webhook.deliver"'
    )
    assert scheduled_kinds(tree) == [(1, "'order.fulfil'")]
    assert spelled_out(tree) == [(1, "order.fulfil"), (2, "webhook.deliver")]

"""The work pipeline's registry: every step kind has exactly one handler in the runtime."""

from __future__ import annotations

import pytest

from skyorder.core.steps import StepKind
from skyorder.runtime import Runtime
from skyorder.services.pipeline import IncompletePipeline, complete


def test_the_runtime_has_a_handler_for_every_step_kind_and_no_other(runtime: Runtime) -> None:
    assert runtime.agenda.kinds == set(StepKind)


def test_a_handler_table_that_leaves_a_kind_out_is_refused() -> None:
    table = {kind: (lambda uow, step, now: None) for kind in StepKind}
    del table[StepKind.DELIVERABLE_PUSH]
    with pytest.raises(IncompletePipeline, match=r"no handler for step kinds: deliverable\.push"):
        complete(table)

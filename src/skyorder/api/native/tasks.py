"""An order item's tasks: one per occurrence of a tasking item, one per archive image."""

from __future__ import annotations

from fastapi import APIRouter

from skyorder.api.deps import FacadeDep, PrincipalDep
from skyorder.schemas.tasks import TaskOut

router = APIRouter(prefix="/v1/items", tags=["orders"])


@router.get("/{item_id}/tasks", response_model=list[TaskOut])
def item_tasks(item_id: str, facade: FacadeDep, principal: PrincipalDep) -> list[TaskOut]:
    """The item's tasks in order: each with its window, status, strips, tokens and transaction.

    A recurring item is transacted for task by task, as each occurrence is planned; what an
    occurrence misses is given back when it ends.
    """
    record = facade.order_items.get(principal, item_id)
    return [TaskOut.of(t) for t in record.tasks]

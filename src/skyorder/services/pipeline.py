"""The work pipeline: every agenda step kind with the one handler that does it.

:class:`~skyorder.core.steps.StepKind` names the kinds; :func:`step_handlers` gives
each its handler, and refuses to build a table that leaves one out, so a kind cannot
be scheduled and then never worked. The runtime builds the agenda on this table.

How the work flows (each arrow a step scheduled in the transaction that makes it due)::

    order accepted ─ order.fulfil ─┬─ deliverable.process* ─ deliverable.push*
                                   └─ capture.attempt ─ capture.deliver ─ deliverable.process*
                                      item.window_end (each tasking occurrence's end)
    any event saved ─ webhook.deliver* (per matching subscription)
    monthly contract's order placed ─ contract.settle_month (each month's start, while open)

Steps marked * are leased jobs: their slow part (raster processing, an upload, an
HTTP call) runs outside any transaction (:class:`~skyorder.services.agenda.Job`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from skyorder.core.clock import Clock
from skyorder.core.steps import StepKind
from skyorder.delivery.objects import ObjectStore
from skyorder.delivery.outbound import OutboundPolicy
from skyorder.delivery.push import PushDeliverable
from skyorder.services.agenda import Handler, Job
from skyorder.services.fulfilment import ProcessDeliverable, deliver_capture, fulfil_order
from skyorder.services.imagery import Imagery
from skyorder.services.statements import settle_month
from skyorder.services.tasking_plan import TaskingPlanning
from skyorder.services.webhook_delivery import Sender, WebhookDeliveryJob


class IncompletePipeline(Exception):
    """A step kind has no handler (a programming error, found when the runtime is built)."""


def complete(table: Mapping[StepKind, Handler | Job]) -> dict[StepKind, Handler | Job]:
    """``table`` as a dict, once it is sure to give every step kind a handler.

    Raises:
        IncompletePipeline: naming the kinds left out.
    """
    missing = [kind.value for kind in StepKind if kind not in table]
    if missing:
        raise IncompletePipeline(f"no handler for step kinds: {', '.join(missing)}")
    return dict(table)


def step_handlers(
    *,
    imagery: Imagery,
    objects: ObjectStore,
    work: Path,
    planning: TaskingPlanning,
    outbound: OutboundPolicy,
    send_webhook: Sender,
    signing_clock: Clock,
) -> dict[StepKind, Handler | Job]:
    """The handler of every step kind.

    Args:
        imagery: scenes to make products from (its pipeline settings and resolutions).
        objects: the platform's object store (products are put there, pushes read it).
        work: the folder products are made in.
        planning: the tasking steps, bound to a tasking backend.
        outbound: where pushes may connect (webhooks are vetted by their sender).
        send_webhook: POSTs one signed webhook request.
        signing_clock: stamps ``webhook-timestamp`` (the wall clock: receivers check it).
    """
    return complete(
        {
            StepKind.ORDER_FULFIL: fulfil_order(planning.plan_item),
            StepKind.DELIVERABLE_PROCESS: ProcessDeliverable(imagery, objects, work),
            StepKind.DELIVERABLE_PUSH: PushDeliverable(objects, outbound),
            StepKind.CAPTURE_ATTEMPT: planning.attempt,
            StepKind.CAPTURE_DELIVER: deliver_capture,
            StepKind.ITEM_WINDOW_END: planning.window_end,
            StepKind.WEBHOOK_DELIVER: WebhookDeliveryJob(send_webhook, signing_clock),
            StepKind.CONTRACT_SETTLE_MONTH: settle_month,
        }
    )

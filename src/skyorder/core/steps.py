"""The kinds of agenda step: every piece of work the platform schedules, named once.

A step is "at time T, do X to entity E"; its kind is the X. Every scheduler names a
kind from :class:`StepKind` (never a bare string) and the runtime gives every kind
exactly one handler (``services/pipeline.py``), so a kind cannot be scheduled without
being worked, nor two modules disagree on its spelling. The values are stored in the
agenda table: renaming one needs a migration of the rows still due.
"""

from __future__ import annotations

from enum import StrEnum


class StepKind(StrEnum):
    """The agenda's step kinds, with the entity each one's id names."""

    ORDER_FULFIL = "order.fulfil"
    """Order: an accepted order goes in progress; its items get deliverables or captures."""
    DELIVERABLE_PROCESS = "deliverable.process"
    """Deliverable: make the product outside any transaction (a job), then deliver it."""
    DELIVERABLE_PUSH = "deliverable.push"
    """Deliverable: upload a delivered one to its order's bucket (a job)."""
    CAPTURE_ATTEMPT = "capture.attempt"
    """Capture: decide a scheduled capture's outcome at its start, then plan again."""
    CAPTURE_DELIVER = "capture.deliver"
    """Capture: a collected capture gets its deliverables."""
    ITEM_WINDOW_END = "item.window_end"
    """Order item: judge the tasking occurrence ending now; plan the next or end."""
    WEBHOOK_DELIVER = "webhook.deliver"
    """Webhook delivery: one attempt at POSTing an event to a subscription (a job)."""
    CONTRACT_SETTLE_MONTH = "contract.settle_month"
    """Contract billed monthly: at a month's start, issue the month before's statement."""

"""The agenda: due work kept in the database ("at time T, do X to entity E").

Every step is scheduled through :class:`AgendaRepository` with a
:class:`~skyorder.core.steps.StepKind`; nothing else writes the agenda table.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import Connection

from skyorder.core.steps import StepKind
from skyorder.store import tables as t

DUE, DONE, FAILED = "due", "done", "failed"


@dataclass(frozen=True)
class Step:
    """One piece of due work."""

    pk: int
    kind: str
    """A :class:`StepKind` value (as stored: a row written by other code may hold another)."""
    entity_id: str
    due_at: datetime
    attempt: int
    organisation_id: str | None = None
    """Whose sandbox time the step runs on (None: the server's)."""


def _new_row(
    kind: str, entity_id: str, due_at: datetime, at: datetime, organisation_id: str | None
) -> dict[str, object]:
    return {
        "kind": kind,
        "entity_id": entity_id,
        "due_at": due_at,
        "attempt": 0,
        "state": DUE,
        "created_at": at,
        "organisation_id": organisation_id,
    }


class AgendaRepository:
    """Schedules and claims steps; claiming never blocks another worker."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.scheduled: list[datetime] = []
        """When the steps this transaction added are due (for wake-ups after commit)."""

    def schedule(
        self,
        kind: StepKind,
        entity_id: str,
        due_at: datetime,
        at: datetime,
        organisation_id: str | None = None,
    ) -> None:
        """Add a step unless the same step is already scheduled.

        ``due_at`` is in the time of ``organisation_id`` (whose entity the step is for).
        """
        name = str(kind)  # the value, whatever a driver would make of an enum
        exists = self.conn.execute(
            select(t.agenda.c.pk).where(
                t.agenda.c.kind == name,
                t.agenda.c.entity_id == entity_id,
                t.agenda.c.due_at == due_at,
            )
        ).first()
        if exists is None:
            self.conn.execute(
                t.agenda.insert(), _new_row(name, entity_id, due_at, at, organisation_id)
            )
            self.scheduled.append(due_at)

    def schedule_new(
        self,
        kind: StepKind,
        due: Sequence[tuple[str, datetime]],
        at: datetime,
        organisation_id: str | None = None,
    ) -> None:
        """Add one step per ``(entity id, due time)`` for entities made in this transaction.

        Nothing can be scheduled yet for an entity that did not exist, so there is no
        duplicate to look for: one insert for the lot (the webhook fan-out's batches).
        """
        if not due:
            return
        name = str(kind)
        self.conn.execute(
            t.agenda.insert(),
            [_new_row(name, entity_id, due_at, at, organisation_id) for entity_id, due_at in due],
        )
        self.scheduled.extend(due_at for _, due_at in due)

    def claim_next(
        self,
        until: datetime,
        skip: Collection[int] = (),
        *,
        organisation_id: str | None = None,
        ahead: Mapping[str, timedelta] | None = None,
    ) -> Step | None:
        """The earliest due step at or before ``until``, locked for this transaction.

        With ``organisation_id``, only that organisation's steps, ``until`` being its time.
        Otherwise every step, ``until`` being the server's time, and the steps of each
        organisation in ``ahead`` due up to that much later (its time runs ahead).
        Rows in ``skip`` (steps the caller's process has under way) are passed over.
        """
        return self._next(until, skip, organisation_id, ahead, lock=True)

    def peek_next(
        self,
        until: datetime,
        skip: Collection[int] = (),
        *,
        organisation_id: str | None = None,
        ahead: Mapping[str, timedelta] | None = None,
    ) -> Step | None:
        """What :meth:`claim_next` would claim now, without locking it (a read-only look)."""
        return self._next(until, skip, organisation_id, ahead, lock=False)

    def _next(
        self,
        until: datetime,
        skip: Collection[int],
        organisation_id: str | None,
        ahead: Mapping[str, timedelta] | None,
        *,
        lock: bool,
    ) -> Step | None:
        c = t.agenda.c
        if organisation_id is not None:
            due = and_(c.organisation_id == organisation_id, c.due_at <= until)
        elif ahead:
            on_server_time = or_(c.organisation_id.is_(None), c.organisation_id.not_in(list(ahead)))
            due = or_(
                and_(on_server_time, c.due_at <= until),
                *(
                    and_(c.organisation_id == org, c.due_at <= until + lead)
                    for org, lead in ahead.items()
                ),
            )
        else:
            due = c.due_at <= until
        stmt = select(t.agenda).where(c.state == DUE, due).order_by(c.due_at, c.pk).limit(1)
        if skip:
            stmt = stmt.where(c.pk.not_in(sorted(skip)))
        if lock and self.conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        row = self.conn.execute(stmt).first()
        if row is None:
            return None
        return Step(row.pk, row.kind, row.entity_id, row.due_at, row.attempt, row.organisation_id)

    def next_due_at(self) -> datetime | None:
        """When the earliest pending step is due."""
        value = self.conn.execute(
            select(func.min(t.agenda.c.due_at)).where(t.agenda.c.state == DUE)
        ).scalar()
        return value if isinstance(value, datetime) else None

    def lease(self, step: Step, until: datetime) -> Step:
        """Hold a claimed step while its work runs outside the transaction.

        The step stays due, at ``until``: if the worker dies before recording the
        outcome, the step comes due again then and another worker redoes it. The lease
        counts as an attempt, so a step that keeps killing its worker ends failed.
        """
        self.conn.execute(
            update(t.agenda)
            .where(t.agenda.c.pk == step.pk)
            .values(due_at=until, attempt=step.attempt + 1)
        )
        return replace(step, due_at=until, attempt=step.attempt + 1)

    def holds(self, step: Step) -> bool:
        """Whether ``step`` is still due at the time of its lease (nobody took it over)."""
        stmt = select(t.agenda.c.pk).where(
            t.agenda.c.pk == step.pk, t.agenda.c.state == DUE, t.agenda.c.due_at == step.due_at
        )
        if self.conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        return self.conn.execute(stmt).first() is not None

    def finish(self, step: Step, at: datetime) -> None:
        """Mark a step done."""
        self.conn.execute(
            update(t.agenda).where(t.agenda.c.pk == step.pk).values(state=DONE, done_at=at)
        )

    def retry(
        self, step: Step, error: str, due_at: datetime | None, *, leased: bool = False
    ) -> None:
        """Record a failed attempt; reschedule it, or give up when ``due_at`` is None.

        A ``leased`` step already counted its attempt when it was leased.
        """
        attempt = max(step.attempt, 1) if leased else step.attempt + 1
        values: dict[str, object] = {"attempt": attempt, "last_error": error[:2000]}
        if due_at is None:
            values["state"] = FAILED
        else:
            values["due_at"] = due_at
        self.conn.execute(update(t.agenda).where(t.agenda.c.pk == step.pk).values(**values))

    def held_runs(self, kind: str) -> set[tuple[str, int]]:
        """(entity id, attempt) of every leased step of ``kind`` that may still record.

        A run may record its outcome while its step is due at its attempt (nobody took
        it over, even if the lease ran out): its files must be left alone until then.
        """
        rows = self.conn.execute(
            select(t.agenda.c.entity_id, t.agenda.c.attempt).where(
                t.agenda.c.kind == kind, t.agenda.c.state == DUE, t.agenda.c.attempt > 0
            )
        )
        return {(str(r.entity_id), int(r.attempt)) for r in rows}

"""The unit of work: one transaction, the repositories on it, rolled back unless committed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from types import TracebackType

from sqlalchemy.engine import Connection, Engine, RootTransaction

from skyorder.store.repositories.agenda import AgendaRepository
from skyorder.store.repositories.billing import (
    CheckoutRepository,
    LedgerRepository,
    QuoteRepository,
)
from skyorder.store.repositories.captures import CaptureRepository
from skyorder.store.repositories.catalog import CatalogRepository
from skyorder.store.repositories.clock import ClockRepository
from skyorder.store.repositories.cloud_delivery import CloudDeliveryRepository
from skyorder.store.repositories.deliverables import DeliverableRepository
from skyorder.store.repositories.events import EventRepository
from skyorder.store.repositories.idempotency import IdempotencyRepository
from skyorder.store.repositories.opportunity_searches import OpportunitySearchRepository
from skyorder.store.repositories.order_items import OrderItemListing
from skyorder.store.repositories.orders import OrderRepository
from skyorder.store.repositories.products import ProductMemo, ProductRepository
from skyorder.store.repositories.sealed_secrets import SealedSecretRepository
from skyorder.store.repositories.sign_in import SignInRepository
from skyorder.store.repositories.sign_in_attempts import SignInAttemptRepository
from skyorder.store.repositories.statements import StatementRepository
from skyorder.store.repositories.subscriptions import SubscriptionRepository
from skyorder.store.repositories.tasks import TaskRepository
from skyorder.store.repositories.tenants import TenantRepository
from skyorder.store.repositories.users import UserRepository
from skyorder.store.repositories.webhooks import WebhookRepository
from skyorder.store.sealing import SecretSealer
from skyorder.store.side_reads import SideReader
from skyorder.store.writers import WriterQueue

WRITER_WAIT_SECONDS = 60.0
"""How long a SQLite write unit of work waits for this process's other writers (as the
busy timeout waits for other processes'); past it, it tries the database anyway."""


class UnitOfWork:
    """``with uow_factory() as uow: ...; uow.commit()``: nothing persists without commit."""

    orders: OrderRepository
    tenants: TenantRepository
    users: UserRepository
    sign_in: SignInRepository
    products: ProductRepository
    captures: CaptureRepository
    tasks: TaskRepository
    order_items: OrderItemListing
    cloud_delivery: CloudDeliveryRepository
    statements: StatementRepository
    deliverables: DeliverableRepository
    events: EventRepository
    idempotency: IdempotencyRepository
    agenda: AgendaRepository
    clock: ClockRepository
    ledger: LedgerRepository
    quotes: QuoteRepository
    checkouts: CheckoutRepository
    catalog: CatalogRepository
    opportunity_searches: OpportunitySearchRepository
    webhooks: WebhookRepository
    sealed_secrets: SealedSecretRepository
    subscriptions: SubscriptionRepository
    sign_in_attempts: SignInAttemptRepository

    def __init__(
        self,
        engine: Engine,
        sealer: SecretSealer,
        *,
        readonly: bool = False,
        autocommit: bool = False,
        side: SideReader | None = None,
        on_scheduled: Callable[[list[datetime]], None] | None = None,
        writer: WriterQueue | None = None,
        products: ProductMemo | None = None,
    ) -> None:
        self._engine = engine
        self._products = products
        self._writer = writer if not readonly else None
        self._writing = False
        self._sealer = sealer
        self._on_scheduled = on_scheduled
        self._side = side
        self._readonly = readonly
        self._autocommit = autocommit
        self._conn: Connection | None = None
        self._tx: RootTransaction | None = None
        self._ends_with_commit = False  # a read-only transaction on PostgreSQL (see _begin)

    def __enter__(self) -> UnitOfWork:
        if self._writer is not None:
            # Past the wait, SQLite's own busy handler takes over (it polls with sleeps).
            self._writing = self._writer.acquire(timeout=WRITER_WAIT_SECONDS)
        try:
            return self._begin()
        except BaseException:
            self._release()
            raise

    def _begin(self) -> UnitOfWork:
        conn = self._engine.connect()
        if self._readonly:
            conn = conn.execution_options(skyorder_readonly=True)
            if conn.dialect.name == "postgresql" and not self._autocommit:
                # BEGIN READ ONLY (no extra round trip): a write fails loudly, so the
                # transaction may end with COMMIT, where a ROLLBACK would make psycopg
                # forget the connection's prepared statements (and send DEALLOCATE ALL):
                # the hot statements were then parsed and planned on every request.
                conn = conn.execution_options(postgresql_readonly=True)
                self._ends_with_commit = True
        if self._autocommit and not self._readonly and conn.dialect.name != "postgresql":
            raise ValueError("autocommit writes are for PostgreSQL (see reserves_apart)")
        if self._autocommit:
            conn = conn.execution_options(
                **(
                    {"isolation_level": "AUTOCOMMIT"}
                    if conn.dialect.name == "postgresql"
                    else {"skyorder_autocommit": True}  # engine.py: no BEGIN
                )
            )
        self._conn = conn
        self._tx = conn.begin()
        # Side reads see only committed data: only read-only units of work use them.
        self.orders = OrderRepository(conn, self._sealer, self._side if self._readonly else None)
        self.tenants = TenantRepository(conn)
        self.users = UserRepository(conn)
        self.sign_in = SignInRepository(conn)
        self.sign_in_attempts = SignInAttemptRepository(conn)
        self.products = ProductRepository(conn, self._products)
        self.captures = CaptureRepository(conn)
        self.tasks = TaskRepository(conn)
        self.order_items = OrderItemListing(conn, self.orders)
        self.cloud_delivery = CloudDeliveryRepository(conn, self._sealer)
        self.statements = StatementRepository(conn)
        self.deliverables = DeliverableRepository(conn)
        self.events = EventRepository(conn)
        self.idempotency = IdempotencyRepository(conn)
        self.agenda = AgendaRepository(conn)
        self.clock = ClockRepository(conn)
        self.ledger = LedgerRepository(conn)
        self.quotes = QuoteRepository(conn)
        self.checkouts = CheckoutRepository(conn)
        self.catalog = CatalogRepository(conn)
        self.opportunity_searches = OpportunitySearchRepository(conn)
        self.webhooks = WebhookRepository(conn, self._sealer)
        self.sealed_secrets = SealedSecretRepository(conn, self._sealer)
        self.subscriptions = SubscriptionRepository(conn)
        return self

    @property
    def connection(self) -> Connection:
        """The unit of work's connection (for read models such as reports)."""
        assert self._conn is not None
        return self._conn

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction: an exception rolls back its part of the work, not the rest."""
        assert self._conn is not None
        tallies = dict(self.orders.tally_changes)
        try:
            with self._conn.begin_nested():
                yield
        except BaseException:
            self.orders.tally_changes = tallies
            raise

    def commit(self) -> None:
        """Make the work durable."""
        assert self._tx is not None
        self.orders.flush_tallies()
        self._tx.commit()
        if self._on_scheduled is not None and self.agenda.scheduled:
            due, self.agenda.scheduled = self.agenda.scheduled, []
            self._on_scheduled(due)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._tx is not None and self._tx.is_active:
                if self._ends_with_commit and exc_type is None:
                    self._tx.commit()
                else:
                    self._tx.rollback()
            if self._conn is not None:
                self._conn.close()
        finally:
            self._release()

    def _release(self) -> None:
        if self._writing and self._writer is not None:
            self._writing = False
            self._writer.release()


class UnitOfWorkFactory:
    """Makes units of work on one engine; their repositories seal secrets with ``sealer``.

    On SQLite, write units of work of this process take turns on a lock before they
    ``BEGIN IMMEDIATE``: SQLite lets a blocked writer poll with growing sleeps (up to
    100 ms each), so under contention the database sat idle while writers slept, and
    the slowest waited seconds. Queued on a lock, the next writer starts the moment the
    last one ends, and writers go in the order they came (:class:`WriterQueue`). Other
    processes (the CLI, a second server) still meet the busy timeout.
    """

    def __init__(self, engine: Engine, sealer: SecretSealer) -> None:
        self.engine = engine
        self.sealer = sealer
        self._writer = WriterQueue() if engine.dialect.name == "sqlite" else None
        self.side = SideReader(engine)
        self.products = ProductMemo()
        self.on_scheduled: Callable[[list[datetime]], None] | None = None
        """Called after each commit that scheduled agenda steps (wake-ups)."""
        self.reserves_apart = engine.dialect.name == "postgresql"
        """Whether a hot counter (an organisation's next order number) is best reserved in
        its own statement, committed at once, before the write transaction that uses it.

        On PostgreSQL writers run side by side and would otherwise queue on the counter's
        row until each commits; on SQLite writers take turns anyway, and a second write
        turn per order would cost more than it saves.
        """

    def __call__(self, *, readonly: bool = False, autocommit: bool = False) -> UnitOfWork:
        """A new unit of work (``readonly`` ones never take SQLite's write lock).

        ``autocommit`` runs each statement on its own on PostgreSQL, without BEGIN and
        ROLLBACK round trips: for hot read paths that need no snapshot and, where
        :attr:`reserves_apart`, for a single write whose row lock must not last (writes
        only on PostgreSQL).
        """
        return UnitOfWork(
            self.engine,
            self.sealer,
            readonly=readonly,
            autocommit=autocommit,
            side=self.side,
            on_scheduled=self.on_scheduled,
            writer=self._writer,
            products=self.products,
        )

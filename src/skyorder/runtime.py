"""The runtime: engine, units of work, clock, tokens and agenda, built once from Settings."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from pathlib import Path

from sqlalchemy.engine import Engine

from skyorder.core.clock import (
    Clock,
    OrganisationClocks,
    SandboxClock,
    SystemClock,
    wall_clock,
)
from skyorder.core.feasibility import CloudOutlook
from skyorder.datadir import SECRETS_KEYS_SETTING, load_keyring, prepare_data_dir, secret_file
from skyorder.delivery.objects import ObjectStore
from skyorder.delivery.outbound import OutboundPolicy
from skyorder.delivery.signing import UrlSigner
from skyorder.delivery.stores import build_object_store, build_signer
from skyorder.facade import Facade
from skyorder.orbits import Constellation, EphemerisCache, load_constellation
from skyorder.processing.environment import PipelineConfig
from skyorder.services.agenda import Agenda
from skyorder.services.archive import Archive
from skyorder.services.auth import TokenService
from skyorder.services.catalog import CatalogArchive
from skyorder.services.imagery import Imagery
from skyorder.services.pipeline import step_handlers
from skyorder.services.principals import PrincipalCache
from skyorder.services.products import install_products, load_products
from skyorder.services.sign_in_attempts import AttemptLimits, SignInAttempts
from skyorder.services.tasking import SharedEphemerisCache
from skyorder.services.tasking_plan import TaskingPlanning
from skyorder.services.wakeups import LocalSignal, WakeSignal, Wakeups
from skyorder.services.webhook_delivery import HttpSender
from skyorder.settings import Settings
from skyorder.sim.backend import SimulatedBackend
from skyorder.sim.weather import SimWeather, weather_for
from skyorder.store.engine import make_engine
from skyorder.store.migrate import upgrade
from skyorder.store.queue_schema import ensure_queue_schema, queue_conninfo
from skyorder.store.sealing import SecretKeysUnusable, SecretSealer
from skyorder.store.uow import UnitOfWorkFactory
from skyorder.worker.queue import QueueSignal

WORK_DIR = "work"
"""Under the data directory: where processing runs make products before storing them."""


@dataclass
class Runtime:
    """Everything a front end or worker needs, wired together."""

    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    clock: Clock
    """The server's clock: what is no organisation's (the demo, the CLI, shared housekeeping)."""
    clocks: OrganisationClocks
    """Each organisation's business time (its own sandbox clock)."""
    tokens: TokenService
    agenda: Agenda
    archive: Archive
    principals: PrincipalCache
    imagery: Imagery
    objects: ObjectStore
    links: UrlSigner
    constellation: Constellation
    ephemeris: EphemerisCache
    cloud: CloudOutlook
    wake_signal: LocalSignal
    """Wakes this process's agenda threads when a step comes due soon."""
    queue_signal: QueueSignal | None = None
    """Wakes worker processes through the job queue (PostgreSQL with ``wake_queue``)."""
    outbound: OutboundPolicy = field(default_factory=OutboundPolicy)
    """Where webhooks and push deliveries may connect (checked on submission and send)."""
    sign_in_attempts: SignInAttempts = field(default_factory=SignInAttempts)
    """The limits on failed console sign-ins (password-guessing protection; the counts are
    in the database)."""
    shares_clock: bool = False
    """Whether other processes move this database's sandbox time too (``shared_clock``):
    the façade then catches up with the saved time before it reads an organisation's."""

    @property
    def work(self) -> Path:
        """Where processing runs make products before storing them."""
        return self.settings.data_dir / WORK_DIR

    @cached_property
    def facade(self) -> Facade:
        """The use cases front ends call (built once, on first use)."""
        return Facade(self)

    def close(self) -> None:
        """Release database connections."""
        if self.queue_signal is not None:
            self.queue_signal.close()
        self.uow.side.close()
        self.engine.dispose()


def _jwt_secret(settings: Settings) -> str:
    if settings.jwt_secret:
        return settings.jwt_secret
    return secret_file(settings.data_dir / "jwt-secret", lambda: secrets.token_urlsafe(48))


def _units_of_work(settings: Settings, engine: Engine) -> UnitOfWorkFactory:
    """Units of work that seal secrets with the configured keys, every stored one sealed.

    Raises:
        SecretKeysUnusable: the keys are malformed or do not open the stored secrets; a
            key file created just now for the purpose is removed again.
    """
    keyring, created = load_keyring(settings)
    uow = UnitOfWorkFactory(engine, SecretSealer(keyring))
    try:
        with uow() as w:
            w.sealed_secrets.sweep()
            w.commit()
    except SecretKeysUnusable as exc:
        if not created:
            raise
        Path(keyring.source).unlink(missing_ok=True)
        raise SecretKeysUnusable(
            f"{keyring.source} is missing, but the database holds secrets sealed with a key "
            f"({exc.key_id}): put back the key file the database was used with, or set "
            f"{SECRETS_KEYS_SETTING}"
        ) from None
    return uow


def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    archive: Archive | None = None,
    engine: Engine | None = None,
    objects: ObjectStore | None = None,
    cloud: CloudOutlook | None = None,
    outbound: OutboundPolicy | None = None,
) -> Runtime:
    """Create the data directory, migrate the database, seal stored secrets, wire services.

    Pass an ``engine`` to share one (already migrated) between runtimes, as tests do,
    ``objects`` to use another object store than the one the settings name, and
    ``outbound`` to vet outbound calls with another resolver (tests).
    """
    outbound = outbound or settings.outbound()
    prepare_data_dir(settings)
    if engine is None:
        engine = make_engine(settings.database())
        upgrade(engine)
        if settings.wake_queue:
            ensure_queue_schema(engine)
    uow = _units_of_work(settings, engine)
    with uow() as w:
        install_products(w, load_products(settings.products_file))
        offset = w.clock.load_offset()
        offsets = w.clock.organisation_offsets()
        w.commit()
    if clock is None:
        clock = SandboxClock(offset) if settings.sandbox else SystemClock()
    clocks = OrganisationClocks(clock, offsets)
    # Security ages on real time, whatever the sandbox clock says (docs/decisions.md).
    wall = wall_clock(clock)
    tokens = TokenService(
        _jwt_secret(settings), timedelta(seconds=settings.token_ttl_seconds), wall
    )
    config = PipelineConfig(threads=settings.processing_threads)
    imagery = Imagery(
        settings.data_dir / "scenes",
        settings.pixel_budget,
        config,
        settings.asset_pixel_budget,
        settings.deliverables_at(),
    )
    objects = objects or build_object_store(settings)
    constellation = load_constellation(settings.constellation_file)
    weather = weather_for(SimWeather(settings.sim_weather), settings.sim_seed)
    # The simulated ground segment plans on its own ephemeris cache (the cache is not
    # shared between threads); a provider plugs its own TaskingBackend in here.
    planning = TaskingPlanning(
        SimulatedBackend(
            constellation,
            weather,
            cache=EphemerisCache(),
            anomaly_rate=settings.sim_anomaly_rate,
            seed=settings.sim_seed,
        )
    )
    steps = step_handlers(
        imagery=imagery,
        objects=objects,
        work=settings.data_dir / WORK_DIR,  # Runtime.work
        planning=planning,
        outbound=outbound,
        send_webhook=HttpSender(settings.webhook_timeout_seconds, outbound),
        # Receivers check webhook-timestamp against real time, even in the sandbox.
        signing_clock=SystemClock(),
    )
    lease = settings.agenda_lease_seconds
    agenda = Agenda(
        uow, clock, steps, lease=timedelta(seconds=lease) if lease else None, clocks=clocks
    )
    wake_signal = LocalSignal()
    queue_signal = (
        QueueSignal(queue_conninfo(engine))
        if settings.wake_queue and engine.dialect.name == "postgresql"
        else None
    )
    signals: list[WakeSignal] = [wake_signal, *([queue_signal] if queue_signal else [])]
    # "Soon" is within a poll: later steps are found by polling in time.
    horizon = timedelta(seconds=settings.agenda_interval_seconds)
    uow.on_scheduled = Wakeups(clock, horizon, signals).scheduled
    # Archive items are priced on their scene's footprint, read from the catalog.
    principals = PrincipalCache(settings.auth_cache_seconds)
    return Runtime(
        settings,
        engine,
        uow,
        clock,
        clocks,
        tokens,
        agenda,
        archive or CatalogArchive(uow),
        principals,
        imagery,
        objects,
        build_signer(settings, wall),
        constellation,
        SharedEphemerisCache(),
        cloud or weather,
        wake_signal,
        queue_signal,
        outbound,
        SignInAttempts(
            AttemptLimits(
                settings.sign_in_failures_per_email,
                settings.sign_in_failures_per_client,
                timedelta(seconds=settings.sign_in_window_seconds),
                timedelta(seconds=settings.sign_in_cooling_seconds),
                settings.sign_in_failures_per_email_total,
            )
        ),
        clocks.sandbox and settings.shares_clock(engine.dialect.name),
    )

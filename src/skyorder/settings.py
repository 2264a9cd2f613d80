"""Settings: one validated object, built once by the app factory or the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from skyorder.core.resolutions import Resolution
from skyorder.delivery.outbound import IPNetwork, OutboundPolicy, parse_networks
from skyorder.store.sealing import check_key


class Settings(BaseSettings):
    """Every setting, from arguments or ``SKYORDER_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="SKYORDER_", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the embedded database and files live.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default: SQLite file in the data directory."
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    public_url: str | None = Field(None, description="Base URL clients reach the server at.")
    sandbox: bool = Field(True, description="Sandbox clock that can be advanced on demand.")
    jwt_secret: str | None = Field(
        None, min_length=32, description="HMAC key for access tokens (at least 32 characters)."
    )
    token_ttl_seconds: int = Field(3600, ge=60, le=86_400)
    session_ttl_seconds: int = Field(
        8 * 3600, ge=60, le=30 * 86_400, description="How long a console sign-in lasts."
    )
    invitation_ttl_seconds: int = Field(
        7 * 86_400, ge=60, description="How long an invitation to choose a password lasts."
    )
    sign_in_failures_per_email: int = Field(
        5,
        ge=1,
        description="Failed console sign-ins for one email from one address before that "
        "address is paused for that email (others may still sign in to it).",
    )
    sign_in_failures_per_email_total: int = Field(
        50,
        ge=1,
        description="Failed console sign-ins for one email from any addresses before the "
        "email is paused everywhere.",
    )
    sign_in_failures_per_client: int = Field(
        20, ge=1, description="Failed console sign-ins from one address before it is paused."
    )
    sign_in_window_seconds: int = Field(
        900, ge=1, description="The window in which failed sign-ins are counted."
    )
    sign_in_cooling_seconds: int = Field(
        900, ge=1, description="How long a paused email or address is refused (wall clock)."
    )
    max_body_bytes: int = Field(1_048_576, ge=1024)
    max_aoi_vertices: int = Field(10_000, ge=4)
    max_concurrent_per_caller: int = Field(
        16,
        ge=1,
        description="How many requests of one caller (one credential) run at once; the rest "
        "wait their turn, so that one caller's burst does not hold up the others.",
    )
    auth_cache_seconds: float = Field(
        1.0,
        ge=0,
        le=1.0,
        description="How long an authenticated caller is remembered (0: never; at most 1 s, "
        "so a disabled client or a rotated key stops working within a second).",
    )
    quote_ttl_seconds: int = Field(86_400, ge=60, description="How long a quote stays valid.")
    products_file: Path | None = Field(None, description="JSON product catalogue to install.")
    agenda_interval_seconds: float = Field(
        1.0, gt=0, description="How often agenda threads look for due work without a wake-up."
    )
    agenda_lease_seconds: float | None = Field(
        None,
        gt=0,
        description="How long a job (e.g. processing) may run before another worker may take "
        "it over; default: each job's own (10 minutes for processing).",
    )
    wake_queue: bool = Field(
        True,
        description="On PostgreSQL, send wake-ups to worker processes through the job queue "
        "(procrastinate); off, workers only poll.",
    )
    settle_heap: bool = Field(
        True,
        description="Freeze the objects start-up leaves out of the garbage collector's passes "
        "when serving (no 60-100 ms pauses); tests that start many apps turn it off.",
    )
    pixel_budget: int = Field(
        2_000_000,
        ge=10_000,
        description="Most pixels the finest band of a synthetic scene may have; past it the "
        "scene's GSD is coarsened (and deliverables state the GSD they have).",
    )
    asset_pixel_budget: int = Field(
        131_072,
        ge=10_000,
        description="The sandbox resolution of archive items' asset downloads: most pixels "
        "the finest band of the scene behind them may have (default about 362 x 362, so a "
        "first download is made in well under a second); `?resolution=full` asks for "
        "the pixel budget's scene instead.",
    )
    shared_clock: bool | None = Field(
        None,
        description="Whether other processes move this database's sandbox time too (several "
        "API processes): each request then reads the saved time of the caller's "
        "organisation first, so an advance made through one process shows in the next "
        "request to any other. Default: on PostgreSQL (scale mode), off on SQLite.",
    )
    archive_assets: Literal["open", "ordered"] | None = Field(
        None,
        description="Who may download the data assets (`pan`, `ms`, `analytic`, `visual`) "
        "of archive items through the STAC API: `open` (every signed-in caller: in a "
        "sandbox the archive is free to look at) or `ordered` (the collection's owner, and "
        "organisations with an accepted order of the whole scene); `thumbnail` and "
        "`metadata` are open either way. Default: `open` on the sandbox clock, `ordered` "
        "on the real clock.",
    )
    deliverable_resolution: Literal["sandbox", "full"] | None = Field(
        None,
        description="How finely deliverables are made: `sandbox` (at the asset pixel "
        "budget, in a fraction of a second; `?resolution=full` on an asset's download makes "
        "that file at the pixel budget when first asked) or `full` (at the pixel budget). "
        "Default: `sandbox` on the sandbox clock, `full` on the real clock.",
    )
    processing_threads: int = Field(
        1, ge=0, description="GDAL threads per processing job (0: all CPUs)."
    )
    object_store: Literal["local", "s3"] = Field(
        "local", description="Where deliverable files live: local disk (data dir) or S3."
    )
    s3_endpoint_url: str | None = Field(
        None, description="S3-compatible endpoint (MinIO, Ceph...); default: AWS."
    )
    s3_bucket: str | None = Field(None, description="Bucket of the S3 object store.")
    s3_prefix: str = Field("", description="Key prefix inside the bucket.")
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    signing_secret: str | None = Field(
        None, min_length=32, description="HMAC key for download links (at least 32 characters)."
    )
    secrets_keys: SecretStr | None = Field(
        None,
        description="Keys that seal stored customer secrets (S3 keys, webhook secrets), "
        "comma-separated, newest first: the first seals, all open; default: the key file "
        "secrets.key in the data directory, created on first start.",
    )
    download_link_ttl_seconds: int = Field(
        3600, ge=10, le=7 * 86_400, description="How long a signed download link works."
    )
    sim_seed: int = Field(
        2026,
        description="Seed of the simulated weather and capture outcomes (sandbox runs repeat).",
    )
    sim_weather: Literal["climate", "clear", "overcast"] = Field(
        "climate",
        description="The sky the simulated satellites see: 'climate' (seeded weather around "
        "a calibrated cloud climatology: captures fail for clouds as often as real ones), "
        "'clear' (no cloud: every capture meets its cloud limit) or 'overcast' (every "
        "capture with a cloud limit fails for clouds).",
    )
    sim_anomaly_rate: float = Field(
        0.02,
        ge=0.0,
        le=1.0,
        description="Share of simulated capture attempts that fail with a satellite anomaly.",
    )
    constellation_file: Path | None = Field(
        None, description="JSON constellation (TLEs, sensors); default: the demo constellation."
    )
    webhook_timeout_seconds: float = Field(
        5.0, gt=0, le=60, description="How long a webhook receiver may take to answer."
    )
    outbound_allow_networks: Annotated[list[IPNetwork], NoDecode] = Field(
        default_factory=list,
        description="Networks webhooks and push deliveries may reach although not public "
        "(loopback, private, link-local...), comma-separated CIDR, e.g. "
        "127.0.0.0/8,10.1.0.0/16; for on-premise receivers and buckets.",
    )

    @field_validator("outbound_allow_networks", mode="before")
    @classmethod
    def _networks_from_text(cls, value: object) -> object:
        return parse_networks(value) if isinstance(value, str) else value

    @field_validator("products_file", "constellation_file")
    @classmethod
    def _file_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("secrets_keys")
    @classmethod
    def _secrets_keys_are_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        keys = [k for k in value.get_secret_value().split(",") if k.strip()]
        if not keys:
            raise ValueError("must hold at least one key")
        for k in keys:
            check_key(k)
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url_is_supported(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            backend = ""
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(
                "must be a SQLite or PostgreSQL URL, e.g. sqlite:////path/skyorder.db or "
                "postgresql://user@host:5432/dbname"
            )
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url_is_http(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http:// or https:// URL with a host")
        if parts.query or parts.fragment:
            raise ValueError("must not have a query or a fragment")
        return value.rstrip("/")

    def outbound(self) -> OutboundPolicy:
        """The outbound-address policy of webhooks and push deliveries."""
        return OutboundPolicy(allow=tuple(self.outbound_allow_networks))

    def shares_clock(self, dialect: str) -> bool:
        """Whether sandbox time is read from the database before each use (the setting,
        else on PostgreSQL)."""
        return self.shared_clock if self.shared_clock is not None else dialect == "postgresql"

    def archive_assets_ordered(self) -> bool:
        """Whether archive items' data assets need an order of the scene (the setting, else
        by the clock)."""
        if self.archive_assets is not None:
            return self.archive_assets == "ordered"
        return not self.sandbox

    def deliverables_at(self) -> Resolution:
        """The resolution deliverables are made at (the setting, else by the clock)."""
        if self.deliverable_resolution is not None:
            return Resolution(self.deliverable_resolution)
        return Resolution.SANDBOX if self.sandbox else Resolution.FULL

    def database(self) -> str:
        """The database URL in force."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'skyorder.db').resolve()}"

    def base_url(self) -> str:
        """The public base URL, without a trailing slash (the validator strips it)."""
        return self.public_url or f"http://{self.host}:{self.port}"

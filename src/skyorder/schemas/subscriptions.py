"""km² subscriptions: a quota per period that orders draw from."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from skyorder.core.subscriptions import MAX_PERIOD_MONTHS, MAX_QUOTA_KM2, Consumption


class SubscriptionCreate(BaseModel):
    """A km² subscription to grant a contract."""

    model_config = ConfigDict(extra="forbid")

    quota_km2: float = Field(gt=0, le=MAX_QUOTA_KM2, description="km² per period")
    period_months: int = Field(1, ge=1, le=MAX_PERIOD_MONTHS)
    starts_at: AwareDatetime | None = Field(None, description="default: now")
    ends_at: AwareDatetime | None = None


class SubscriptionOut(BaseModel):
    """A subscription and its current period's consumption."""

    id: str
    contract_id: str
    unit: str = "km2"
    quota_km2: float
    period_months: int
    starts_at: datetime
    ends_at: datetime | None
    period_start: datetime
    period_end: datetime
    consumed_km2: float
    remaining_km2: float

    @classmethod
    def of(cls, used: Consumption) -> SubscriptionOut:
        """Render a subscription's consumption."""
        s = used.subscription
        return cls(
            id=s.id,
            contract_id=s.contract_id,
            quota_km2=s.quota_km2,
            period_months=s.period_months,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            period_start=used.period_start,
            period_end=used.period_end,
            consumed_km2=used.consumed_km2,
            remaining_km2=used.remaining_km2,
        )

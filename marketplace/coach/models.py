"""The coach's rows: an owner's away periods, DKUPP's follow-up log per business, the daily region totals."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from marketplace.accounts.models import User
    from marketplace.businesses.models import Business


class AwayPeriod(db.Model):
    """One stretch of holiday mode: inquiries received in it are not counted against the owner's responsiveness.
    Business.away_until is the current one, for pages; these rows keep the past ones."""

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the end of the chosen day (Jakarta), or when ended early


class FollowUpKind(LabelledEnum):
    """What DKUPP did about (or learned of) a dormant seller."""

    VISITED = "visited", _l("Visited")
    TRAINED = "trained", _l("Trained")
    PHOTOGRAPHED = "photographed", _l("Photographed the products")
    NUDGED = "nudged", _l("Sent a reminder")
    NOT_TRADING = "not_trading", _l("No longer trading")
    ARCHIVED = "archived", _l("Archived")
    RESTORED = "restored", _l("Restored")


class FollowUp(db.Model):
    """One line of a business's follow-up log: who did what, when, with a note (each also audited)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(120))  # kept readable after the account is gone
    kind: Mapped[FollowUpKind] = mapped_column(str_enum(FollowUpKind))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    business: Mapped[Business] = relationship()
    actor: Mapped[User | None] = relationship()


class DormancySnapshot(db.Model):
    """A region's count of active and dormant sellers on one local day, written by the nightly job, so the region
    report can chart them over time."""

    __table_args__ = (UniqueConstraint("region_code", "day", name="uq_dormancy_snapshot_region_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    day: Mapped[date] = mapped_column(Date)
    active: Mapped[int] = mapped_column(default=0)
    dormant: Mapped[int] = mapped_column(default=0)

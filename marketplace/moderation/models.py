"""Buyers' reports about products."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from marketplace.accounts.models import User
    from marketplace.catalog.models import Product


class ReportReason(LabelledEnum):
    COUNTERFEIT = "counterfeit", _l("Counterfeit or not what it claims to be")
    MISLEADING = "misleading", _l("Misleading price, photos or description")
    PROHIBITED = "prohibited", _l("Prohibited product")
    NOT_LOCAL = "not_local", _l("The seller is not from this region")
    OTHER = "other", _l("Something else")


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class Report(db.Model):
    """A buyer's (or visitor's) report about a product; lands in the queue of the product's region."""

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[ReportReason] = mapped_column(str_enum(ReportReason))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus), default=ReportStatus.OPEN, index=True)
    resolution: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    product: Mapped[Product] = relationship()
    reporter: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class DecisionWeek(db.Model):
    """Summary kept by the moderation service (same transaction): product decisions (approve, request changes,
    reject) per region, local month and week (its Monday) of the decision, by the time from the product's submission
    to the decision in fixed buckets (marketplace/counting.py). The month lets a report of whole months take the part
    of a week that falls in it. `flask reports-rebuild-summaries` counts it again from the audit log."""

    region_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    week: Mapped[str] = mapped_column(String(10), primary_key=True)
    minutes: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    decisions: Mapped[int] = mapped_column(default=0)

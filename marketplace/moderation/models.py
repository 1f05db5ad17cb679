"""The audit log of staff actions and buyers' reports about products."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.models_base import UTCDateTime, str_enum, utcnow


class AuditEntry(db.Model):
    """One staff or admin action. Append-only: the ORM refuses to update or delete a row."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    actor_email: Mapped[str] = mapped_column(String(254))  # kept even if the account goes
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(40), index=True)  # e.g. "product.approve"
    object_type: Mapped[str] = mapped_column(String(30), index=True)
    object_id: Mapped[int | None]
    object_label: Mapped[str] = mapped_column(String(200), default="")
    region_code: Mapped[str | None] = mapped_column(String(5), index=True)  # the region the object belongs to
    reason: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> [before, after]


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _audit_is_append_only(mapper, connection, target):
    raise PermissionError("audit entries cannot be changed or deleted")


class ReportReason(enum.StrEnum):
    COUNTERFEIT = "counterfeit"
    MISLEADING = "misleading"
    PROHIBITED = "prohibited"
    NOT_LOCAL = "not_local"
    OTHER = "other"


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

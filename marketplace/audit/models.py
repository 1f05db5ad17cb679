"""The audit log: one append-only row per staff or admin action."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.models_base import UTCDateTime, utcnow


class AuditEntry(db.Model):
    """One staff or admin action. Append-only: the ORM refuses to update or delete a row."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    actor_email: Mapped[str] = mapped_column(String(254))  # kept even if the account goes
    actor_role: Mapped[str] = mapped_column(String(24))  # a Role value (str_enum columns hold up to 24)
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

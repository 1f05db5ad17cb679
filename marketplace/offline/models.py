"""What the server remembers of a queued submission: the client's idempotency key, unique per owner, and what it
made (a product or a staged photo). A replay carrying a key already used answers with what the first one made."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.models_base import UTCDateTime, utcnow


class SubmissionKey(db.Model):
    """One client UUID of one owner; product_id or photo_id says what its first request made (None: made nothing
    that still exists, e.g. a staged photo pruned since)."""

    __table_args__ = (UniqueConstraint("owner_id", "key", name="uq_submission_key_owner_id_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(36))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="SET NULL"), index=True)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photo.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

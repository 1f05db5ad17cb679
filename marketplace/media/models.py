"""Photos: one row per uploaded picture; the files are its renditions under content-hashed names."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.models_base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from marketplace.catalog.models import Product


class Photo(db.Model):
    """One product photo; its renditions live in UPLOAD_DIR under content-hashed names.

    A photo is uploaded by an owner (product_id empty while the product form is still being filled in),
    and shown to buyers only once approved, together with its product.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    approved: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)  # 0 is the cover
    content_hash: Mapped[str] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    rendition_widths: Mapped[list] = mapped_column(JSON, default=list)  # e.g. [320, 800, 1600]
    alt_text: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product | None] = relationship(back_populates="photos")

    def filename(self, width: int, extension: str = "webp") -> str:
        return f"{self.content_hash}-{width}.{extension}"

    @property
    def filenames(self) -> list[str]:
        return [self.filename(w, ext) for w in self.rendition_widths for ext in ("webp", "jpg")]

"""Photos: one row per uploaded picture; the files are its renditions under content-hashed names."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.media.pipeline import RENDITION_WIDTHS
from marketplace.media.references import refers_to_files
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
    content_hash: Mapped[str] = mapped_column(String(32), index=True)  # deletes and /media look photos up by it
    width: Mapped[int]
    height: Mapped[int]
    rendition_widths: Mapped[list] = mapped_column(JSON, default=list)  # the renditions there are, e.g. [320, 800, 1600]
    # True while a job makes the larger renditions from the original (kept under original_name until then)
    pending: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    alt_text: Mapped[str] = mapped_column(String(200), default="")
    # The listing coach's hints, measured on the 320 px rendition when it is made (media/hints.py): mean luminance
    # (0-255) and variance of the Laplacian (blur); empty until measured (`flask coach backfill-photo-hints`).
    mean_luminance: Mapped[float | None] = mapped_column(sa.Float)
    sharpness: Mapped[float | None] = mapped_column(sa.Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product | None] = relationship(back_populates="photos")

    def filename(self, width: int, extension: str = "webp") -> str:
        return f"{self.content_hash}-{width}.{extension}"

    @property
    def filenames(self) -> list[str]:
        """Every stored file of this photo; while pending, also those its job may be writing and the original."""
        widths = RENDITION_WIDTHS if self.pending else self.rendition_widths
        names = [self.filename(w, ext) for w in widths for ext in ("webp", "jpg")]
        return [*names, original_name(self.content_hash)] if self.pending else names


def original_name(content_hash: str) -> str:
    """Where an upload waits, privately, for its job to make the larger renditions."""
    return f"originals/{content_hash}"


@refers_to_files
def _photo_files() -> set[str]:
    return set(db.session.scalars(db.select(Photo.content_hash).distinct()))

"""A certification of a business, or of one of its products."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.models_base import UTCDateTime, str_enum, utcnow


class CertType(enum.StrEnum):
    SNI = "sni"
    HALAL = "halal"
    INDUSTRI_HIJAU = "industri_hijau"
    PIRT = "pirt"
    BPOM = "bpom"
    MEREK = "merek"


class CertStatus(enum.StrEnum):
    CLAIMED = "claimed"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Certification(db.Model):
    """Claimed by the owner with a document; a badge shows only while verified and not expired."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # optimistic lock: an UPDATE whose version moved meanwhile fails, so two moderators can't both decide
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    cert_type: Mapped[CertType] = mapped_column(str_enum(CertType), index=True)
    number: Mapped[str] = mapped_column(String(80))
    issuer: Mapped[str] = mapped_column(String(160))
    valid_until: Mapped[date | None] = mapped_column(Date)  # None: no end date on the certificate
    document: Mapped[str] = mapped_column(String(80))  # file name under UPLOAD_DIR/documents
    status: Mapped[CertStatus] = mapped_column(str_enum(CertStatus), default=CertStatus.CLAIMED, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    business: Mapped[Business] = relationship()
    product: Mapped[Product | None] = relationship()

    def shows_badge(self, on: date) -> bool:
        """Verified and still valid on the given day."""
        return self.status is CertStatus.VERIFIED and (self.valid_until is None or self.valid_until >= on)

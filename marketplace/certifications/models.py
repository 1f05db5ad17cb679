"""A certification of a business, or of one of its products."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.media.documents import document_name
from marketplace.media.references import refers_to_files
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from marketplace.businesses.models import Business
    from marketplace.catalog.models import Product

EXPIRES_SOON_DAYS = 30  # a certificate ending within this many days is "expiring soon"


class CertType(LabelledEnum):
    """The kinds of certificate an owner can claim, in the order the form offers them."""

    SNI = "sni", _l("SNI (Indonesian National Standard)")
    HALAL = "halal", _l("Halal (BPJPH)")
    INDUSTRI_HIJAU = "industri_hijau", _l("Industri hijau (green industry)")
    PIRT = "pirt", _l("P-IRT (home industry food permit)")
    BPOM = "bpom", _l("BPOM")
    MEREK = "merek", _l("Merek / HKI (registered trademark)")
    BATIK_MARK = "batik_mark", _l("Batikmark (Batik Indonesia mark)")


class CertStatus(LabelledEnum):
    """Where a claim stands with the region's moderator."""

    CLAIMED = "claimed", _l("awaiting verification")
    VERIFIED = "verified", _l("verified")
    REJECTED = "rejected", _l("rejected")


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
    # who verified it: a moderator, or the staff of the institution that issued it (then not re-checked by the DKUPP)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id", ondelete="SET NULL"), index=True)

    business: Mapped[Business] = relationship()
    product: Mapped[Product | None] = relationship()

    def shows_badge(self, on: date) -> bool:
        """Verified and still valid on the given day: the rule of certifications.queries.badge_worthy, for a row
        already loaded; queries select badges with badge_worthy, so a change to the rule changes both."""
        return self.status is CertStatus.VERIFIED and (self.valid_until is None or self.valid_until >= on)

    def expiry(self, on: date) -> str | None:
        """"expired" (valid_until is before `on`), "soon" (it ends within EXPIRES_SOON_DAYS) or None: what the owner
        and the moderator are warned about."""
        if self.valid_until is None:
            return None
        if self.valid_until < on:
            return "expired"
        return "soon" if self.valid_until <= on + timedelta(days=EXPIRES_SOON_DAYS) else None


@refers_to_files
def _document_files() -> set[str]:
    """Documents, by their whole stored name."""
    return {document_name(name) for name in db.session.scalars(db.select(Certification.document))}

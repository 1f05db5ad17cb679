"""Institutions and the services they offer, with a service standard in working days per service."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.certifications.models import CertType
from marketplace.extensions import db
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow
from marketplace.regions.models import Region


class InstitutionKind(LabelledEnum):
    CERTIFICATION = "certification", _l("Standards and certification body")
    HALAL = "halal", _l("Halal inspection body / facilitator")
    TRAINING = "training", _l("Training provider")
    ASSOCIATION = "association", _l("Association")


class ServiceKind(LabelledEnum):
    """What an owner can ask an institution for, in the order the forms offer them."""

    SNI = "sni", _l("SNI certification")
    TESTING = "testing", _l("Product testing")
    HALAL_SELF_DECLARE = "halal_self_declare", _l("Halal certification (self-declare)")
    INDUSTRI_HIJAU = "industri_hijau", _l("Industri hijau certification")
    BATIK_MARK = "batik_mark", _l("Batikmark")
    CONSULTATION = "consultation", _l("Consultation")

    @property
    def cert_type(self) -> CertType | None:
        """The certification an issued request of this kind becomes (None: testing and consultation issue none)."""
        return CERT_TYPE_OF_SERVICE.get(self)


CERT_TYPE_OF_SERVICE = {
    ServiceKind.SNI: CertType.SNI, ServiceKind.HALAL_SELF_DECLARE: CertType.HALAL,
    ServiceKind.INDUSTRI_HIJAU: CertType.INDUSTRI_HIJAU, ServiceKind.BATIK_MARK: CertType.BATIK_MARK,
}


class Institution(db.Model):
    """A body that certifies, facilitates, trains or represents UMKM; its staff accounts act only on its requests."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[InstitutionKind] = mapped_column(str_enum(InstitutionKind), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    accreditation: Mapped[str] = mapped_column(String(80), default="")  # e.g. LSPr-025-IDN
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    services: Mapped[list[InstitutionService]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", order_by="InstitutionService.id")

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def offers(self, kind: ServiceKind) -> InstitutionService | None:
        return next((service for service in self.services if service.kind is kind and service.active), None)


class InstitutionService(db.Model):
    """One service an institution offers, with its service standard (working days from sending to the outcome)."""

    __table_args__ = (
        UniqueConstraint("institution_id", "kind", name="one_service_of_a_kind"),
        CheckConstraint("standard_days > 0", name="standard_days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ServiceKind] = mapped_column(str_enum(ServiceKind))
    standard_days: Mapped[int] = mapped_column(default=21)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    institution: Mapped[Institution] = relationship(back_populates="services")

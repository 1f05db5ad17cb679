"""Regions of Jawa Timur and the cooperation agreements between them."""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.models_base import LabelledEnum, str_enum

if TYPE_CHECKING:
    from marketplace.businesses.models import Business


class RegionKind(enum.StrEnum):
    KABUPATEN = "kabupaten"
    KOTA = "kota"


class Scope(LabelledEnum):
    """What an agreement covers."""

    PROMOTION = "promotion", _l("UMKM promotion and marketing")
    STAPLES = "staples", _l("staple goods distribution")


class Region(db.Model):
    """A kabupaten or kota, keyed by its Kemendagri code (never by name: names repeat)."""

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[RegionKind] = mapped_column(str_enum(RegionKind))
    # The region's cooperative and trade office (DKUPP or its local name): reference data, seeded where known for
    # sure, filled in and corrected by admins (regions.services.save_office). None: not entered yet.
    office_name: Mapped[str | None] = mapped_column(String(200))
    office_address: Mapped[str | None] = mapped_column(String(500))
    office_phone: Mapped[str | None] = mapped_column(String(40))
    office_email: Mapped[str | None] = mapped_column(String(254))
    office_website: Mapped[str | None] = mapped_column(String(300))

    @property
    def has_office_contact(self) -> bool:
        return bool(self.office_address or self.office_phone or self.office_email or self.office_website)

    @property
    def full_name(self) -> str:
        return f"{'Kabupaten' if self.kind is RegionKind.KABUPATEN else 'Kota'} {self.name}"

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.full_name}>"


class Agreement(db.Model):
    """A cooperation agreement (kerja sama) between regions and institutions."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)  # stable handle for reference data
    title: Mapped[str] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(120))
    signed_on: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")

    parties: Mapped[list[AgreementParty]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementParty.id"
    )
    scopes: Mapped[list[AgreementScope]] = relationship(cascade="all, delete-orphan")
    business_parties: Mapped[list[AgreementPartyBusiness]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementPartyBusiness.business_id"
    )
    # INSTITUTION PARTIES (issue 18): institutions (marketplace/institutions, model Institution) become parties the
    # same way as businesses: a table agreement_party_institution (agreement_id, institution_id) with a relationship
    # `institution_parties` here, offered as a list in the admin's agreement form beside the businesses.

    @property
    def note_parties(self) -> list[AgreementParty]:
        """Parties written as free text before parties were records (kept so nothing is lost; shown in admin)."""
        return [p for p in self.parties if p.institution]

    @property
    def scope_values(self) -> set[Scope]:
        return {s.scope for s in self.scopes}

    @property
    def region_codes(self) -> set[str]:
        return {p.region_code for p in self.parties if p.region_code and not p.institution}

    def is_active(self, on: date) -> bool:
        """Whether the agreement counts on the given day."""
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


class AgreementScope(db.Model):
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), primary_key=True)
    scope: Mapped[Scope] = mapped_column(
        str_enum(Scope), primary_key=True
    )


class AgreementParty(db.Model):
    """A party: a region itself; or, kept from before parties were records, a free-text note naming a body (a
    cooperative, an agency) and its region, which counts as no party (not a partner region, not a business)."""

    __table_args__ = (CheckConstraint("region_code IS NOT NULL OR institution IS NOT NULL", name="party_named"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    institution: Mapped[str | None] = mapped_column(String(200))

    agreement: Mapped[Agreement] = relationship(back_populates="parties")
    region: Mapped[Region | None] = relationship()


class AgreementPartyBusiness(db.Model):
    """A business (a cooperative) that is a party to an agreement; its region is the business's own."""

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), primary_key=True, index=True)

    agreement: Mapped[Agreement] = relationship(back_populates="business_parties")
    business: Mapped[Business] = relationship()

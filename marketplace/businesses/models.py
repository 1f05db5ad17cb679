"""UMKM businesses (usaha), owned by an owner account, in one region."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.media.references import refers_to_files
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow
from marketplace.regions.models import Region
from marketplace.timeutil import today


class SizeClass(LabelledEnum):
    """PP 7/2021 size classes."""

    MIKRO = "mikro", _l("Micro (mikro)")
    KECIL = "kecil", _l("Small (kecil)")
    MENENGAH = "menengah", _l("Medium (menengah)")


class Verification(LabelledEnum):
    """Where a business stands with its region's moderator."""

    UNVERIFIED = "unverified", _l("awaiting verification")
    VERIFIED = "verified", _l("verified")
    SUSPENDED = "suspended", _l("suspended")


class BusinessKind(LabelledEnum):
    """A business as most UMKM are, or a cooperative (koperasi), which lists products for its member producers."""

    ENTERPRISE = "usaha", _l("Business (usaha)")
    COOPERATIVE = "koperasi", _l("Cooperative (koperasi)")


class CooperativeKind(LabelledEnum):
    """Kinds of cooperative (UU 25/1992 and the usual multipurpose one)."""

    CONSUMER = "konsumen", _l("Consumer cooperative (koperasi konsumen)")
    PRODUCER = "produsen", _l("Producer cooperative (koperasi produsen)")
    MARKETING = "pemasaran", _l("Marketing cooperative (koperasi pemasaran)")
    SERVICES = "jasa", _l("Services cooperative (koperasi jasa)")
    SAVINGS_AND_LOAN = "simpan_pinjam", _l("Savings and loan cooperative (koperasi simpan pinjam)")
    MULTIPURPOSE = "serba_usaha", _l("Multipurpose cooperative (koperasi serba usaha)")


# The public profile of a business: what its page, its products' seller card, the API and the inquiry's WhatsApp
# link show. A change to a verified (or suspended) business waits for the region's review; region and NIB are not
# here: changing them sends the whole business back to verification instead.
PROFILE_FIELDS = {
    "name": _l("Business name"),
    "description": _l("About the business"),
    "address": _l("Address"),
    "whatsapp": _l("WhatsApp number"),
    "size_class": _l("Size class"),
    "logo": _l("Logo"),
    "links": _l("Links"),
    "kind": _l("Kind of business"),
    "cooperative_kind": _l("Kind of cooperative"),
    "legal_entity_number": _l("Legal-entity number (nomor badan hukum)"),
}
# Profile fields stored as enums; a revision's data holds their values.
ENUM_FIELDS = {"size_class": SizeClass, "kind": BusinessKind, "cooperative_kind": CooperativeKind}


class Business(db.Model):
    """A business; public only once its region's moderator has verified it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # optimistic lock: an UPDATE whose version moved meanwhile fails, so two moderators can't both decide
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    nib: Mapped[str | None] = mapped_column(String(13))
    size_class: Mapped[SizeClass] = mapped_column(str_enum(SizeClass), default=SizeClass.MIKRO)
    address: Mapped[str] = mapped_column(Text, default="")
    whatsapp: Mapped[str] = mapped_column(String(20))  # normalised 62…
    description: Mapped[str] = mapped_column(Text, default="")
    logo: Mapped[str | None] = mapped_column(String(80))  # '<hash>-<width>': add .webp or .jpg for the file
    links: Mapped[dict] = mapped_column(JSON, default=dict)  # {"instagram": url, "website": url, …}
    kind: Mapped[BusinessKind] = mapped_column(str_enum(BusinessKind), default=BusinessKind.ENTERPRISE,
                                               server_default=BusinessKind.ENTERPRISE.value, index=True)
    # a cooperative's kind and its legal-entity number (AHU-…, or an older …/BH/… number); None for other businesses
    cooperative_kind: Mapped[CooperativeKind | None] = mapped_column(str_enum(CooperativeKind))
    legal_entity_number: Mapped[str | None] = mapped_column(String(80))
    verification: Mapped[Verification] = mapped_column(
        str_enum(Verification), default=Verification.UNVERIFIED, index=True
    )
    verification_reason: Mapped[str] = mapped_column(Text, default="")
    # Where DKUPP's field work groups the business (optional; the address stays free text).
    kecamatan: Mapped[str | None] = mapped_column(String(80), index=True)
    # The listing coach (coach/): away (holiday mode) until this local date, shown on public pages; and archived
    # (no longer trading, by the owner or the region's DKUPP with a reason): its products leave the catalogue.
    away_until: Mapped[date | None] = mapped_column(Date)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archive_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship()
    region: Mapped[Region] = relationship()
    revision: Mapped[BusinessRevision | None] = relationship(
        back_populates="business", cascade="all, delete-orphan", uselist=False
    )

    def away_on(self, day: date | None = None) -> bool:
        """Whether the owner has marked the business away (holiday mode) on that local day (default: today)."""
        return self.away_until is not None and self.away_until >= (day or today())
    @property
    def is_cooperative(self) -> bool:
        """Whether the approved profile says cooperative (a pending edit that makes it one does not count yet)."""
        return self.kind is BusinessKind.COOPERATIVE

    def approved_profile(self) -> dict:
        """The public profile as it stands (what buyers see), JSON-ready, in the shape of a revision's data."""
        return {name: _plain(getattr(self, name)) if name in ENUM_FIELDS else getattr(self, name) for name in PROFILE_FIELDS}

    def proposed_profile(self) -> dict:
        """The profile the owner is working on: the pending (or sent back) edit's, else the approved one."""
        return {**self.approved_profile(), **(self.revision.data if self.revision is not None else {})}

    def proposed_changes(self) -> list[tuple[str, object, object]]:
        """(field, approved value, proposed value) for each field the edit changes, in PROFILE_FIELDS order."""
        approved, proposed = self.approved_profile(), self.proposed_profile()
        return [(name, approved[name], proposed[name]) for name in PROFILE_FIELDS if approved[name] != proposed[name]]


def _plain(value):
    return value.value if value is not None else None


class ProfileEditStatus(LabelledEnum):
    """Where an edit of the profile stands; labelled like a product edit's statuses of the same name."""

    PENDING = "pending", _l("in review")
    CHANGES_REQUESTED = "changes_requested", _l("changes requested")
    REJECTED = "rejected", _l("rejected")


class BusinessRevision(db.Model):
    """An edit of a verified business's public profile waiting for review; the business row stays the approved,
    public version until a moderator of its region approves the edit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # optimistic lock: an UPDATE whose version moved meanwhile fails, so two moderators can't both decide
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), unique=True)
    data: Mapped[dict] = mapped_column(JSON)  # PROFILE_FIELDS -> proposed values (size_class as its value)
    status: Mapped[ProfileEditStatus] = mapped_column(str_enum(ProfileEditStatus), default=ProfileEditStatus.PENDING,
                                                    index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    business: Mapped[Business] = relationship(back_populates="revision")


@refers_to_files
def _logo_files() -> set[str]:
    """Logos, as '<hash>-<width>': the approved ones and those proposed in an edit waiting for review."""
    logos = set(db.session.scalars(db.select(Business.logo).where(Business.logo.is_not(None))))
    logos |= {data.get("logo") for data in db.session.scalars(db.select(BusinessRevision.data))} - {None}
    return {logo.split("-", 1)[0] for logo in logos}

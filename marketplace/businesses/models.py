"""UMKM businesses (usaha), owned by an owner account, in one region."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.media.references import refers_to_files
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow
from marketplace.regions.models import Region


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
    verification: Mapped[Verification] = mapped_column(
        str_enum(Verification), default=Verification.UNVERIFIED, index=True
    )
    verification_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship()
    region: Mapped[Region] = relationship()


@refers_to_files
def _logo_files() -> set[str]:
    """Logos, as '<hash>-<width>'."""
    return {logo.split("-", 1)[0] for logo in db.session.scalars(db.select(Business.logo).where(Business.logo.is_not(None)))}

"""Showcases, their curated products, owners' nominations, and daily reach counts."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Role, User
from marketplace.catalog.models import Product
from marketplace.catalog.visibility import watch
from marketplace.extensions import db
from marketplace.media.pipeline import RENDITION_WIDTHS
from marketplace.media.references import refers_to_files
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow
from marketplace.regions.models import Agreement, Region


class Phase(LabelledEnum):
    DRAFT = "draft", _l("draft")
    UPCOMING = "upcoming", _l("coming soon")
    LIVE = "live", _l("now showing")
    PAST = "past", _l("past")


class Showcase(db.Model):
    """An etalase promosi hosted by one region under one promotion agreement; its phase follows its window."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    cover: Mapped[str | None] = mapped_column(String(80))  # '<hash>-<width>' of a rendition, like a logo
    host_region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    starts_on: Mapped[date | None] = mapped_column(Date)  # no window: a permanent showcase
    ends_on: Mapped[date | None] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(200), default="")  # for an event such as an expo
    event_dates: Mapped[str] = mapped_column(String(120), default="")
    published: Mapped[bool] = mapped_column(default=False)  # False: a draft only staff see
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    host_region: Mapped[Region] = relationship()
    agreement: Mapped[Agreement] = relationship()
    items: Mapped[list[ShowcaseItem]] = relationship(back_populates="showcase", cascade="all, delete-orphan",
                                                     order_by="ShowcaseItem.position")

    __mapper_args__ = {"version_id_col": version}

    def phase(self, on: date) -> Phase:
        """draft until published; then upcoming, live or past by the window (both ends included)."""
        if not self.published:
            return Phase.DRAFT
        if self.starts_on and on < self.starts_on:
            return Phase.UPCOMING
        if self.ends_on and on > self.ends_on:
            return Phase.PAST
        return Phase.LIVE

    @property
    def cover_widths(self) -> list[int]:
        """Widths of the cover's renditions, smallest first: the pipeline's widths below the largest, which the cover
        names ('<hash>-<width>'), since it never upscales."""
        if not self.cover:
            return []
        largest = int(self.cover.rsplit("-", 1)[1])
        return [width for width in RENDITION_WIDTHS if width < largest] + [largest]

    def cover_file(self, width: int, extension: str) -> str:
        """The file name of one rendition of the cover."""
        return f"{self.cover.rsplit('-', 1)[0]}-{width}.{extension}"

    def curated_by(self, user: User) -> bool:
        """Whether user may curate this showcase: the host region's moderators and admins."""
        if user.role is Role.ADMIN:
            return True
        return user.role is Role.MODERATOR and user.region_code == self.host_region_code


class ShowcaseItem(db.Model):
    __table_args__ = (UniqueConstraint("showcase_id", "product_id", name="one_per_product"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    showcase_id: Mapped[int] = mapped_column(ForeignKey("showcase.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    showcase: Mapped[Showcase] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()


class NominationStatus(LabelledEnum):
    PENDING = "pending", _l("waiting for a decision")
    ACCEPTED = "accepted", _l("accepted")
    DECLINED = "declined", _l("declined")


class Nomination(db.Model):
    """An owner proposes an eligible product for a live or upcoming showcase; the host region decides."""

    __table_args__ = (UniqueConstraint("showcase_id", "product_id", name="once_per_product"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    showcase_id: Mapped[int] = mapped_column(ForeignKey("showcase.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    pitch: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[NominationStatus] = mapped_column(str_enum(NominationStatus), default=NominationStatus.PENDING, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    showcase: Mapped[Showcase] = relationship()
    product: Mapped[Product] = relationship()
    owner: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}


class ShowcaseReach(db.Model):
    """Views of a showcase (product_id 0) and clicks from it to each product, per day; nothing about who."""

    __table_args__ = (
        UniqueConstraint("showcase_id", "product_id", "day", name="one_row_per_day"),
        Index("ix_showcase_reach_product_day", "product_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    showcase_id: Mapped[int] = mapped_column(ForeignKey("showcase.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(default=0)  # 0: the showcase itself was viewed
    day: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


@refers_to_files
def _cover_files() -> set[str]:
    """Covers, as '<hash>-<width>'."""
    return {cover.split("-", 1)[0] for cover in db.session.scalars(db.select(Showcase.cover).where(Showcase.cover.is_not(None)))}


# the product and region pages name the live showcases showing them in parts cached under the catalogue generation
watch(Showcase, ShowcaseItem)

"""Events hosted by a region, their booth types, owners' applications for a booth, and daily reach counts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, CheckConstraint, Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Role, User
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.catalog.visibility import watch
from marketplace.extensions import db
from marketplace.media.pipeline import RENDITION_WIDTHS
from marketplace.media.references import refers_to_files
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow
from marketplace.regions.models import Agreement, Region


class EventKind(LabelledEnum):
    BAZAAR = "bazaar", _l("bazaar")
    EXPO = "expo", _l("expo")
    FESTIVAL = "festival", _l("festival")
    MARKET_DAY = "market_day", _l("market day")


class EventPhase(LabelledEnum):
    DRAFT = "draft", _l("draft")
    UPCOMING = "upcoming", _l("upcoming")
    ONGOING = "ongoing", _l("happening now")
    PAST = "past", _l("past")


class Event(db.Model):
    """An event hosted by one region; optionally tied to a promotion agreement (then only the host and its partners
    under it may apply, and showcases under the same agreement point to it)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind), default=EventKind.BAZAAR)
    host_region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id", ondelete="SET NULL"), index=True)
    partners_only: Mapped[bool] = mapped_column(default=False)  # only the host and the agreement's parties may apply
    venue_name: Mapped[str] = mapped_column(String(200))
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    map_url: Mapped[str | None] = mapped_column(String(500))  # https only
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    description: Mapped[str] = mapped_column(Text, default="")
    cover: Mapped[str | None] = mapped_column(String(80))  # '<hash>-<width>' of a rendition, like a showcase's
    occasion: Mapped[str] = mapped_column(String(160), default="")  # e.g. Yadnya Kasada
    destination: Mapped[str] = mapped_column(String(160), default="")  # e.g. Bromo
    season: Mapped[str] = mapped_column(String(160), default="")  # e.g. the month of Kasada (June-July)
    apply_by: Mapped[datetime] = mapped_column(UTCDateTime)
    confirm_days: Mapped[int] = mapped_column(default=3)  # accepted owners confirm within this many days
    published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    host_region: Mapped[Region] = relationship()
    agreement: Mapped[Agreement | None] = relationship()
    booth_types: Mapped[list[BoothType]] = relationship(back_populates="event", cascade="all, delete-orphan",
                                                        order_by="BoothType.id")

    __mapper_args__ = {"version_id_col": version}

    def phase(self, now: datetime) -> EventPhase:
        if not self.published:
            return EventPhase.DRAFT
        if now < self.starts_at:
            return EventPhase.UPCOMING
        if now <= self.ends_at:
            return EventPhase.ONGOING
        return EventPhase.PAST

    def open_for_applications(self, now: datetime) -> bool:
        return self.published and now <= self.apply_by and now < self.ends_at

    def hosted_by(self, user: User) -> bool:
        """The host region's moderators and admins run the event."""
        if user.role is Role.ADMIN:
            return True
        return user.role is Role.MODERATOR and user.region_code == self.host_region_code

    def confirm_deadline(self, released: datetime) -> datetime:
        return released + timedelta(days=self.confirm_days)

    @property
    def cover_widths(self) -> list[int]:
        if not self.cover:
            return []
        largest = int(self.cover.rsplit("-", 1)[1])
        return [width for width in RENDITION_WIDTHS if width < largest] + [largest]

    def cover_file(self, width: int, extension: str) -> str:
        return f"{self.cover.rsplit('-', 1)[0]}-{width}.{extension}"


class BoothType(db.Model):
    """A kind of booth at an event: how many there are, the fee (0: free), the size and the categories wanted.

    `confirmed` counts confirmed booths; the database refuses more than `count` (CHECK), and confirming raises it with
    one conditional UPDATE, so two owners confirming at the same moment cannot take more booths than there are."""

    __table_args__ = (
        CheckConstraint("confirmed >= 0 AND confirmed <= count", name="confirmed_within_count"),
        CheckConstraint("count >= 0 AND fee >= 0", name="count_and_fee_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    count: Mapped[int] = mapped_column(default=1)
    confirmed: Mapped[int] = mapped_column(default=0)
    fee: Mapped[int] = mapped_column(BigInteger, default=0)  # whole Rupiah; 0 is free
    size: Mapped[str] = mapped_column(String(60), default="")  # e.g. 3 x 3 m
    categories: Mapped[list] = mapped_column(JSON, default=list)  # top category slugs wanted; empty: any

    event: Mapped[Event] = relationship(back_populates="booth_types")


class ApplicationStatus(LabelledEnum):
    SUBMITTED = "submitted", _l("waiting for a decision")
    WAITLISTED = "waitlisted", _l("on the waiting list")
    ACCEPTED = "accepted", _l("accepted: confirm your booth")
    CONFIRMED = "confirmed", _l("confirmed")
    REJECTED = "rejected", _l("not accepted")
    EXPIRED = "expired", _l("not confirmed in time")
    CANCELLED = "cancelled", _l("cancelled")
    WITHDRAWN = "withdrawn", _l("withdrawn by the host")


class Decision(LabelledEnum):
    ACCEPT = "accept", _l("Accept")
    WAITLIST = "waitlist", _l("Waiting list")
    REJECT = "reject", _l("Reject")


application_product = Table(
    "booth_application_product", db.metadata,
    Column("application_id", ForeignKey("booth_application.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("product.id", ondelete="CASCADE"), primary_key=True),
)


class Application(db.Model):
    """An owner's application for one booth type with products of one verified business.

    A decision is prepared by the host's staff (`prepared`, `reason`) and takes effect, with the owner told, only
    when the staff release the decisions together."""

    __tablename__ = "booth_application"
    __table_args__ = (
        UniqueConstraint("event_id", "business_id", name="booth_application_once_per_business"),
        Index("ix_booth_application_type_status", "booth_type_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    booth_type_id: Mapped[int] = mapped_column(ForeignKey("booth_type.id", ondelete="CASCADE"))
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[ApplicationStatus] = mapped_column(str_enum(ApplicationStatus), default=ApplicationStatus.SUBMITTED)
    prepared: Mapped[Decision | None] = mapped_column(str_enum(Decision))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the waiting list's order
    confirm_by: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sales_amount: Mapped[int | None] = mapped_column(BigInteger)  # reported after the event; optional
    sales_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    booth_type: Mapped[BoothType] = relationship()
    business: Mapped[Business] = relationship()
    owner: Mapped[User] = relationship()
    products: Mapped[list[Product]] = relationship(secondary=application_product, order_by="Product.id")

    __mapper_args__ = {"version_id_col": version}


class ReachKind(LabelledEnum):
    VIEW = "view", _l("page views")
    SCAN = "scan", _l("QR scans")
    WHATSAPP = "whatsapp", _l("WhatsApp clicks")


class EventReach(db.Model):
    """Views of an event's pages, QR scans and WhatsApp clicks per day (application 0: the event page itself);
    nothing about who."""

    __table_args__ = (UniqueConstraint("event_id", "application_id", "kind", "day", name="event_reach_one_row_per_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(default=0)
    kind: Mapped[ReachKind] = mapped_column(str_enum(ReachKind))
    day: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


@refers_to_files
def _cover_files() -> set[str]:
    """Covers, as '<hash>-<width>'."""
    return {cover.split("-", 1)[0] for cover in db.session.scalars(db.select(Event.cover).where(Event.cover.is_not(None)))}


# an event's page shows its booths, their free places and the confirmed participants in a part cached under the
# catalogue generation (events/views/public.py); the conditional UPDATEs that take a booth bump it too
watch(Event, BoothType, Application)

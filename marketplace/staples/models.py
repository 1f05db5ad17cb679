"""Staple goods: commodities with their units and grades, reference prices, posts (offers and needs), deals and
their deliveries. Quantities of posts are whole numbers in the post's unit; what matching compares is kept beside
them, normalised to the commodity's base unit (per month for quantities), so the database can compare them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import get_locale
from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.conversations.models import Conversation
from marketplace.cooperatives.models import CooperativeMember
from marketplace.extensions import db
from marketplace.media.documents import document_name
from marketplace.media.references import refers_to_files
from marketplace.models_base import UTCDateTime, str_enum, utcnow
from marketplace.staples.enums import (  # noqa: F401  (the feature's names, imported from models by its modules)
    DAYS_PER_MONTH,
    WEEKS_PER_MONTH,
    DealStatus,
    DeliveryStatus,
    DeliveryTerms,
    Level,
    Period,
    PostKind,
    PostStatus,
    Transport,
)

if TYPE_CHECKING:
    from marketplace.businesses.models import Business
    from marketplace.regions.models import Region


class StaplesState(db.Model):
    """One row: the board's generation, bumped in the same transaction as any change the public board could show
    (staples/generation.py), so the board's cached figures are never stale."""

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=1)


class Commodity(db.Model):
    """A staple good, named as Bank Indonesia's PIHPS and Badan Pangan's panel harga name it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)  # in URLs: /staples/<code>
    name_id: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    pihps_name: Mapped[str] = mapped_column(String(120), default="")  # the name in PIHPS / panel harga exports
    base_unit: Mapped[str] = mapped_column(String(16))  # a code of its units, factor 1

    units: Mapped[list[CommodityUnit]] = relationship(cascade="all, delete-orphan", order_by="CommodityUnit.factor")
    grades: Mapped[list[CommodityGrade]] = relationship(cascade="all, delete-orphan", order_by="CommodityGrade.rank.desc()")

    @property
    def name(self) -> str:
        return self.name_en if str(get_locale() or "id") == "en" else self.name_id

    def unit(self, code: str) -> CommodityUnit | None:
        return next((u for u in self.units if u.code == code), None)


class CommodityUnit(db.Model):
    """A unit a commodity is traded in, with how many base units one of it is (ton: 1000 kg)."""

    __table_args__ = (UniqueConstraint("commodity_id", "code"), CheckConstraint("factor > 0", name="unit_factor_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    commodity_id: Mapped[int] = mapped_column(ForeignKey("commodity.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16))  # kg, ton, kuintal, butir, peti, liter ...
    factor: Mapped[float] = mapped_column(Float)


class CommodityGrade(db.Model):
    """A grade or quality term. A higher rank is better: an offer's grade suits a need asking for its rank or less."""

    __table_args__ = (UniqueConstraint("commodity_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commodity_id: Mapped[int] = mapped_column(ForeignKey("commodity.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name_id: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    rank: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def name(self) -> str:
        return self.name_en if str(get_locale() or "id") == "en" else self.name_id


class ReferencePrice(db.Model):
    """A reference or market price per base unit, at a level, for a region (or the province, or the nation when both
    are empty), on a date, with its source. Never filled in: a date without a price is a gap."""

    __table_args__ = (
        CheckConstraint("price_min > 0 AND (price_max IS NULL OR price_max >= price_min)", name="reference_price_range"),
        Index("ix_reference_price_lookup", "commodity_id", "level", "valid_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commodity_id: Mapped[int] = mapped_column(ForeignKey("commodity.id", ondelete="CASCADE"))
    grade_id: Mapped[int | None] = mapped_column(ForeignKey("commodity_grade.id", ondelete="SET NULL"))
    level: Mapped[Level] = mapped_column(str_enum(Level))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    province_code: Mapped[str | None] = mapped_column(String(2))  # "35": Jawa Timur
    valid_on: Mapped[date] = mapped_column(Date)
    price_min: Mapped[int] = mapped_column(Integer)  # whole Rupiah per base unit
    price_max: Mapped[int | None] = mapped_column(Integer)
    is_reference: Mapped[bool] = mapped_column(Boolean, default=False)  # a government reference (HAP), not a market price
    source: Mapped[str] = mapped_column(String(300))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commodity: Mapped[Commodity] = relationship()
    grade: Mapped[CommodityGrade | None] = relationship()
    region: Mapped[Region | None] = relationship()

    @property
    def high(self) -> int:
        return self.price_max or self.price_min


# The content of a post an owner writes; an edit of a published post waits in `pending_edit` with these keys.
CONTENT_FIELDS = ("commodity_id", "grade_id", "unit_code", "quantity", "period", "min_lot", "starts_on", "ends_on",
                  "price_min", "price_max", "negotiable", "delivery_terms", "transport_by", "notes")


class StaplesPost(db.Model):
    """A verified business's offer (surplus) or need, reviewed by its region's DKUPP like a product."""

    __table_args__ = (
        CheckConstraint("quantity > 0 AND (min_lot IS NULL OR min_lot > 0)", name="post_quantity_positive"),
        CheckConstraint("ends_on >= starts_on", name="post_window_ordered"),
        CheckConstraint("price_max IS NULL OR price_min IS NULL OR price_max >= price_min", name="post_price_ordered"),
        Index("ix_staples_post_matching", "kind", "status", "commodity_id", "ends_on"),
        Index("ix_staples_post_newest", "status", "published_at"),
        Index("ix_staples_post_pairing", "region_code", "commodity_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
    kind: Mapped[PostKind] = mapped_column(str_enum(PostKind))
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True)
    # The cooperative's member producer the post is for, shown on the board as far as their consent allows.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative_member.id", ondelete="SET NULL"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)  # the business's, when saved
    commodity_id: Mapped[int] = mapped_column(ForeignKey("commodity.id"))
    grade_id: Mapped[int | None] = mapped_column(ForeignKey("commodity_grade.id", ondelete="SET NULL"))
    unit_code: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(Integer)
    period: Mapped[Period] = mapped_column(str_enum(Period))
    min_lot: Mapped[int | None] = mapped_column(Integer)  # in the post's unit; offers only
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    price_min: Mapped[int | None] = mapped_column(Integer)  # whole Rupiah per post unit
    price_max: Mapped[int | None] = mapped_column(Integer)
    negotiable: Mapped[bool] = mapped_column(Boolean, default=False)
    delivery_terms: Mapped[DeliveryTerms] = mapped_column(str_enum(DeliveryTerms))
    transport_by: Mapped[Transport] = mapped_column(str_enum(Transport))
    notes: Mapped[str] = mapped_column(Text, default="")
    # normalised for matching: base units per month, the lot in base units, Rupiah per base unit
    monthly_base: Mapped[float] = mapped_column(Float)
    min_lot_base: Mapped[float | None] = mapped_column(Float)
    price_min_base: Mapped[float | None] = mapped_column(Float)
    price_max_base: Mapped[float | None] = mapped_column(Float)
    status: Mapped[PostStatus] = mapped_column(str_enum(PostStatus), default=PostStatus.PENDING)
    reason: Mapped[str] = mapped_column(Text, default="")
    # an edit of a published post, waiting for review while the row above stays what everyone sees
    pending_edit: Mapped[dict | None] = mapped_column(JSON)
    edit_status: Mapped[PostStatus | None] = mapped_column(str_enum(PostStatus))
    edit_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    business: Mapped[Business] = relationship()
    commodity: Mapped[Commodity] = relationship()
    grade: Mapped[CommodityGrade | None] = relationship()
    region: Mapped[Region] = relationship()
    member: Mapped[CooperativeMember | None] = relationship()  # a cooperative's member producer (offers)

    @property
    def unit(self) -> CommodityUnit | None:
        return self.commodity.unit(self.unit_code)

    def is_open(self, on: date) -> bool:
        """Published and its window not over: what matching and the public board show."""
        return self.status is PostStatus.PUBLISHED and self.ends_on >= on


class Deal(db.Model):
    """A confirmed match, like a blanket purchase agreement: volume and remaining quantity in base units. The
    database keeps remaining between 0 and the volume; deliveries draw it down with one conditional UPDATE."""

    __table_args__ = (
        CheckConstraint("volume > 0", name="deal_volume_positive"),
        CheckConstraint("remaining >= 0 AND remaining <= volume", name="deal_remaining_within_volume"),
        CheckConstraint("ends_on >= starts_on", name="deal_period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("staples_post.id"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("staples_post.id"), index=True)
    commodity_id: Mapped[int] = mapped_column(ForeignKey("commodity.id"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("business.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("business.id"), index=True)
    seller_region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    buyer_region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("business.id"))
    # the seller cooperative's member who produces what the deal trades (the offer's, when it was proposed): named
    # on the deal's page and in its CSV as far as the member's consent allows at the time of reading
    member_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative_member.id", ondelete="SET NULL"), index=True)
    volume: Mapped[int] = mapped_column(Integer)
    remaining: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)  # whole Rupiah per base unit
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    delivery_terms: Mapped[DeliveryTerms] = mapped_column(str_enum(DeliveryTerms))
    transport_by: Mapped[Transport] = mapped_column(str_enum(Transport))
    status: Mapped[DealStatus] = mapped_column(str_enum(DealStatus), default=DealStatus.PROPOSED)
    close_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    offer: Mapped[StaplesPost] = relationship(foreign_keys=[offer_id])
    need: Mapped[StaplesPost] = relationship(foreign_keys=[need_id])
    commodity: Mapped[Commodity] = relationship()
    seller: Mapped[Business] = relationship(foreign_keys=[seller_id])
    buyer: Mapped[Business] = relationship(foreign_keys=[buyer_id])
    member: Mapped[CooperativeMember | None] = relationship()
    deliveries: Mapped[list[Delivery]] = relationship(back_populates="deal", order_by="Delivery.delivered_on",
                                                      cascade="all, delete-orphan")

    @property
    def delivered(self) -> int:
        return self.volume - self.remaining

    def side_of(self, business_ids: set[int]) -> str | None:
        """"seller", "buyer" or None for a user owning these businesses."""
        if self.seller_id in business_ids:
            return "seller"
        return "buyer" if self.buyer_id in business_ids else None


class Delivery(db.Model):
    """A delivery against a deal: it draws the deal's remaining quantity down when logged (never below 0); both
    sides confirm it; a disputed one gives its quantity back."""

    __table_args__ = (CheckConstraint("quantity > 0", name="delivery_quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), index=True)
    delivered_on: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)  # base units
    quality: Mapped[str] = mapped_column(String(200), default="")  # e.g. "kadar air 14,5 %"
    received_by: Mapped[str] = mapped_column(String(120))
    note_photo: Mapped[str | None] = mapped_column(String(80))  # the delivery note, a private document
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("business.id"))
    seller_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    buyer_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus), default=DeliveryStatus.LOGGED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deal: Mapped[Deal] = relationship(back_populates="deliveries")


class MatchConversation(db.Model):
    """The conversation of one match, opened by either side: one per (offer, need), between the owners of the two
    businesses (the conversation's parties, fixed when it is opened)."""

    offer_id: Mapped[int] = mapped_column(ForeignKey("staples_post.id", ondelete="CASCADE"), primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("staples_post.id", ondelete="CASCADE"), primary_key=True, index=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    offer: Mapped[StaplesPost] = relationship(foreign_keys=[offer_id])
    need: Mapped[StaplesPost] = relationship(foreign_keys=[need_id])
    conversation: Mapped[Conversation] = relationship()


@refers_to_files
def _delivery_notes() -> set[str]:
    """Photos of delivery notes, by their whole stored name."""
    return {document_name(name) for name in db.session.scalars(
        db.select(Delivery.note_photo).where(Delivery.note_photo.is_not(None)))}

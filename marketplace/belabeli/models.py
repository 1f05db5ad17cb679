"""A region's bela beli programme (legal basis, rank bands with monthly minimums, purchase points), its offices with
their headcount per rank band, purchases logged by an office and confirmed by the seller, and quote requests for
meeting catering sent to several food sellers."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, CheckConstraint, Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Role, User
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.catalog.visibility import watch
from marketplace.extensions import db
from marketplace.media.documents import document_name
from marketplace.media.references import refers_to_files
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow
from marketplace.regions.models import Region


class RankBand(LabelledEnum):
    """Rank bands of Instruksi Bupati Probolinggo 9/2024, lowest first; DEFAULT_MINIMUMS holds its amounts."""

    STAFF = "staff", _l("staff")
    ESELON_IV = "eselon_iv", _l("echelon IV")
    ESELON_III = "eselon_iii", _l("echelon III")
    HEAD = "head", _l("head of office / camat")
    ESELON_II = "eselon_ii", _l("echelon II")


DEFAULT_MINIMUMS = {RankBand.STAFF: 50_000, RankBand.ESELON_IV: 75_000, RankBand.ESELON_III: 100_000,
                    RankBand.HEAD: 150_000, RankBand.ESELON_II: 200_000}


class OfficeKind(LabelledEnum):
    OPD = "opd", _l("regional agency (OPD)")
    KECAMATAN = "kecamatan", _l("kecamatan")


class Programme(db.Model):
    """One region's buy-local programme; run by the region's DKUPP moderators (and admins)."""

    __tablename__ = "bela_beli_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), unique=True)
    legal_basis: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    purchase_points: Mapped[str] = mapped_column(Text, default="")  # one per line: galleries, sentra UMKM
    flag_after_days: Mapped[int] = mapped_column(default=7)  # a purchase unconfirmed this long is flagged to DKUPP
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    bands: Mapped[list[BandMinimum]] = relationship(cascade="all, delete-orphan", order_by="BandMinimum.minimum")
    offices: Mapped[list[Office]] = relationship(back_populates="programme", order_by="Office.name")

    @property
    def points(self) -> list[str]:
        return [line.strip() for line in self.purchase_points.splitlines() if line.strip()]

    def run_by(self, user: User) -> bool:
        return user.role is Role.ADMIN or (user.role is Role.MODERATOR and user.region_code == self.region_code)


class BandMinimum(db.Model):
    """A rank band's monthly minimum purchase in the programme, whole Rupiah."""

    __tablename__ = "bela_beli_band"
    __table_args__ = (UniqueConstraint("programme_id", "band", name="bela_beli_band_once"),
                      CheckConstraint("minimum >= 0", name="minimum_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("bela_beli_programme.id", ondelete="CASCADE"))
    band: Mapped[RankBand] = mapped_column(str_enum(RankBand))
    minimum: Mapped[int] = mapped_column(BigInteger)


class Office(db.Model):
    """An OPD or kecamatan in the programme; its coordinator (Role.OFFICE_COORDINATOR, user.office_id) keeps it."""

    __tablename__ = "bela_beli_office"
    __table_args__ = (UniqueConstraint("programme_id", "name", name="bela_beli_office_name_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("bela_beli_programme.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[OfficeKind] = mapped_column(str_enum(OfficeKind), default=OfficeKind.OPD)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="offices")
    headcounts: Mapped[list[Headcount]] = relationship(cascade="all, delete-orphan")

    def headcount(self, band: RankBand) -> int:
        return next((row.count for row in self.headcounts if row.band is band), 0)


class Headcount(db.Model):
    """How many civil servants of an office are in a rank band (numbers only: no names, no national ID numbers)."""

    __tablename__ = "bela_beli_headcount"
    __table_args__ = (UniqueConstraint("office_id", "band", name="bela_beli_headcount_once"),
                      CheckConstraint("count >= 0", name="count_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("bela_beli_office.id", ondelete="CASCADE"))
    band: Mapped[RankBand] = mapped_column(str_enum(RankBand))
    count: Mapped[int] = mapped_column(default=0)


class PurchaseStatus(LabelledEnum):
    PENDING = "pending", _l("waiting for the seller")
    CONFIRMED = "confirmed", _l("confirmed by the seller")
    DISPUTED = "disputed", _l("disputed by the seller")


purchase_product = Table(
    "bela_beli_purchase_product", db.metadata,
    Column("purchase_id", ForeignKey("bela_beli_purchase.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("product.id", ondelete="CASCADE"), primary_key=True),
)


class Purchase(db.Model):
    """A purchase by an office's civil servant at a verified business of the region. Only a purchase its seller
    confirmed counts; the confirmation is one conditional UPDATE (pending -> confirmed), so it happens once."""

    __tablename__ = "bela_beli_purchase"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),
                      Index("ix_bela_beli_purchase_office_month", "office_id", "month", "status"),
                      Index("ix_bela_beli_purchase_business_status", "business_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("bela_beli_office.id", ondelete="CASCADE"))
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="SET NULL"))  # top category
    band: Mapped[RankBand] = mapped_column(str_enum(RankBand))
    amount: Mapped[int] = mapped_column(BigInteger)
    bought_on: Mapped[date] = mapped_column(Date)
    month: Mapped[str] = mapped_column(String(7))  # 'YYYY-MM' of bought_on: what fulfilment groups by
    receipt: Mapped[str] = mapped_column(String(80))  # '<hash>.jpg' under documents/, never served as a photo
    note: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[PurchaseStatus] = mapped_column(str_enum(PurchaseStatus), default=PurchaseStatus.PENDING)
    dispute_reason: Mapped[str] = mapped_column(Text, default="")
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # when the region's DKUPP was told it waits too long (belabeli/flags.py): claimed by one conditional UPDATE
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    office: Mapped[Office] = relationship()
    business: Mapped[Business] = relationship()
    products: Mapped[list[Product]] = relationship(secondary=purchase_product, order_by="Product.id")


class QuoteStatus(LabelledEnum):
    OPEN = "open", _l("waiting for answers")
    ACCEPTED = "accepted", _l("an offer was accepted")


class QuoteRequest(db.Model):
    """A request for a catering quote for a meeting or event, sent to several food sellers of the region."""

    __tablename__ = "bela_beli_quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("bela_beli_programme.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("bela_beli_office.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    what: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[str] = mapped_column(String(80))
    needed_on: Mapped[date] = mapped_column(Date)
    budget: Mapped[int | None] = mapped_column(BigInteger)
    occasion: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[QuoteStatus] = mapped_column(str_enum(QuoteStatus), default=QuoteStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship()
    office: Mapped[Office | None] = relationship()
    offers: Mapped[list[QuoteOffer]] = relationship(back_populates="quote", cascade="all, delete-orphan",
                                                    order_by="QuoteOffer.id")


class OfferStatus(LabelledEnum):
    ASKED = "asked", _l("no answer yet")
    ANSWERED = "answered", _l("answered")
    ACCEPTED = "accepted", _l("accepted")
    DECLINED = "declined", _l("another offer was chosen")


class QuoteOffer(db.Model):
    """One seller asked for a quote, and their answer."""

    __tablename__ = "bela_beli_quote_offer"
    __table_args__ = (UniqueConstraint("quote_id", "business_id", name="bela_beli_quote_offer_once"),
                      CheckConstraint("price IS NULL OR price > 0", name="price_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("bela_beli_quote.id", ondelete="CASCADE"))
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True)
    status: Mapped[OfferStatus] = mapped_column(str_enum(OfferStatus), default=OfferStatus.ASKED)
    price: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(500), default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    quote: Mapped[QuoteRequest] = relationship(back_populates="offers")
    business: Mapped[Business] = relationship()


@refers_to_files
def _receipt_files() -> set[str]:
    """Receipt photos, by their whole stored name."""
    return {document_name(name) for name in db.session.scalars(db.select(Purchase.receipt))}


# a region page links its programme in a part cached under the catalogue generation (regions/views.py)
watch(Programme)

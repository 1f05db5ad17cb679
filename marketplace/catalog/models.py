"""Categories (a tree), products and their photos."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow
from marketplace.units import unit_label

if TYPE_CHECKING:
    from marketplace.businesses.models import Business
    from marketplace.catalog.attributes.models import ProductAttributeValue
    from marketplace.cooperatives.models import CooperativeMember
    from marketplace.media.models import Photo


class Category(db.Model):
    """A category with names in both UI languages; parent_id makes the tree."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_id: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent", order_by="Category.position")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_id


class ProductStatus(LabelledEnum):
    DRAFT = "draft", _l("draft")
    PENDING = "pending", _l("in review")
    PUBLISHED = "published", _l("published")
    CHANGES_REQUESTED = "changes_requested", _l("changes requested")
    REJECTED = "rejected", _l("rejected")
    ARCHIVED = "archived", _l("archived")


class Availability(LabelledEnum):
    READY = "ready", _l("Ready stock")
    PRE_ORDER = "pre_order", _l("Made to order (pre-order)")
    OUT_OF_STOCK = "out_of_stock", _l("Out of stock")


# Stored codes; their labels in each language: marketplace/units.py.
UNITS = ("pcs", "lembar", "potong", "set", "paket", "kg", "gram", "liter", "butir", "ikat", "lusin", "kodi", "meter", "ton")


class Product(db.Model):
    """A product of a business. Price in whole Rupiah: min only (fixed), min and max (range), or none (on request)."""

    __table_args__ = (
        Index("ix_product_public_published", "public", "published_at"),
        # covering indexes: counts and facets of a region or a category never read the table
        Index("ix_product_public_region", "public", "region_code", "category_id", "price_min"),
        Index("ix_product_public_category", "public", "category_id", "region_code", "price_min"),
        Index("ix_product_public_price", "public", "price_min"),
        Index("ix_product_public_category_published", "public", "category_id", "published_at"),  # related products
        CheckConstraint("price_max IS NULL OR (price_min IS NOT NULL AND price_max >= price_min)", name="price_range"),
        CheckConstraint("price_min IS NULL OR price_min >= 0", name="price_not_negative"),
        CheckConstraint("min_order >= 1", name="min_order_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # optimistic lock: an UPDATE whose version moved meanwhile fails, so two moderators can't both decide
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    # a cooperative's product may name the member who produced it (shown only as the member's consent allows)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative_member.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(140))
    slug: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    price_min: Mapped[int | None] = mapped_column(BigInteger)
    price_max: Mapped[int | None] = mapped_column(BigInteger)
    unit: Mapped[str] = mapped_column(String(16), default="pcs")
    min_order: Mapped[int] = mapped_column(default=1)
    availability: Mapped[Availability] = mapped_column(str_enum(Availability), default=Availability.READY)
    status: Mapped[ProductStatus] = mapped_column(str_enum(ProductStatus), default=ProductStatus.DRAFT, index=True)
    # Kept by catalog/visibility.py on every flush, never set by hand: whether buyers may see the product (published,
    # business verified) and its business's region, so the catalogue filters and counts without joining businesses.
    public: Mapped[bool] = mapped_column(default=False, server_default=false())
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    review_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    business: Mapped[Business] = relationship()
    category: Mapped[Category] = relationship()
    member: Mapped[CooperativeMember | None] = relationship()
    photos: Mapped[list[Photo]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="Photo.position"
    )

    revision: Mapped[ProductRevision | None] = relationship(
        back_populates="product", cascade="all, delete-orphan", uselist=False
    )
    # the category's attributes as the product answers them (catalog/attributes/)
    attribute_values: Mapped[list[ProductAttributeValue]] = relationship(
        back_populates="product", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def attributes(self) -> dict[str, str]:
        """Attribute code -> stored value (catalog.attributes.services.set_values changes them)."""
        return {value.attribute.code: value.value for value in self.attribute_values}

    @property
    def public_photos(self) -> list[Photo]:
        return [photo for photo in self.photos if photo.approved]

    @property
    def cover(self) -> Photo | None:
        """The first approved photo: what buyers see."""
        return next((photo for photo in self.photos if photo.approved), None)

    @property
    def unit_label(self) -> str:
        """The unit in the reader's language, for one of it: "Rp 5.000 / sheet"."""
        return unit_label(self.unit)

    @property
    def unit_plural(self) -> str:
        """The unit's plural in the reader's language: "In sheets"."""
        return unit_label(self.unit, 2)

    def quantity(self, count: int) -> str:
        """count of the unit in the reader's language: "10 sheets", "10 lembar"."""
        return f"{count} {unit_label(self.unit, count)}"

    @property
    def price_on_request(self) -> bool:
        return self.price_min is None

    def proposed_alt_text(self, photo: Photo) -> str:
        """The alt text the owner is working on: the one waiting in the edit, else the photo's own (what buyers read)."""
        proposed = self.revision.data.get("alt_texts", {}) if self.revision is not None else {}
        return proposed.get(str(photo.id), photo.alt_text)


# ?sort=price_desc (highest price first, on request last: `price_min DESC NULLS LAST`) read from an index, as the
# ascending indexes above give price_asc: read backwards they would put the unpriced first. PostgreSQL only: SQLite's
# indexes take no NULLS LAST, and its DESC puts NULLs last anyway (POSTGRESQL_ONLY_INDEXES in
# catalog/search/schema.py keeps autogenerate from asking for them there).
Index("ix_product_public_region_price_desc", Product.public, Product.region_code, Product.category_id,
      Product.price_min.desc().nulls_last()).ddl_if(dialect="postgresql")
Index("ix_product_public_price_desc", Product.public, Product.price_min.desc().nulls_last()).ddl_if(dialect="postgresql")


class RevisionStatus(LabelledEnum):
    """The state of a published product's edit; labelled like the product statuses of the same name."""

    PENDING = "pending", _l("in review")
    CHANGES_REQUESTED = "changes_requested", _l("changes requested")
    REJECTED = "rejected", _l("rejected")


# Fields whose change on a published product needs review; price and availability do not.
CONTENT_FIELDS = ("name", "description", "category_id", "unit", "min_order", "attributes", "member_id")


class ProductRevision(db.Model):
    """An edit of a published product waiting for review; the product row stays the approved, public version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # optimistic lock: an UPDATE whose version moved meanwhile fails, so two moderators can't both decide
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), unique=True)
    # CONTENT_FIELDS -> proposed values; "alt_texts": {photo id as text: proposed alt text} for approved photos
    data: Mapped[dict] = mapped_column(JSON)
    status: Mapped[RevisionStatus] = mapped_column(str_enum(RevisionStatus), default=RevisionStatus.PENDING, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product] = relationship(back_populates="revision")


class CatalogueState(db.Model):
    """One row: a number bumped by every change buyers could see, so cached catalogue counts know when to go."""

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)

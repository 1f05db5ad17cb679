"""What a category asks of its products (attributes and their options) and what each product answers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum

if TYPE_CHECKING:
    from marketplace.catalog.models import Category, Product


class AttributeKind(LabelledEnum):
    TEXT = "text", _l("text")
    CHOICE = "choice", _l("choice from a list")
    NUMBER = "number", _l("number with a unit")
    DATE = "date", _l("date")
    IDENTIFIER = "identifier", _l("identifier with a format")


class CategoryAttribute(db.Model):
    """One attribute a category's products describe; its subcategories inherit it (shown before their own)."""

    __table_args__ = (UniqueConstraint("category_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"), index=True)
    # stable key: facet query arguments (attr.<code>) and revisions name attributes by it; unique along a category chain
    code: Mapped[str] = mapped_column(String(40))
    name_id: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    kind: Mapped[AttributeKind] = mapped_column(str_enum(AttributeKind), default=AttributeKind.TEXT)
    unit_id: Mapped[str] = mapped_column(String(20), default="")  # numbers: the unit in each language ("gram", "hari")
    unit_en: Mapped[str] = mapped_column(String(20), default="")
    pattern: Mapped[str] = mapped_column(String(200), default="")  # identifiers: a regular expression the whole value matches
    example: Mapped[str] = mapped_column(String(60), default="")  # identifiers: what a valid value looks like
    required: Mapped[bool] = mapped_column(default=False, server_default=false())
    position: Mapped[int] = mapped_column(default=0)
    # retired: no longer asked for, but values already given stay readable
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    category: Mapped[Category] = relationship()
    options: Mapped[list[AttributeOption]] = relationship(
        back_populates="attribute", cascade="all, delete-orphan", order_by="AttributeOption.position")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_id

    def unit(self, locale: str) -> str:
        return self.unit_en if locale == "en" else self.unit_id

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class AttributeOption(db.Model):
    """One option of a choice attribute: a stable code (the facet's query value) and labels in both languages."""

    __table_args__ = (UniqueConstraint("attribute_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("category_attribute.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    label_id: Mapped[str] = mapped_column(String(80))
    label_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attribute: Mapped[CategoryAttribute] = relationship(back_populates="options")

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label_id

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class ProductAttributeValue(db.Model):
    """A product's value of one attribute, as checked text (choices: the option's code, numbers: "2.5", dates: ISO);
    a choice also keeps its option, so the catalogue's facets filter and count through an index."""

    __table_args__ = (
        # the facet filter (EXISTS ... attribute, option, product) and its grouped count read only this index
        Index("ix_product_attribute_value_facet", "attribute_id", "option_id", "product_id"),
    )

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("category_attribute.id", ondelete="CASCADE"), primary_key=True)
    option_id: Mapped[int | None] = mapped_column(ForeignKey("attribute_option.id", ondelete="SET NULL"))
    value: Mapped[str] = mapped_column(String(200))

    product: Mapped[Product] = relationship(back_populates="attribute_values")
    attribute: Mapped[CategoryAttribute] = relationship(lazy="joined")

"""What a user saved. A saved product remembers the offer the user was last told about (seen_price, seen_available):
a change is news only against it, so the same drop is never told twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.models_base import UTCDateTime, utcnow


class SavedProduct(db.Model):
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True, index=True)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    seen_price: Mapped[int | None] = mapped_column(BigInteger)  # the lowest price (price_min) last seen; None: on request
    seen_available: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship()
    product: Mapped[Product] = relationship()


class SavedBusiness(db.Model):
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), primary_key=True, index=True)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User] = relationship()
    business: Mapped[Business] = relationship()

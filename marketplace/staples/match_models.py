"""The stored table of current matches (staples/match_store.py keeps it in step with the posts)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.staples.models import StaplesPost


class StaplesMatch(db.Model):
    """A current match (staples/match_store.py keeps these rows in step with the posts, in the same transaction as
    any change to them): the pages list matches from here instead of running the matching query. The two sides'
    businesses and regions are copied beside the pair so a business's or a region's matches are one indexed read;
    ends_on is the earlier end of the two windows: the pair stops matching the day after (read with ends_on >= today,
    so a pair is never shown once one post has expired, even before the nightly clean-up removes it)."""

    __table_args__ = (
        # a business's and a region's pairs, each side read in score order (match_store.stored_matches)
        Index("ix_staples_match_offer_business", "offer_business_id", "score"),
        Index("ix_staples_match_need_business", "need_business_id", "score"),
        Index("ix_staples_match_offer_region", "offer_region_code", "score"),
        Index("ix_staples_match_need_region", "need_region_code", "score"),
    )

    offer_id: Mapped[int] = mapped_column(ForeignKey("staples_post.id", ondelete="CASCADE"), primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("staples_post.id", ondelete="CASCADE"), primary_key=True, index=True)
    offer_business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"))
    need_business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"))
    offer_region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    need_region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    ends_on: Mapped[date] = mapped_column(Date)
    score: Mapped[float] = mapped_column(Float)
    share: Mapped[float] = mapped_column(Float)

    offer: Mapped[StaplesPost] = relationship(foreign_keys=[offer_id], viewonly=True)
    need: Mapped[StaplesPost] = relationship(foreign_keys=[need_id], viewonly=True)

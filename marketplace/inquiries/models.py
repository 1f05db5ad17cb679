"""An inquiry: a buyer's message about a product, stored before the WhatsApp hand-off is offered, and the thread of
messages between the buyer and the owner that it opens."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.conversations.models import Conversation
from marketplace.cooperatives.models import CooperativeMember
from marketplace.extensions import db
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow
from marketplace.regions.models import Region


class InquiryStatus(LabelledEnum):
    NEW = "new", _l("new")
    REPLIED = "replied", _l("replied")
    CLOSED = "closed", _l("closed")


class Inquiry(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True)
    # the cooperative's member who produced the product at the time of asking (the owner's inbox names them)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative_member.id", ondelete="SET NULL"), index=True)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    contact: Mapped[str] = mapped_column(String(254))  # a phone number (normalised 62…) or an email
    quantity: Mapped[int] = mapped_column(default=1)
    message: Mapped[str] = mapped_column(Text, default="")
    # None: the buyer's region is not known (reports count it as "unknown"); the forms always ask for it
    buyer_region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    seller_region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)  # at the time of asking
    status: Mapped[InquiryStatus] = mapped_column(str_enum(InquiryStatus), default=InquiryStatus.NEW, index=True)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first marked replied: the owner's response time
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the owner first opened it
    # the thread between buyer and owner; its first message is the inquiry's note (`message`, kept as typed)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # set when the inquiry came through a booth's page at an event (its QR code): the event's reach counts it
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)

    product: Mapped[Product] = relationship()
    business: Mapped[Business] = relationship()
    member: Mapped[CooperativeMember | None] = relationship()
    buyer: Mapped[User | None] = relationship()
    buyer_region: Mapped[Region | None] = relationship(foreign_keys=[buyer_region_code])
    seller_region: Mapped[Region] = relationship(foreign_keys=[seller_region_code])
    conversation: Mapped[Conversation] = relationship()


class InquiryMonth(db.Model):
    """Summary kept by the inquiry services (same transaction): inquiries sent per seller region at the time of
    asking, local month of asking and buyer region ("" when not known), and how many of them have been answered.
    `flask reports-rebuild-summaries` counts it again from the inquiries."""

    seller_region_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM, Asia/Jakarta
    buyer_region_code: Mapped[str] = mapped_column(String(5), primary_key=True)  # "" : not known
    inquiries: Mapped[int] = mapped_column(default=0)
    answered: Mapped[int] = mapped_column(default=0)


class InquiryReplyMonth(db.Model):
    """Summary kept by the inquiry services: answered inquiries per seller region and local month of asking, by the
    time to the first reply in fixed buckets (marketplace/counting.py: the bucket's upper bound in minutes)."""

    seller_region_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    minutes: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    inquiries: Mapped[int] = mapped_column(default=0)

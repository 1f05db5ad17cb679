"""Inquiries as their parties may see them: the owner of the product's business and the buyer who sent it (with an
account). Anyone else gets 404, whatever their role. The helpers take the user explicitly."""

from flask import abort
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.businesses.models import Business
from marketplace.conversations.models import Conversation, Message
from marketplace.conversations.queries import unread_counts
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryStatus

LIST_LIMIT = 200


def _listed():
    return db.select(Inquiry).options(
        selectinload(Inquiry.product), selectinload(Inquiry.business), selectinload(Inquiry.buyer_region),
        selectinload(Inquiry.conversation),
    ).order_by(Inquiry.created_at.desc(), Inquiry.id.desc()).limit(LIST_LIMIT)


def received(owner: User, status: InquiryStatus | None = None) -> list[Inquiry]:
    """The inquiries about the products of owner's businesses, newest first."""
    stmt = _listed().join(Inquiry.business).where(Business.owner_id == owner.id)
    if status is not None:
        stmt = stmt.where(Inquiry.status == status)
    return list(db.session.scalars(stmt))


def sent(buyer: User) -> list[Inquiry]:
    """The inquiries user sent while logged in, newest first."""
    return list(db.session.scalars(_listed().where(Inquiry.buyer_id == buyer.id)))


def unread_by_inquiry(user: User, inquiries: list[Inquiry]) -> dict[int, int]:
    """{inquiry id: messages user has not read in its thread}, in one query."""
    counts = unread_counts(user.id, [inquiry.conversation_id for inquiry in inquiries])
    return {inquiry.id: counts.get(inquiry.conversation_id, 0) for inquiry in inquiries}


def has_sent(user: User) -> bool:
    return db.session.scalar(db.select(db.exists().where(Inquiry.buyer_id == user.id)))


def inquiry_of_party_or_404(user: User, inquiry_id: int) -> Inquiry:
    """The inquiry when user is its buyer or the owner of its product's business; 404 for anyone else."""
    inquiry = db.session.scalar(
        db.select(Inquiry).join(Inquiry.business)
        .where(Inquiry.id == inquiry_id, or_(Inquiry.buyer_id == user.id, Business.owner_id == user.id))
        .options(selectinload(Inquiry.conversation).selectinload(Conversation.messages).selectinload(Message.author),
                 selectinload(Inquiry.conversation).selectinload(Conversation.parties))
    )
    if inquiry is None:
        abort(404)
    return inquiry

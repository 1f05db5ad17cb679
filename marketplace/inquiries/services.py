"""Inquiries: store them with their thread, tell the owner, build the WhatsApp hand-off; replies in the thread and the
owner's statuses. They change objects and flush; the unit of work of the request commits. Sending an inquiry and its
first reply also add to the reports' summaries (InquiryMonth, InquiryReplyMonth) in the same transaction. The callers give the
addresses (services build no URLs)."""

from collections.abc import Callable
from urllib.parse import quote

from flask_babel import force_locale
from flask_babel import gettext as _

from marketplace import counting
from marketplace.accounts.models import User
from marketplace.catalog.models import Product
from marketplace.conversations import services as conversations
from marketplace.conversations.models import Message
from marketplace.conversations.queries import unread_subquery
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryMonth, InquiryReplyMonth, InquiryStatus
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify
from marketplace.units import unit_label

SUBJECT = "inquiry"  # Conversation.subject of an inquiry's thread


def send_inquiry(product: Product, *, buyer: User | None, name: str, contact: str, quantity: int, message: str,
                 buyer_region_code: str, link_for: Callable[[int], str], inbox_url: str) -> Inquiry:
    """Store the inquiry with both regions and its thread (the note is the thread's first message; a buyer with an
    account takes part, a visitor is answered by WhatsApp or email), then tell the owner in the app (link_for(inquiry
    id): the inquiry's page) and by email (inbox_url: the absolute address of the notifications page), sent once the
    request commits."""
    owner = product.business.owner
    conversation = conversations.open_conversation(
        SUBJECT, [owner, buyer] if buyer is not None else [owner], opening=message, author=buyer)
    inquiry = Inquiry(
        product=product, business=product.business, member_id=product.member_id, buyer=buyer, name=name.strip(),
        contact=contact, quantity=quantity,
        message=message.strip(), buyer_region_code=buyer_region_code, seller_region_code=product.business.region_code,
        conversation=conversation,
    )
    db.session.add(inquiry)
    db.session.flush()
    counting.add(InquiryMonth, _month_keys(inquiry), inquiries=1, answered=0)
    notify(owner, "inquiry.new", link=link_for(inquiry.id), inbox_url=inbox_url,
           product=product.name, name=inquiry.name, quantity=quantity, unit=product.unit)
    db.session.flush()
    return inquiry


def reply(inquiry: Inquiry, author: User, body: str, *, link: str, inbox_url: str) -> Message:
    """A message in the inquiry's thread by its buyer or owner; the other side is told. The owner's first answer
    turns a new inquiry into a replied one, and its time is the owner's time to first reply."""
    message = conversations.post_message(inquiry.conversation, author, body, about=inquiry.product.name, link=link,
                                         inbox_url=inbox_url)
    if author.id == inquiry.business.owner_id:
        if inquiry.status is InquiryStatus.NEW:
            inquiry.status = InquiryStatus.REPLIED
        if inquiry.replied_at is None:
            _answered(inquiry)
    return message


def _month_keys(inquiry: Inquiry) -> dict:
    return {"seller_region_code": inquiry.seller_region_code, "month": counting.local_month(inquiry.created_at),
            "buyer_region_code": inquiry.buyer_region_code or counting.UNKNOWN}


def _answered(inquiry: Inquiry) -> None:
    """The first reply: its time, and the reports' summaries counted in the same transaction (answered, and the
    time to the first reply in its bucket)."""
    inquiry.replied_at = utcnow()
    counting.add(InquiryMonth, _month_keys(inquiry), inquiries=0, answered=1)
    counting.add(InquiryReplyMonth, {"seller_region_code": inquiry.seller_region_code,
                                     "month": counting.local_month(inquiry.created_at),
                                     "minutes": counting.bucket(inquiry.replied_at, inquiry.created_at)}, inquiries=1)


def whatsapp_link(inquiry: Inquiry, product_url: str) -> str:
    """wa.me click-to-chat to the seller, prefilled in the seller's language with the product, its absolute URL
    (product_url) and the request."""
    product = inquiry.product
    with force_locale(product.business.owner.locale):
        text = _("Hello %(business)s, I am interested in %(product)s (%(url)s). Quantity: %(quantity)d %(unit)s.",
                 business=product.business.name, product=product.name, url=product_url, quantity=inquiry.quantity,
                 unit=unit_label(product.unit, inquiry.quantity))
    if inquiry.message:
        text += " " + inquiry.message
    return f"https://wa.me/{product.business.whatsapp}?text={quote(text, safe='')}"


def mark_read(inquiry: Inquiry, reader: User) -> None:
    """reader (its buyer or owner) has opened the inquiry: every message so far is read."""
    if reader.id == inquiry.business.owner_id and inquiry.read_at is None:
        inquiry.read_at = utcnow()
    conversations.mark_read(inquiry.conversation, reader)


def set_status(inquiry: Inquiry, status: InquiryStatus) -> None:
    """The owner's own bookkeeping: new, replied or closed. A closed inquiry's thread stays readable and takes no
    new messages until the owner opens it again. The first time it is answered is kept (`replied_at`): the owner's
    time to first reply (the listing coach's responsiveness)."""
    inquiry.status = status
    if status is InquiryStatus.REPLIED and inquiry.replied_at is None:
        _answered(inquiry)
    if status is InquiryStatus.CLOSED:
        conversations.close(inquiry.conversation)
    else:
        conversations.reopen(inquiry.conversation)


def unread_count(user_id: int) -> int:
    """Inquiries, received or sent, with messages user has not read (the header's count)."""
    unread = unread_subquery(user_id)
    return db.session.scalar(
        db.select(db.func.count(Inquiry.id)).join(unread, unread.c.conversation_id == Inquiry.conversation_id)
    )


"""Inquiries: store them, tell the owner, build the WhatsApp hand-off; the owner's inbox states. They change objects
and flush; the unit of work of the request commits. The callers give the addresses (services build no URLs)."""

from collections.abc import Callable
from urllib.parse import quote

from flask_babel import force_locale
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryStatus
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify
from marketplace.units import unit_label


def send_inquiry(product: Product, *, buyer: User | None, name: str, contact: str, quantity: int, message: str,
                 buyer_region_code: str, link_for: Callable[[int], str], inbox_url: str) -> Inquiry:
    """Store the inquiry with both regions, then tell the owner in the app (link_for(inquiry id): the inquiry's page)
    and by email (inbox_url: the absolute address of the notifications page), sent once the request commits."""
    inquiry = Inquiry(
        product=product, business=product.business, member_id=product.member_id, buyer=buyer, name=name.strip(),
        contact=contact, quantity=quantity,
        message=message.strip(), buyer_region_code=buyer_region_code, seller_region_code=product.business.region_code,
    )
    db.session.add(inquiry)
    db.session.flush()
    notify(product.business.owner, "inquiry.new", link=link_for(inquiry.id), inbox_url=inbox_url,
           product=product.name, name=inquiry.name, quantity=quantity, unit=product.unit)
    db.session.flush()
    return inquiry


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


def mark_read(inquiry: Inquiry) -> None:
    """The owner has opened the inquiry."""
    if inquiry.read_at is None:
        inquiry.read_at = utcnow()


def set_status(inquiry: Inquiry, status: InquiryStatus) -> None:
    """The owner's own bookkeeping: new, replied or closed."""
    inquiry.status = status


def unread_count(owner_id: int) -> int:
    return db.session.scalar(
        db.select(db.func.count(Inquiry.id)).join(Inquiry.business)
        .where(Business.owner_id == owner_id, Inquiry.read_at.is_(None))
    )

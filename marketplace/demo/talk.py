"""Demo conversations and favourites: the demo buyer (Budi, Kabupaten Blitar) asks Batik Manggur Siti (Kota
Probolinggo) about a batik tulis, Siti answers in the thread and Budi answers back; Budi saves the batik and the
business. Links are paths (the CLI has no request); safe to run again."""

from marketplace.accounts.services import find_user_by_email
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.catalog.queries import public_products
from marketplace.extensions import db
from marketplace.favourites.services import save_business, save_product
from marketplace.inquiries.models import Inquiry
from marketplace.inquiries.services import reply, send_inquiry

BUYER, OWNER_BUSINESS = "pembeli@demo.etalase.id", "Batik Manggur Siti"
INBOX = "/my/notifications"


def seed_conversations() -> None:
    buyer = find_user_by_email(BUYER)
    business = db.session.scalar(db.select(Business).where(Business.name == OWNER_BUSINESS))
    if buyer is None or business is None:
        return
    product = db.session.scalar(public_products().where(Product.business_id == business.id).order_by(Product.id))
    if product is None or db.session.scalar(db.select(Inquiry).where(Inquiry.buyer_id == buyer.id)) is not None:
        return
    inquiry = send_inquiry(product, buyer=buyer, name=buyer.name, contact=buyer.email, quantity=10,
                           message="Selamat siang Bu Siti, apakah motif Manggur ada yang warna biru? Untuk seragam "
                                   "kantor kami di Blitar.",
                           buyer_region_code="35.05", link_for=lambda inquiry_id: f"/my/inquiries/{inquiry_id}",
                           inbox_url=INBOX)
    link = f"/my/inquiries/{inquiry.id}"
    reply(inquiry, business.owner, "Siang Pak Budi, ada warna biru indigo dari pewarna alami. Untuk 10 lembar bisa "
                                   "selesai dua minggu.", link=link, inbox_url=INBOX)
    reply(inquiry, buyer, "Baik Bu, mohon dikirim contoh fotonya. Ongkir ke Kabupaten Blitar berapa?", link=link,
          inbox_url=INBOX)
    save_product(buyer, product)
    save_business(buyer, business)

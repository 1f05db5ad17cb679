"""Demo leads across regions for the reports and /impact: visitors of Kabupaten Pasuruan and Kabupaten Blitar ask
Kota Probolinggo's sellers (and the other way round) over the last months, most answered; and daily views of the
demo showcase. So both seed MoUs show figures that are not zero (and not hidden as "<3"). Safe to run again."""

from datetime import timedelta

from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.catalog.queries import public_products
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryStatus
from marketplace.inquiries.services import send_inquiry
from marketplace.models_base import utcnow
from marketplace.reports import summaries
from marketplace.showcases.models import Showcase, ShowcaseReach
from marketplace.timeutil import today

CONTACT = "6281300000{:03d}"  # the demo visitors' numbers: the marker that this seed ran
INBOX = "/my/notifications"
# (buyer region, seller region, how many), spread over the last 90 days
LEADS = (("35.14", "35.74", 9), ("35.05", "35.74", 7), ("35.74", "35.14", 4), ("35.74", "35.05", 4), (None, "35.74", 2))
NAMES = ("Ibu Lestari", "Pak Joko", "Mbak Rina", "Pak Hadi", "Ibu Wati", "Mas Dimas")


def _products(region: str) -> list[Product]:
    return list(db.session.scalars(public_products().join(Business, Business.id == Product.business_id)
                                   .where(Business.region_code == region).order_by(Product.id)))


def seed_report_leads() -> int:
    """Add the demo inquiries across regions and the showcase's daily views; returns how many inquiries."""
    if db.session.scalar(db.select(Inquiry.id).where(Inquiry.contact == CONTACT.format(0))) is not None:
        return 0
    now, made = utcnow(), 0
    for buyer_region, seller_region, count in LEADS:
        products = _products(seller_region)
        for i in range(count if products else 0):
            product = products[i % len(products)]
            inquiry = send_inquiry(
                product, buyer=None, name=NAMES[made % len(NAMES)], contact=CONTACT.format(made), quantity=5 + i,
                message="Apakah bisa kirim ke luar kota? Mohon info harga grosir.",
                buyer_region_code=buyer_region or product.business.region_code,
                link_for=lambda inquiry_id: f"/my/inquiries/{inquiry_id}", inbox_url=INBOX)
            inquiry.buyer_region_code = buyer_region  # None: a visitor whose region is not known
            inquiry.created_at = now - timedelta(days=3 + (made * 7) % 90, hours=made % 5)
            if made % 4:  # three in four answered, within a day
                inquiry.status = InquiryStatus.REPLIED
                inquiry.replied_at = inquiry.created_at + timedelta(hours=1 + made % 20)
            made += 1
    showcase = db.session.scalar(db.select(Showcase).where(Showcase.published).order_by(Showcase.id))
    if showcase is not None:
        start = today() - timedelta(days=60)
        db.session.add_all([ShowcaseReach(showcase_id=showcase.id, product_id=0, day=start + timedelta(days=d),
                                          count=5 + (d * 7) % 11) for d in range(0, 60, 3)])
    db.session.flush()
    summaries.rebuild()  # the leads' times and regions were set after the service counted them
    return made

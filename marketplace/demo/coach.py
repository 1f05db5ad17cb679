"""Demo data of the listing coach: a dormant seller in Kota Probolinggo (no inquiry for 75 days, a dark photo) with
DKUPP's follow-up entry, kecamatan on the other demo businesses of 35.74, and today's region totals."""

from datetime import timedelta
from io import BytesIO

from PIL import Image, ImageEnhance

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Role
from marketplace.businesses.models import Business, Verification
from marketplace.businesses.services import create_business, set_verification
from marketplace.catalog.models import Category, Product
from marketplace.catalog.services import create_product, review_product, submit_product
from marketplace.coach import services as coach
from marketplace.coach.models import FollowUp, FollowUpKind
from marketplace.demo.images import draw_product_photo
from marketplace.extensions import db
from marketplace.media.services import stage_photo
from marketplace.models_base import utcnow

DORMANT_OWNER = ("pemilik.mayangan@demo.etalase.id", "Sulastri")
DORMANT_NAME = "Keripik Tempe Bu Sulastri"
MODERATOR = "moderator.kotaprobolinggo@demo.etalase.id"
KECAMATAN = {"Batik Manggur Siti": "Kanigaran", "Olahan Mangga Bu Siti": "Mayangan"}


def _dark(data: bytes) -> bytes:
    """The demo photo as a phone takes it in a dim kitchen: what the coach tells the owner to fix."""
    buffer = BytesIO()
    ImageEnhance.Brightness(Image.open(BytesIO(data)).convert("RGB")).enhance(0.25).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def seed_coach(password: str) -> None:
    """Add the coach's demo data; safe to run again."""
    for name, kecamatan in KECAMATAN.items():
        business = db.session.scalar(db.select(Business).where(Business.name == name))
        if business is not None and business.kecamatan is None:
            business.kecamatan = kecamatan
    if db.session.scalar(db.select(Business).where(Business.name == DORMANT_NAME)) is None:
        _seed_dormant(password)
    coach.take_snapshots(utcnow())


def _seed_dormant(password: str) -> None:
    email, name = DORMANT_OWNER
    owner = accounts.find_user_by_email(email) or accounts.create_user(
        email=email, password=password, name=name, role=Role.OWNER, region_code="35.74")
    business = create_business(
        owner, name=DORMANT_NAME, region_code="35.74", whatsapp="6281234567822", nib="9120001234577",
        address="Jl. Panglima Sudirman No. 12, Mayangan, Kota Probolinggo", kecamatan="Mayangan",
        description="Keripik tempe tipis buatan rumah, digoreng dengan minyak baru setiap hari.")
    set_verification(business, Verification.VERIFIED)
    category = db.session.scalar(db.select(Category).where(Category.slug == "keripik"))
    photo = stage_photo(owner, _dark(draw_product_photo(category, "keripik-tempe-sulastri")), alt_text="Keripik tempe")
    product = create_product(business, category=category, name="Keripik Tempe Original 200 g",
                             description="Keripik tempe renyah.", price_min=12000, unit="paket", min_order=5,
                             new_photos=[photo])
    submit_product(product)
    review_product(product, "approve", Role.MODERATOR)
    long_ago = utcnow() - timedelta(days=75)
    db.session.flush()
    db.session.execute(db.update(Business).where(Business.id == business.id).values(created_at=long_ago))
    db.session.execute(db.update(Product).where(Product.id == product.id)
                       .values(created_at=long_ago, updated_at=long_ago, published_at=long_ago))
    moderator = accounts.find_user_by_email(MODERATOR)
    entry = coach.log_follow_up(moderator, business, FollowUpKind.VISITED,
                                "Dikunjungi di rumah produksi. Foto produk masih gelap; dijadwalkan pemotretan "
                                "bersama pendamping minggu depan.")
    db.session.execute(db.update(FollowUp).where(FollowUp.id == entry.id)
                       .values(created_at=utcnow() - timedelta(days=10)))
    db.session.expire_all()

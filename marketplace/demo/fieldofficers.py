"""Demo data of assisted onboarding: a field officer of Kota Probolinggo (35.74) with one owner still unclaimed (a
business awaiting verification and a product in review, consent by a signed form) and one who has taken the account
over (a verified business with a published product, consent confirmed by email)."""

from io import BytesIO

from PIL import Image, ImageDraw

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Role
from marketplace.businesses.models import Verification
from marketplace.businesses.services import set_verification
from marketplace.catalog.models import Category
from marketplace.catalog.services import review_product
from marketplace.demo.images import draw_product_photo
from marketplace.extensions import db
from marketplace.fieldofficers import acting, services
from marketplace.fieldofficers.models import AssistedOwner, ConsentMethod
from marketplace.media.services import stage_photo
from marketplace.models_base import utcnow

OFFICER = ("petugas.kotaprobolinggo@demo.etalase.id", "Dewi Anggraini (pendamping DKUPP)")
UNCLAIMED = {"email": "hasan.kedopok@demo.etalase.id", "name": "Hasan Basri", "phone": "6281234567861",
             "business": "Terasi Udang Pak Hasan", "kecamatan": "Kedopok", "category": "sambal-bumbu",
             "product": "Terasi Udang Rebon 100 g", "price": 9000, "unit": "pcs"}
CLAIMED = {"email": "aminah.wonoasih@demo.etalase.id", "name": "Aminah", "phone": "6281234567862",
           "business": "Anyaman Pandan Bu Aminah", "kecamatan": "Wonoasih", "category": "anyaman",
           "product": "Tas Anyaman Pandan Motif Kawung", "price": 85000, "unit": "pcs"}


def _signed_form(name: str) -> bytes:
    """A photographed consent form, drawn: what the officer photographs in the owner's kitchen."""
    image = Image.new("RGB", (900, 1200), (246, 244, 236))
    draw = ImageDraw.Draw(image)
    draw.text((60, 60), "SURAT PERSETUJUAN PENDAMPINGAN", fill=(20, 20, 20))
    for line in range(12):
        draw.line((60, 160 + 60 * line, 840, 160 + 60 * line), fill=(200, 200, 200), width=2)
    draw.text((60, 1000), name, fill=(20, 20, 90))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _category(slug: str) -> Category:
    return db.session.scalar(db.select(Category).where(Category.slug == slug)) or \
        db.session.scalar(db.select(Category).where(Category.parent_id.is_not(None)).order_by(Category.id))


def _onboard(officer, data: dict) -> AssistedOwner:
    assisted = services.register_owner(officer, name=data["name"], email=data["email"], phone=data["phone"])
    return assisted


def _business_and_product(officer, assisted: AssistedOwner, data: dict):
    business = acting.create_business_for(
        officer, assisted, name=data["business"], region_code="35.74", whatsapp=data["phone"], kecamatan=data["kecamatan"],
        address=f"Kec. {data['kecamatan']}, Kota Probolinggo", description="Didaftarkan bersama pendamping DKUPP.")
    category = _category(data["category"])
    photo = stage_photo(officer, draw_product_photo(category, data["email"]), alt_text=data["product"])
    product = acting.create_product_for(officer, assisted, business, category=category, name=data["product"],
                                        description="Dibuat di rumah, dipotret oleh pendamping.",
                                        price_min=data["price"], unit=data["unit"], new_photos=[photo])
    acting.submit_product_for(officer, assisted, product)
    return business, product


def seed_fieldofficers(password: str) -> list[tuple[str, str, str | None]]:
    """Add the field officer and their two owners; safe to run again. Returns the demo accounts."""
    email, name = OFFICER
    officer = accounts.find_user_by_email(email) or accounts.create_user(
        email=email, password=password, name=name, role=Role.FIELD_OFFICER, region_code="35.74")
    if accounts.find_user_by_email(UNCLAIMED["email"]) is None:
        assisted = _onboard(officer, UNCLAIMED)
        services.record_signed_form(officer, assisted, consent_name=UNCLAIMED["name"],
                                    document=_signed_form(UNCLAIMED["name"]))
        _business_and_product(officer, assisted, UNCLAIMED)
    if accounts.find_user_by_email(CLAIMED["email"]) is None:
        assisted = _onboard(officer, CLAIMED)
        # the owner confirmed the emailed link (what services.confirm_consent records when the link is used)
        assisted.consent_method, assisted.consent_name = ConsentMethod.EMAIL, CLAIMED["name"]
        assisted.consent_requested_at = utcnow()
        services.confirm_consent(assisted)
        business, product = _business_and_product(officer, assisted, CLAIMED)
        set_verification(business, Verification.VERIFIED)
        review_product(product, "approve", Role.MODERATOR)
        services.claim_account(assisted, password)
    return [(email, Role.FIELD_OFFICER.value, "35.74"), (CLAIMED["email"], Role.OWNER.value, "35.74")]

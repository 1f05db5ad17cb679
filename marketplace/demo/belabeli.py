"""Demo bela beli: the buy-local programme of Kabupaten Probolinggo (Instruksi Bupati Probolinggo 9/2024) with two
offices and their coordinators, a month of purchases at sellers of 35.13 (most confirmed, one waiting long enough to
be flagged, one disputed) and a catering quote request answered by two food sellers. Three small sellers of 35.13
are added (the other demo businesses of the region are crafts, or not verified)."""

from datetime import date, timedelta
from io import BytesIO

from PIL import Image, ImageDraw

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Role
from marketplace.belabeli import purchases, quotes, services
from marketplace.belabeli.models import Office, OfficeKind, Programme, RankBand
from marketplace.businesses.models import Business, Verification
from marketplace.businesses.services import create_business, set_verification
from marketplace.catalog.models import Category
from marketplace.catalog.services import create_product, review_product, submit_product
from marketplace.demo.images import draw_product_photo
from marketplace.extensions import db
from marketplace.media.services import stage_photo
from marketplace.models_base import utcnow
from marketplace.slugs import make_slug
from marketplace.timeutil import today

LINKS = services.Links(page="/my/bela-beli", inbox_url="/my/notifications")
# (owner email, owner name, business, address, whatsapp, category slug, product, price)
SELLERS = [
    ("pemilik.kopitengger@demo.etalase.id", "Sutrisno", "Kopi Tengger Wonokerto", "Desa Wonokerto, Kecamatan Sukapura",
     "6281331440021", "kopi", "Kopi Arabika Tengger 250 g", 65_000),
    ("pemilik.kuesukapura@demo.etalase.id", "Sumiati", "Nasi Kotak dan Kue Bu Sumi", "Kecamatan Sukapura",
     "6281331440022", "kue-roti", "Kue Kotak Rapat (isi 3)", 15_000),
    ("pemilik.keripikbromo@demo.etalase.id", "Wagiman", "Keripik Kentang Bromo Ngadisari", "Desa Ngadisari, Sukapura",
     "6281331440023", "keripik", "Keripik Kentang Bromo 250 g", 25_000),
]
# offices with their coordinators and civil servants per rank band (numbers only)
OFFICES = [
    ("Kecamatan Sukapura", OfficeKind.KECAMATAN, "koordinator.sukapura@demo.etalase.id", "Koordinator Kecamatan Sukapura",
     {RankBand.STAFF: 18, RankBand.ESELON_IV: 3, RankBand.ESELON_III: 1, RankBand.HEAD: 1}),
    ("Dinas Pariwisata", OfficeKind.OPD, "koordinator.pariwisata@demo.etalase.id", "Koordinator Dinas Pariwisata",
     {RankBand.STAFF: 25, RankBand.ESELON_IV: 5, RankBand.ESELON_III: 2, RankBand.ESELON_II: 1}),
]


def _receipt(amount: int) -> bytes:
    """A photo-like receipt: white paper with lines (the amount's digits vary the drawing)."""
    image = Image.new("RGB", (480, 720), (236, 232, 222))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 40, 420, 680), fill=(252, 252, 248))
    for row, digit in enumerate(str(amount)):
        y = 100 + row * 60
        draw.rectangle((90, y, 90 + 30 * (int(digit) + 3), y + 14), fill=(70, 70, 70))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _seller(email: str, owner_name: str, name: str, address: str, whatsapp: str, slug: str, product: str, price: int,
            password: str) -> Business:
    business = db.session.scalar(db.select(Business).where(Business.name == name))
    if business is not None:
        return business
    owner = accounts.find_user_by_email(email) or accounts.create_user(
        email=email, password=password, name=owner_name, role=Role.OWNER, region_code="35.13")
    business = create_business(owner, name=name, region_code="35.13", whatsapp=whatsapp, address=address,
                               description=f"{product} dari {address}.", kecamatan="Sukapura")
    set_verification(business, Verification.VERIFIED)
    category = db.session.scalar(db.select(Category).where(Category.slug == slug))
    photo = stage_photo(owner, draw_product_photo(category, make_slug(product)), alt_text=product)
    item = create_product(business, category=category, name=product, description=f"{product}, buatan {name}.",
                          price_min=price, unit="paket", new_photos=[photo])
    submit_product(item)
    review_product(item, "approve", Role.MODERATOR)
    return business


def seed_belabeli(password: str) -> list[tuple[str, str, str | None]]:
    """The programme, offices, coordinators, purchases and a quote request; skipped when the programme exists.
    Returns the demo accounts made (for the README's table)."""
    made = [(email, Role.OFFICE_COORDINATOR.value, "35.13") for _name, _kind, email, _coordinator, _counts in OFFICES]
    made.append((SERVANT[0], Role.CIVIL_SERVANT.value, "35.13"))
    if db.session.scalar(db.select(Programme.id).where(Programme.region_code == "35.13")):
        _civil_servant(password)
        return made
    dkupp = accounts.find_user_by_email("moderator.kabprobolinggo@demo.etalase.id")
    sellers = [_seller(*row, password=password) for row in SELLERS]
    made += [(row[0], Role.OWNER.value, "35.13") for row in SELLERS]
    programme = services.save_programme(
        dkupp, "35.13", legal_basis="Instruksi Bupati Probolinggo 9/2024", starts_on=date(2024, 1, 1), ends_on=None,
        purchase_points="Galeri Dekranasda Gerbang Wisata Sukapura (jalur ke Bromo)\nGaleri Dekranasda Rest Area Tongas\n"
                        "Sentra UMKM Kabupaten Probolinggo", flag_after_days=7, minimums={})
    offices = []
    for name, kind, email, coordinator, counts in OFFICES:
        office = services.add_office(dkupp, programme, name=name, kind=kind)
        services.set_headcount(dkupp, office, counts)
        user = accounts.find_user_by_email(email) or accounts.create_user(
            email=email, password=password, name=coordinator, role=Role.OFFICE_COORDINATOR, region_code="35.13",
            office_id=office.id)
        offices.append((office, user))
    now, day = utcnow(), today()
    (sukapura, koor_sukapura), (pariwisata, koor_pariwisata) = offices
    # (office, coordinator, seller, amount, band, days ago, outcome)
    plan = [
        (sukapura, koor_sukapura, sellers[0], 65_000, RankBand.STAFF, 25, "confirm"),
        (sukapura, koor_sukapura, sellers[2], 50_000, RankBand.STAFF, 21, "confirm"),
        (sukapura, koor_sukapura, sellers[1], 150_000, RankBand.HEAD, 18, "confirm"),
        (sukapura, koor_sukapura, sellers[0], 130_000, RankBand.ESELON_IV, 12, "confirm"),
        (sukapura, koor_sukapura, sellers[2], 75_000, RankBand.ESELON_IV, 9, "wait"),  # flagged to DKUPP
        (pariwisata, koor_pariwisata, sellers[2], 200_000, RankBand.ESELON_II, 16, "confirm"),
        (pariwisata, koor_pariwisata, sellers[1], 250_000, RankBand.STAFF, 10, "confirm"),
        (pariwisata, koor_pariwisata, sellers[0], 60_000, RankBand.STAFF, 4, "dispute"),
        (pariwisata, koor_pariwisata, sellers[1], 100_000, RankBand.ESELON_III, 2, "wait"),
    ]
    for office, coordinator, seller, amount, band, ago, outcome in plan:
        purchase = purchases.log_purchase(coordinator, office, business_id=seller.id, product_ids=[], amount=amount,
                                          bought_on=day - timedelta(days=ago), band=band, receipt=_receipt(amount),
                                          note="", today=day, links=LINKS)
        purchase.created_at = now - timedelta(days=ago)
        db.session.flush()
        if outcome == "confirm":
            purchases.confirm_purchase(seller.owner, purchase)
        elif outcome == "dispute":
            purchases.dispute_purchase(seller.owner, purchase, "Tidak ada transaksi sebesar ini pada tanggal itu.", LINKS)
    quote = quotes.request_quote(
        koor_sukapura, programme, sukapura, what="Nasi kotak dan kudapan rapat Musrenbang kecamatan",
        quantity="60 kotak", needed_on=day + timedelta(days=7), budget=1_800_000,
        occasion="Musrenbang Kecamatan Sukapura", business_ids=[sellers[0].id, sellers[1].id], today=day, links=LINKS)
    offers = {offer.business_id: offer for offer in quote.offers}
    quotes.answer_quote(sellers[1].owner, offers[sellers[1].id], price=1_650_000,
                        note="Nasi kotak ayam bumbu, dua kue, air mineral; diantar ke kantor kecamatan.", links=LINKS)
    quotes.answer_quote(sellers[0].owner, offers[sellers[0].id], price=1_750_000,
                        note="Kopi Tengger dan kudapan kentang untuk 60 orang.", links=LINKS)
    db.session.flush()
    _civil_servant(password)
    return made


# a civil servant of Kecamatan Sukapura with their own account (invited by the coordinator in real use)
SERVANT = ("asn.sukapura@demo.etalase.id", "Asn Kecamatan Sukapura", RankBand.STAFF)


def _civil_servant(password: str) -> None:
    """The civil servant account and their confirmed purchase of this month; skipped when the account exists."""
    email, name, band = SERVANT
    office = db.session.scalar(db.select(Office).join(Office.programme).where(
        Programme.region_code == "35.13", Office.name == "Kecamatan Sukapura"))
    if office is None or accounts.find_user_by_email(email) is not None:
        return
    servant = accounts.create_user(email=email, password=password, name=name, role=Role.CIVIL_SERVANT,
                                   region_code="35.13", office_id=office.id, rank_band=band.value)
    seller = db.session.scalar(db.select(Business).where(Business.name == SELLERS[0][2]))
    if seller is None:
        return
    purchase = purchases.log_purchase(servant, office, business_id=seller.id, product_ids=[], amount=65_000,
                                      bought_on=today(), band=band, receipt=_receipt(65_000),
                                      note="Kopi di Galeri Dekranasda Gerbang Wisata Sukapura", today=today(),
                                      links=LINKS)
    purchases.confirm_purchase(seller.owner, purchase)
    db.session.flush()



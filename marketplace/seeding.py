"""Reference and demo data loading, used by the CLI, `make run` and the tests."""

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Role
from marketplace.businesses.models import Business, SizeClass, Verification
from marketplace.businesses.services import create_business, set_verification
from marketplace.catalog.attributes.services import load_reference_attributes
from marketplace.catalog.models import Category
from marketplace.catalog.services import create_product, load_reference_categories, review_product, submit_product
from marketplace.demo.belabeli import seed_belabeli
from marketplace.demo.coach import seed_coach
from marketplace.demo.content import BUSINESSES, OWNERS
from marketplace.demo.cooperatives import seed_cooperatives
from marketplace.demo.events import seed_demo_events
from marketplace.demo.fieldofficers import seed_fieldofficers
from marketplace.demo.images import draw_product_photo
from marketplace.demo.institutions import seed_institutions_demo
from marketplace.demo.reports import seed_report_leads
from marketplace.demo.showcases import seed_showcase
from marketplace.demo.staples import seed_staples
from marketplace.demo.talk import seed_conversations
from marketplace.extensions import db
from marketplace.institutions.services import load_reference_institutions
from marketplace.media.services import stage_photo
from marketplace.regions.services import load_reference_agreements, load_reference_regions
from marketplace.reports.services import load_reference_statistics_codes
from marketplace.slugs import make_slug
from marketplace.staples.services import load_reference_commodities

DEMO_PASSWORD = "demo-umkm-2025"  # noqa: S105  (published demo accounts, see README)

DEMO_ACCOUNTS = [
    ("admin@demo.etalase.id", "Admin Etalase", Role.ADMIN, None),
    ("moderator.kotaprobolinggo@demo.etalase.id", "Rina DKUPP Kota Probolinggo", Role.MODERATOR, "35.74"),
    ("moderator.blitar@demo.etalase.id", "Agus DKUPP Kabupaten Blitar", Role.MODERATOR, "35.05"),
    ("moderator.pasuruan@demo.etalase.id", "Dewi DKUPP Kabupaten Pasuruan", Role.MODERATOR, "35.14"),
    ("moderator.kabprobolinggo@demo.etalase.id", "Hadi DKUPP Kabupaten Probolinggo", Role.MODERATOR, "35.13"),
    ("pemilik@demo.etalase.id", "Siti Aminah", Role.OWNER, "35.74"),
    ("pembeli@demo.etalase.id", "Budi Santoso", Role.BUYER, "35.05"),
]


def seed_reference() -> dict[str, int]:
    """Regions, agreements and categories; safe to run again."""
    return {
        "regions": load_reference_regions(),
        "agreements": load_reference_agreements(),
        "categories": load_reference_categories(),
        "institutions": load_reference_institutions(),
        "attributes": load_reference_attributes(),
        "commodities": load_reference_commodities(),
        "statistics_codes": load_reference_statistics_codes(),
    }


def seed_demo() -> list[tuple[str, str, str | None]]:
    """Reference data, one demo account per role, and demo businesses with products; safe to run again."""
    seed_reference()
    made = []
    extra_owners = [(email, name, Role.OWNER, region) for email, (name, region) in OWNERS.items()]
    for email, name, role, region in DEMO_ACCOUNTS + extra_owners:
        if accounts.find_user_by_email(email) is None:
            accounts.create_user(email=email, password=DEMO_PASSWORD, name=name, role=role, region_code=region)
        if (email, role.value, region) not in made:
            made.append((email, role.value, region))
    made += [(email, Role.OWNER.value, region) for email, region in seed_cooperatives(DEMO_PASSWORD)]
    for data in BUSINESSES:
        _seed_business(data)
    made += seed_institutions_demo(DEMO_PASSWORD)
    seed_coach(DEMO_PASSWORD)
    seed_conversations()
    seed_showcase()
    seed_demo_events()
    seed_staples(DEMO_PASSWORD)
    made += seed_belabeli(DEMO_PASSWORD)
    made += seed_fieldofficers(DEMO_PASSWORD)
    seed_report_leads()
    return made


def _seed_business(data: dict) -> None:
    if db.session.scalar(db.select(Business).where(Business.name == data["name"])) is not None:
        return
    owner = accounts.find_user_by_email(data["owner"])
    business = create_business(
        owner, name=data["name"], region_code=data["region"], whatsapp=data["whatsapp"], nib=data["nib"],
        size_class=SizeClass(data["size"]), address=data["address"], description=data["description"],
    )
    if data["verified"]:
        set_verification(business, Verification.VERIFIED)
    for slug, name, description, price_min, price_max, unit, min_order, attributes, status in data["products"]:
        category = db.session.scalar(db.select(Category).where(Category.slug == slug))
        pictures = [
            stage_photo(owner, draw_product_photo(category, make_slug(name), variant), alt_text=name)
            for variant in range(2 if price_max else 1)
        ]
        product = create_product(
            business, category=category, name=name, description=description, price_min=price_min,
            price_max=price_max, unit=unit, min_order=min_order, attributes=attributes, new_photos=pictures,
        )
        if status in ("pending", "published"):
            submit_product(product)
        if status == "published":
            review_product(product, "approve", Role.MODERATOR)

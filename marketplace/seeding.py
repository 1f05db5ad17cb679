"""Reference and demo data loading, used by the CLI, `make run` and the tests."""

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Role
from marketplace.catalog.services import load_reference_categories
from marketplace.regions.services import load_reference_agreements, load_reference_regions

DEMO_PASSWORD = "demo-umkm-2025"  # noqa: S105  (published demo accounts, see README)

DEMO_ACCOUNTS = [
    ("admin@demo.etalase.id", "Admin Etalase", Role.ADMIN, None),
    ("moderator.kotaprobolinggo@demo.etalase.id", "Rina DKUPP Kota Probolinggo", Role.MODERATOR, "35.74"),
    ("moderator.blitar@demo.etalase.id", "Agus DKUPP Kabupaten Blitar", Role.MODERATOR, "35.05"),
    ("moderator.pasuruan@demo.etalase.id", "Dewi DKUPP Kabupaten Pasuruan", Role.MODERATOR, "35.14"),
    ("pemilik@demo.etalase.id", "Siti Aminah", Role.OWNER, "35.74"),
    ("pembeli@demo.etalase.id", "Budi Santoso", Role.BUYER, "35.05"),
]


def seed_reference() -> dict[str, int]:
    """Regions, agreements and categories; safe to run again."""
    return {
        "regions": load_reference_regions(),
        "agreements": load_reference_agreements(),
        "categories": load_reference_categories(),
    }


def seed_demo() -> list[tuple[str, str, str | None]]:
    """Reference data plus one demo account per role; safe to run again."""
    seed_reference()
    made = []
    for email, name, role, region in DEMO_ACCOUNTS:
        if accounts.find_user_by_email(email) is None:
            accounts.create_user(email=email, password=DEMO_PASSWORD, name=name, role=role, region_code=region)
        made.append((email, role.value, region))
    return made

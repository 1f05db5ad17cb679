"""Reference data: regions, agreements, categories; the seed commands."""

from datetime import date

from marketplace.catalog.models import Category
from marketplace.extensions import db
from marketplace.regions.models import Agreement, Region, RegionKind, Scope
from marketplace.regions.queries import partner_regions
from marketplace.seeding import DEMO_ACCOUNTS, seed_reference


def test_all_38_regions_of_jawa_timur():
    regions = db.session.scalars(db.select(Region)).all()
    codes = {r.code for r in regions}
    assert len(regions) == 38
    assert codes == {f"35.{n:02d}" for n in range(1, 30)} | {f"35.{n}" for n in range(71, 80)}
    assert sum(r.kind is RegionKind.KABUPATEN for r in regions) == 29


def test_kota_and_kabupaten_probolinggo_are_different_regions():
    kota, kab = db.session.get(Region, "35.74"), db.session.get(Region, "35.13")
    assert kota.name == kab.name == "Probolinggo"
    assert (kota.full_name, kab.full_name) == ("Kota Probolinggo", "Kabupaten Probolinggo")


def test_sekartaji_agreements_with_parties_scopes_and_dates():
    agreements = {a.key: a for a in db.session.scalars(db.select(Agreement))}
    pasuruan = agreements["mou-kota-probolinggo-kab-pasuruan-2025"]
    blitar = agreements["mou-kota-probolinggo-kab-blitar-2025"]
    trade = agreements["trade-kopi-siaga-berkah-telur-2025"]
    assert pasuruan.region_codes == {"35.74", "35.14"}
    assert blitar.region_codes == {"35.74", "35.05"}
    assert pasuruan.scope_values == blitar.scope_values == {Scope.PROMOTION, Scope.STAPLES}
    assert pasuruan.signed_on == date(2025, 6, 17)
    assert trade.scope_values == {Scope.STAPLES}
    assert {p.institution for p in trade.parties} == {"Koperasi Kopi Siaga", "Koperasi Berkah Telur"}


def test_partner_regions_follow_active_promotion_agreements():
    assert [r.code for r in partner_regions(date(2026, 1, 1))] == ["35.05", "35.14", "35.74"]
    assert partner_regions(date(2025, 1, 1)) == []  # before signing
    assert partner_regions(date(2031, 1, 1)) == []  # after the end date: expired agreements stop counting


def test_category_tree():
    batik = db.session.scalar(db.select(Category).where(Category.slug == "batik"))
    assert {c.slug for c in batik.children} >= {"batik-tulis", "batik-cap", "batik-printing"}
    tops = {c.slug for c in db.session.scalars(db.select(Category).where(Category.parent_id.is_(None)))}
    assert tops >= {"batik", "bordir", "kerajinan-tangan", "fesyen", "makanan-olahan", "minuman", "hasil-pertanian",
                    "hasil-peternakan"}
    telur = db.session.scalar(db.select(Category).where(Category.slug == "telur"))
    assert telur.parent.slug == "hasil-peternakan" and telur.name("en") == "Eggs"


def test_seeding_reference_again_adds_nothing():
    again = seed_reference()
    assert {"regions", "agreements", "categories"} <= set(again) and set(again.values()) == {0}, again


def test_seed_demo_is_idempotent_and_prints_accounts(runner):
    """Every feature's demo module adds its own rows; seeding twice adds none of them again."""
    from marketplace import models

    def counts() -> dict[str, int]:
        tables = [getattr(models, name) for name in models.__all__]
        return {model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
                for model in tables if hasattr(model, "__table__")}

    first = runner.invoke(args=["seed-demo"])
    after_first = counts()
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    for email, _name, role, _region in DEMO_ACCOUNTS:
        assert email in second.output and role.value in second.output
    assert counts() == after_first
    from marketplace.accounts.models import User
    from marketplace.businesses.models import Business
    from marketplace.demo.content import BUSINESSES, OWNERS

    emails = set(db.session.scalars(db.select(User.email)))
    assert {a[0] for a in DEMO_ACCOUNTS} | set(OWNERS) <= emails
    assert {b["name"] for b in BUSINESSES} <= set(db.session.scalars(db.select(Business.name)))


def test_demo_data_has_public_products_with_photos_in_partner_regions(runner, client, app):
    from pathlib import Path

    from marketplace.catalog.queries import newest_products

    runner.invoke(args=["seed-demo"])
    products = newest_products(limit=50)
    regions = {p.business.region_code for p in products}
    assert {"35.74", "35.14", "35.05"} <= regions
    assert all(p.public_photos for p in products)
    for photo in products[0].photos:
        assert all((Path(app.config["UPLOAD_DIR"]) / name).is_file() for name in photo.filenames)
    html = client.get("/").get_data(as_text=True)
    assert products[0].name in html  # the home page shows the newest; the seed's older ones are a search away
    eggs = client.get("/products?q=telur").get_data(as_text=True)
    assert "Telur Ayam Ras Blitar Grade A" in eggs and "Rp 26.500" in eggs
    assert "Bordir Bangil" in client.get("/products?q=bordir").get_data(as_text=True)


def test_demo_accounts_can_log_in(runner, auth):
    from marketplace.seeding import DEMO_PASSWORD

    runner.invoke(args=["seed-demo"])
    assert auth.login("moderator.kotaprobolinggo@demo.etalase.id", DEMO_PASSWORD).headers["Location"] == "/moderation/"

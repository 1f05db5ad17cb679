"""The migration to category attributes as data keeps every existing product's values (SQLite, and PostgreSQL with
TEST_DATABASE_URL): it is run on rows written by the schema before it, then the app reads them through the new
definitions; downgrading puts the JSON back."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from marketplace import create_app
from marketplace.catalog.attributes.definitions import product_rows
from marketplace.catalog.models import Product, ProductRevision
from marketplace.extensions import db
from tests.conftest import make_config, revision_before

BEFORE = revision_before("c7389f822713")  # the migration to attributes as data


def _filler(column: sa.Column):
    """A value for a NOT NULL column the test does not care about."""
    kind = column.type
    if isinstance(kind, sa.Enum):
        return kind.enums[0]
    python = kind.python_type
    return {str: "x", int: 1, bool: False, datetime: datetime(2026, 1, 5, tzinfo=UTC), dict: {}}.get(python, "x")


def insert(conn, metadata: sa.MetaData, table: str, **values) -> int:
    """Insert a row with values, filling every other required column; returns its id."""
    target = metadata.tables[table]
    row = {c.name: _filler(c) for c in target.columns
           if not c.nullable and c.server_default is None and not (c.primary_key and c.autoincrement in (True, "auto"))
           and c.name != "id"}
    row.update(values)
    result = conn.execute(target.insert().values(**row))
    return result.inserted_primary_key[0]


def test_existing_values_survive_the_migration(fresh_database_url, tmp_path):
    app = create_app(make_config(tmp_path, fresh_database_url))
    with app.app_context():
        upgrade(revision=BEFORE)
        metadata = sa.MetaData()
        metadata.reflect(db.engine)
        with db.engine.begin() as conn:
            insert(conn, metadata, "region", code="35.74", name="Probolinggo", kind="kota")
            cats = {}
            for slug, parent in (("batik", None), ("batik-tulis", "batik"), ("makanan-olahan", None),
                                 ("keripik", "makanan-olahan"), ("minuman", None), ("kopi", "minuman"),
                                 ("hasil-pertanian", None), ("jagung", "hasil-pertanian"), ("bordir", None),
                                 ("mukena", "bordir"), ("kosmetik-perawatan", None)):
                cats[slug] = insert(conn, metadata, "category", slug=slug, name_id=slug, name_en=slug,
                                    parent_id=cats.get(parent), position=0)
            owner = insert(conn, metadata, "user", email="pemilik@contoh.id", role="owner", region_code="35.74")
            business = insert(conn, metadata, "business", owner_id=owner, region_code="35.74", name="Batik", slug="batik",
                              nib="1234567890123", verification="verified", size_class="mikro")

            def product(category: str, attributes: dict) -> int:
                return insert(conn, metadata, "product", business_id=business, category_id=cats[category],
                              name=category, slug=category, attributes=attributes, status="published",
                              region_code="35.74", public=True, min_order=1, availability="ready", unit="pcs")

            batik = product("batik-tulis", {"technique": "tulis", "motif": "Manggur", "fabric": "katun primisima",
                                            "dye": "pewarna alam", "size": "200 x 115 cm"})
            keripik = product("keripik", {"net_weight": "1 kg", "shelf_life": "6 bulan", "pirt": "2113574010123-27"})
            kopi = product("kopi", {"net_weight": "1 l", "shelf_life": "kira-kira setahun"})
            jagung = product("jagung", {"grade": "kadar air 15%", "supply_capacity": "20 ton per bulan"})
            mukena = product("mukena", {"material": "katun Jepang"})
            kosmetik = product("kosmetik-perawatan", {"aroma": "melati"})
            insert(conn, metadata, "product_revision", product_id=batik, status="pending", data={
                "name": "Batik", "category_id": cats["batik-tulis"], "attributes": {"technique": "Cap", "dye": "sintetis"}})

        upgrade()

        def values(product_id: int) -> dict:
            return db.session.get(Product, product_id).attributes

        # choices become their options' codes; everything else as typed
        assert values(batik) == {"technique": "tulis", "motif": "Manggur", "fabric": "katun primisima", "dye": "alami",
                                 "size": "200 x 115 cm"}
        # numbers read with their unit and converted to the attribute's; one that cannot be read is kept as typed
        assert values(keripik) == {"net_weight": "1000", "shelf_life": "180", "pirt": "2113574010123-27"}
        assert values(kopi) == {"net_weight": "1000", "shelf_life": "kira-kira setahun"}
        # a choice value no option names becomes an option of its own; keys nothing defines become text attributes
        assert values(jagung)["supply_capacity"] == "20 ton per bulan"
        assert values(mukena) == {"material": "katun Jepang"}
        assert values(kosmetik) == {"aroma": "melati"}
        shown = {row.name: row.value for row in product_rows(db.session.get(Product, jagung), "id")}
        assert shown["Mutu"] == "kadar air 15%"
        shown = {row.name: row.value for row in product_rows(db.session.get(Product, keripik), "id")}
        assert shown == {"Berat bersih": "1.000 gram", "Masa simpan": "180 hari", "Nomor P-IRT": "2113574010123-27"}
        english = {row.name: row.value for row in product_rows(db.session.get(Product, batik), "en")}
        assert english["Batik technique"] == "Tulis (hand-drawn)" and english["Dye"] == "Natural dye"
        # the pending edit names options by code too, so approving it writes valid values
        revision = db.session.scalar(sa.select(ProductRevision).where(ProductRevision.product_id == batik))
        assert revision.data["attributes"] == {"technique": "cap", "dye": "sintetis"}
        # the facet index holds the options
        options = db.session.execute(sa.text(
            "SELECT o.code FROM product_attribute_value v JOIN attribute_option o ON o.id = v.option_id "
            "WHERE v.product_id = :p ORDER BY o.code"), {"p": batik}).scalars().all()
        assert options == ["alami", "tulis"]
        db.session.remove()

        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            restored = dict(conn.execute(sa.text("SELECT id, attributes FROM product")).all())
        restored = {pid: value if isinstance(value, dict) else __import__("json").loads(value) for pid, value in restored.items()}
        assert restored[batik]["dye"] == "alami" and restored[kosmetik] == {"aroma": "melati"}
        db.engine.dispose()

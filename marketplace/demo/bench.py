"""Generated data at scale for benchmarks: `flask --app wsgi bench-data --products 50000 --businesses 5000`.

Bulk inserts (no ORM objects per row) so 50,000 products take seconds, and COPY on PostgreSQL so 1,000,000 take
minutes; every product shares one of a few real photos, processed once by the real pipeline."""

import enum
import json
import random
from datetime import timedelta

from marketplace.accounts.models import Role, User
from marketplace.accounts.services import hash_password
from marketplace.businesses.models import Business, SizeClass, Verification
from marketplace.catalog.attributes.definitions import attributes_of
from marketplace.catalog.attributes.models import AttributeKind, ProductAttributeValue
from marketplace.catalog.models import Availability, Category, Product, ProductStatus
from marketplace.catalog.visibility import bump_generation
from marketplace.demo.images import draw_product_photo
from marketplace.extensions import db
from marketplace.media.models import Photo
from marketplace.media.pipeline import process_image
from marketplace.media.services import store_renditions
from marketplace.models_base import utcnow
from marketplace.slugs import make_slug

PARTNERS = ["35.74", "35.14", "35.05"]
OTHER_REGIONS = ["35.13", "35.07", "35.73", "35.78", "35.79", "35.15"]
KINDS = {
    "batik-tulis": ["Batik Tulis", "Kain Batik Tulis", "Selendang Batik Tulis"],
    "batik-cap": ["Batik Cap", "Kemeja Batik Cap", "Kain Batik Cap"],
    "mukena": ["Mukena Bordir", "Mukena Katun", "Mukena Anak"],
    "kebaya": ["Kebaya Bordir", "Kebaya Kerancang"],
    "sajadah": ["Sajadah Bordir", "Sajadah Beludru"],
    "ecoprint": ["Selendang Ecoprint", "Kain Ecoprint", "Tas Ecoprint"],
    "anyaman": ["Keranjang Anyaman", "Tas Anyaman Pandan", "Tikar Anyaman"],
    "keripik": ["Keripik Singkong", "Keripik Pisang", "Bawang Goreng"],
    "olahan-buah": ["Opak Mangga", "Dodol Mangga", "Manisan Mangga"],
    "kopi": ["Kopi Robusta", "Kopi Arabika Bromo", "Kopi Bubuk"],
    "telur": ["Telur Ayam Ras", "Telur Ayam Kampung", "Telur Bebek"],
    "jagung": ["Jagung Pakan Pipil", "Jagung Manis", "Jagung Kering"],
    "bawang-merah": ["Bawang Merah Probolinggo", "Bawang Merah Super"],
}
MOTIFS = ["Manggur", "Bromo", "Parang", "Kawung", "Sekar Jagad", "Mega Mendung", "Truntum", "Jember", "Madura"]
QUALIFIERS = ["Premium", "Klasik", "Asli", "Super", "Grade A", "Khas", "Pilihan", "Spesial", "Halus"]
BUSINESS_WORDS = ["Berkah", "Sumber", "Karya", "Mulia", "Jaya", "Sentosa", "Makmur", "Barokah", "Lestari", "Abadi"]
DESCRIPTIONS = [
    "Dibuat oleh perajin lokal dengan bahan pilihan, dikemas rapi dan siap dikirim ke seluruh Jawa Timur.",
    "Produk unggulan UMKM binaan DKUPP, kualitas terjaga dan harga bersahabat untuk pembelian grosir.",
    "Cocok untuk oleh-oleh dan hadiah; bisa pesan dalam jumlah banyak untuk instansi dan acara.",
]


def _insert(model, rows: list[dict]) -> None:
    """Insert rows (dicts with the same keys) into model's table: COPY on PostgreSQL (several times faster than
    multi-row INSERTs at a million rows), an executemany INSERT elsewhere. COPY skips Python-side column defaults,
    so rows must give every NOT NULL column without a server default."""
    if not rows:
        return
    if db.session.get_bind().dialect.name != "postgresql":
        db.session.execute(db.insert(model), rows)
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)

    def plain(value):
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, list | dict):
            return json.dumps(value)
        return value

    cursor = db.session.connection().connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{model.__table__.name}" ({names}) FROM STDIN') as copy:  # table and column names from the models
        for row in rows:
            copy.write_row([plain(row[c]) for c in columns])


def _shared_photos(owner_id: int, categories: list[Category]) -> list[tuple[str, int, int, list[int]]]:
    """A few real photos, processed once; every generated product points at one of them."""
    photos = []
    for i, category in enumerate(categories[:4]):
        processed = process_image(draw_product_photo(category, f"bench-{i}", i, size=(800, 600)))
        store_renditions(processed)
        photos.append((processed.content_hash, processed.width, processed.height,
                       sorted({r.width for r in processed.renditions})))
    return photos


def _attribute_values(rng: random.Random, product_ids: list[int], categories: dict[int, Category]) -> None:
    """A value for every attribute of each product's category (an option for a choice), so facets have work to do."""
    attributes = {category_id: attributes_of(category) for category_id, category in categories.items()}
    category_of = dict(db.session.execute(db.select(Product.id, Product.category_id).where(Product.id >= min(product_ids))).all())
    rows = []
    for product_id in product_ids:
        for attribute in attributes.get(category_of[product_id], []):
            if attribute.kind is AttributeKind.CHOICE and attribute.options:
                option = rng.choice(attribute.options)
                rows.append({"product_id": product_id, "attribute_id": attribute.id, "option_id": option.id,
                             "value": option.code})
            elif attribute.kind is AttributeKind.TEXT:
                rows.append({"product_id": product_id, "attribute_id": attribute.id, "option_id": None,
                             "value": rng.choice(MOTIFS)})
        if len(rows) >= 50_000:
            _insert(ProductAttributeValue, rows)
            rows = []
    _insert(ProductAttributeValue, rows)


def generate(products: int, businesses: int, seed: int = 1) -> None:
    """Add `businesses` verified businesses and `products` published products with photos (bulk inserts)."""
    rng = random.Random(seed)  # noqa: S311  (made-up data, not secrets)
    categories = {c.slug: c for c in db.session.scalars(db.select(Category).where(Category.slug.in_(KINDS)))}
    now = utcnow()
    password = hash_password("bench-password")
    start = (db.session.scalar(db.select(db.func.max(User.id))) or 0) + 1
    owners = [{"email": f"bench.owner{start + i}@bench.etalase.id", "name": f"Pemilik {i}", "password_hash": password,
               "role": Role.OWNER, "region_code": rng.choice(PARTNERS), "locale": "id", "active": True,
               "created_at": now, "password_changed_at": now} for i in range(max(1, businesses // 2))]
    db.session.execute(db.insert(User), owners)
    owner_ids = list(db.session.scalars(db.select(User.id).where(User.email.like("bench.owner%")).order_by(User.id)))
    first_business = (db.session.scalar(db.select(db.func.max(Business.id))) or 0) + 1
    rows = []
    for i in range(businesses):
        region = rng.choice(PARTNERS) if rng.random() < 0.8 else rng.choice(OTHER_REGIONS)
        name = f"{rng.choice(BUSINESS_WORDS)} {rng.choice(BUSINESS_WORDS)} {first_business + i}"
        rows.append({"owner_id": owner_ids[i % len(owner_ids)], "region_code": region, "name": name,
                     "slug": f"bench-{make_slug(name)}", "nib": f"{rng.randrange(10**12, 10**13)}",
                     "size_class": SizeClass.MIKRO, "address": "", "whatsapp": f"62812{rng.randrange(10**7, 10**8)}",
                     "description": rng.choice(DESCRIPTIONS), "links": {}, "verification": Verification.VERIFIED,
                     "verification_reason": "", "created_at": now, "updated_at": now, "version": 1})
    db.session.execute(db.insert(Business), rows)
    region_of = dict(db.session.execute(db.select(Business.id, Business.region_code).where(Business.id >= first_business)).all())
    business_ids = list(region_of)
    shared = _shared_photos(owner_ids[0], list(categories.values()))
    first_product = (db.session.scalar(db.select(db.func.max(Product.id))) or 0) + 1
    batch = []
    for i in range(products):
        slug_kind = rng.choice(list(KINDS))
        name = f"{rng.choice(KINDS[slug_kind])} {rng.choice(MOTIFS)} {rng.choice(QUALIFIERS)}"
        low = None if rng.random() < 0.05 else rng.randrange(5, 900) * 1000
        published = now - timedelta(minutes=i)
        business_id = rng.choice(business_ids)
        batch.append({"business_id": business_id, "region_code": region_of[business_id], "public": True,
                      "category_id": categories[slug_kind].id, "name": name,
                      "slug": make_slug(name, 150), "description": rng.choice(DESCRIPTIONS),
                      "price_min": low, "price_max": low * 2 if low and rng.random() < 0.2 else None, "unit": "pcs", "min_order": 1,
                      "availability": Availability.READY, "status": ProductStatus.PUBLISHED,
                      "review_reason": "", "created_at": published, "updated_at": published,
                      "submitted_at": published, "published_at": published, "version": 1})
        if len(batch) == 50_000 or i == products - 1:
            _insert(Product, batch)
            batch = []
    product_ids = list(db.session.scalars(db.select(Product.id).where(Product.id >= first_product)))
    photo_rows = []
    for n, product_id in enumerate(product_ids):
        content_hash, width, height, widths = shared[n % len(shared)]
        photo_rows.append({"owner_id": owner_ids[0], "product_id": product_id, "approved": True, "position": 0,
                           "content_hash": content_hash, "width": width, "height": height, "rendition_widths": widths,
                           "alt_text": "", "created_at": now})
        if len(photo_rows) == 50_000:
            _insert(Photo, photo_rows)
            photo_rows = []
    _insert(Photo, photo_rows)
    _attribute_values(rng, product_ids, {c.id: c for c in categories.values()})
    bump_generation(db.session)  # bulk inserts skip the ORM events that usually do this
    if db.session.get_bind().dialect.name == "postgresql":
        # statistics now, not when autovacuum comes round: without them the search rebuild that follows read all of
        # product_attribute_value for every chunk of 500 products (1M products: stuck on its first chunks)
        for table in ("business", "product", "photo", "product_attribute_value"):
            db.session.execute(db.text(f"ANALYZE {table}"))

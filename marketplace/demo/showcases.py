"""A demo showcase: Kota Probolinggo's products with Kabupaten Pasuruan's, under their Sekartaji 2025 MoU, so the
showcase pages, the embed, the sitemap and /api/v1/showcases have something live."""

from marketplace.accounts import services as accounts
from marketplace.catalog.models import Product
from marketplace.catalog.queries import public_products
from marketplace.extensions import db
from marketplace.regions.models import Agreement
from marketplace.showcases import services
from marketplace.showcases.models import Showcase
from marketplace.timeutil import today

TITLE = "Unggulan Kota Probolinggo dan Kabupaten Pasuruan"
HOST = "moderator.kotaprobolinggo@demo.etalase.id"
AGREEMENT = "mou-kota-probolinggo-kab-pasuruan-2025"  # parties 35.74 and 35.14


def seed_showcase() -> None:
    """The permanent demo showcase with every public product of the two regions; safe to run again."""
    if db.session.scalar(db.select(Showcase).where(Showcase.title == TITLE)) is not None:
        return
    on, host = today(), accounts.find_user_by_email(HOST)
    agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == AGREEMENT))
    showcase = services.create_showcase(
        host, agreement=agreement, host_region_code="35.74", title=TITLE, on=on, published=True,
        description="Batik tulis Manggur dari Kota Probolinggo dan bordir Bangil dari Kabupaten Pasuruan: produk UMKM "
                    "kedua daerah yang bekerja sama sejak Sekartaji 2025.")
    for product in db.session.scalars(public_products().where(Product.region_code.in_(("35.74", "35.14")))
                                      .order_by(Product.id)):
        services.add_product(host, showcase, product, on)

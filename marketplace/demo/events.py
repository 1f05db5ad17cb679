"""Demo events: the UMKM exhibition at Pendopo Agung Ngadisari during Yadnya Kasada (Bromo, Kabupaten Probolinggo)
with booths in several states, and a bazaar of Kota Probolinggo for its partner regions under the Pasuruan MoU."""

from datetime import datetime, time, timedelta

from marketplace.accounts.services import find_user_by_email
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.events import booths, services
from marketplace.events.models import Decision, Event, EventKind
from marketplace.extensions import db
from marketplace.models_base import utcnow
from marketplace.regions.models import Agreement
from marketplace.timeutil import JAKARTA

LINKS = services.Links(my_events="/my/events", inbox_url="/my/notifications")
KASADA = "Pameran UMKM Yadnya Kasada di Pendopo Agung Ngadisari"
BAZAAR = "Bazar UMKM Mitra Kota Probolinggo"


def _at(days: int, hour: int) -> datetime:
    """A day from today at an hour, in Jakarta time."""
    day = utcnow().astimezone(JAKARTA).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=JAKARTA)


def _business(name: str) -> Business | None:
    return db.session.scalar(db.select(Business).where(Business.name == name))


def _apply(event: Event, booth_index: int, business_name: str, now: datetime):
    business = _business(business_name)
    if business is None:
        return None
    products = list(db.session.scalars(db.select(Product).where(Product.business_id == business.id,
                                                                Product.public.is_(True))))[:4]
    return services.apply(business.owner, event, event.booth_types[booth_index], business, products,
                          "Membawa produk unggulan untuk wisatawan.", now)


def seed_demo_events() -> None:
    """Both events with their booth types and applications; skipped when they exist."""
    if db.session.scalar(db.select(Event.id).where(Event.title == KASADA)):
        return
    now = utcnow()
    kab = find_user_by_email("moderator.kabprobolinggo@demo.etalase.id")
    kasada = services.create_event(
        kab, host_region_code="35.13", title=KASADA, kind=EventKind.EXPO, venue_name="Pendopo Agung Ngadisari",
        venue_address="Desa Ngadisari, Kecamatan Sukapura, Kabupaten Probolinggo",
        map_url="https://www.openstreetmap.org/search?query=Ngadisari%20Sukapura",
        starts_at=_at(21, 8), ends_at=_at(22, 21), apply_by=_at(10, 23), confirm_days=3, published=True,
        description="Pameran produk UMKM Kabupaten Probolinggo dan daerah mitra bagi wisatawan yang datang ke Bromo "
                    "selama upacara Yadnya Kasada masyarakat Tengger: batik tulis, bordir, kerajinan dan oleh-oleh.",
        occasion="Yadnya Kasada", destination="Gunung Bromo, Tengger", season="bulan Kasada (kalender Tengger)")
    services.add_booth_type(kab, kasada, name="Stan kuliner dan oleh-oleh", count=6, fee=0, size="3 x 3 m",
                            categories=["makanan-olahan", "minuman", "hasil-pertanian"])
    services.add_booth_type(kab, kasada, name="Stan batik dan kerajinan", count=1, fee=150_000, size="3 x 3 m",
                            categories=["batik", "bordir", "kerajinan-tangan", "fesyen"])
    confirmed = _apply(kasada, 1, "Batik Tulis Tegalsiwalan Maimunah", now)
    waiting = _apply(kasada, 1, "Bordir Bangil Hasanah", now)
    accepted = _apply(kasada, 0, "Olahan Mangga Bu Siti", now)
    _apply(kasada, 1, "Batik Manggur Siti", now)  # still waiting for a decision
    for application, decision in ((confirmed, Decision.ACCEPT), (waiting, Decision.WAITLIST), (accepted, Decision.ACCEPT)):
        if application is not None:
            booths.prepare_decision(kab, application, decision,
                                    "" if decision is Decision.ACCEPT else "Stan batik hanya satu; Anda urutan pertama.")
    booths.release_decisions(kab, kasada, now, LINKS)
    if confirmed is not None:
        booths.confirm(confirmed.owner, confirmed, now)

    kota = find_user_by_email("moderator.kotaprobolinggo@demo.etalase.id")
    mou = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-pasuruan-2025"))
    bazaar = services.create_event(
        kota, host_region_code="35.74", title=BAZAAR, kind=EventKind.BAZAAR, venue_name="Alun-alun Kota Probolinggo",
        venue_address="Jl. Suroyo, Kota Probolinggo", starts_at=_at(35, 16), ends_at=_at(37, 22), apply_by=_at(20, 23),
        confirm_days=5, published=True, agreement=mou, partners_only=True,
        description="Bazar produk UMKM Kota Probolinggo dan Kabupaten Pasuruan di bawah kesepakatan promosi "
                    "dan pemasaran produk UMKM 2025.")
    services.add_booth_type(kota, bazaar, name="Stan UMKM", count=10, fee=50_000, size="2 x 2 m", categories=[])
    partner = _apply(bazaar, 0, "Bordir Bangil Hasanah", now)
    _apply(bazaar, 0, "Olahan Mangga Bu Siti", now)
    if partner is not None:
        booths.prepare_decision(kota, partner, Decision.ACCEPT, "")
        booths.release_decisions(kota, bazaar, now, LINKS)
        booths.confirm(partner.owner, partner, now)

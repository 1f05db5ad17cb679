"""Shared set-up of the bela beli tests: the programme of Kabupaten Probolinggo (35.13) with two offices, their
coordinators, a seller of the region, and purchases logged for today."""

from datetime import date

from marketplace.accounts.models import Role
from marketplace.belabeli import purchases, services
from marketplace.belabeli.models import OfficeKind, RankBand
from marketplace.belabeli.services import Links
from marketplace.extensions import db
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.conftest import jpeg_bytes

LINKS = Links(page="/my/bela-beli", inbox_url="http://localhost/my/notifications")
# 10 staff × 50.000 + 2 eselon IV × 75.000 + 1 head × 150.000
HEADCOUNT = {RankBand.STAFF: 10, RankBand.ESELON_IV: 2, RankBand.HEAD: 1}
TARGET = 10 * 50_000 + 2 * 75_000 + 150_000


class Site:
    """The programme, its two offices, their coordinators, the region's moderator and a seller."""


def make_site(make_user, make_business, region="35.13") -> Site:
    site = Site()
    site.moderator = make_user(role=Role.MODERATOR, region=region)
    with unit_of_work():
        site.programme = services.save_programme(
            site.moderator, region, legal_basis="Instruksi Bupati Probolinggo 9/2024", starts_on=date(2024, 1, 1),
            ends_on=None, purchase_points="Galeri Dekranasda Gerbang Wisata Sukapura\nRest Area Tongas",
            flag_after_days=7, minimums={})
        site.office = services.add_office(site.moderator, site.programme, name="Kecamatan Sukapura",
                                          kind=OfficeKind.KECAMATAN)
        site.other_office = services.add_office(site.moderator, site.programme, name="Dinas Pariwisata",
                                                kind=OfficeKind.OPD)
        services.set_headcount(site.moderator, site.office, HEADCOUNT)
        services.set_headcount(site.moderator, site.other_office, {RankBand.STAFF: 4})
    site.coordinator = make_user(role=Role.OFFICE_COORDINATOR, region=region, office_id=site.office.id,
                                 name="Siti Koordinator Sukapura")
    site.other_coordinator = make_user(role=Role.OFFICE_COORDINATOR, region=region, office_id=site.other_office.id,
                                       name="Budi Koordinator Pariwisata")
    site.seller = make_business(region=region, name="Keripik Kentang Bromo")
    return site


def log(site, amount, *, office=None, business=None, band=RankBand.STAFF, day=None, coordinator=None):
    office = office or site.office
    with unit_of_work():
        return purchases.log_purchase(
            coordinator or (site.coordinator if office.id == site.office.id else site.other_coordinator),
            db.session.merge(office), business_id=(business or site.seller).id, product_ids=[], amount=amount,
            bought_on=day or today(), band=band, receipt=jpeg_bytes(), note="", today=today(), links=LINKS)


def confirm(site, purchase, business=None):
    from marketplace.belabeli.models import Purchase
    with unit_of_work():
        purchases.confirm_purchase((business or site.seller).owner, db.session.get(Purchase, purchase.id))


def make_servant(site, make_user, *, office=None, band=RankBand.ESELON_IV, email=None):
    """A civil servant with their own account in the office (Kecamatan Sukapura by default)."""
    return make_user(role=Role.CIVIL_SERVANT, region="35.13", office_id=(office or site.office).id,
                     rank_band=band.value, name="Asn Uji Sukapura", email=email)

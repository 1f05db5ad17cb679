"""Civil servants with their own account: invited by their office's coordinator into that office only, bound to it
with a rank band (a DB CHECK), they log and see only their own purchases, in their own band, and their progress
against their band's minimum; the coordinator sees all of the office's. Owner-like sessions: not a staff role."""

from io import BytesIO

import pytest
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import INVITED_ROLES, STAFF_ROLES, Role, User
from marketplace.accounts.passwords import MIN_LENGTH, min_length
from marketplace.accounts.services import AccountError, create_user
from marketplace.belabeli import services
from marketplace.belabeli.models import Purchase, PurchaseStatus, RankBand
from marketplace.domain import OutsideRegion
from marketplace.extensions import db
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.belabeli_helpers import confirm, log, make_servant, make_site
from tests.conftest import PASSWORD, jpeg_bytes


@pytest.fixture
def site(app, make_user, make_business):
    return make_site(make_user, make_business)


def form(site, **overrides):
    data = {"business": str(site.seller.id), "amount": "80000", "bought_on": today().isoformat(),
            "note": "Oleh-oleh Bromo", "receipt": (BytesIO(jpeg_bytes()), "struk.jpg")}
    return {**data, **overrides}


def test_a_civil_servant_is_bound_to_an_office_with_a_band_and_is_not_staff(site):
    assert Role.CIVIL_SERVANT not in STAFF_ROLES and Role.CIVIL_SERVANT in INVITED_ROLES
    assert min_length(Role.CIVIL_SERVANT) == MIN_LENGTH  # owner-like password and session
    with pytest.raises(AccountError), unit_of_work():
        create_user(email="asn.tanpa@example.id", password=PASSWORD, name="Tanpa Kantor", role=Role.CIVIL_SERVANT,
                    region_code="35.13", rank_band="staff")
    with pytest.raises(AccountError), unit_of_work():
        create_user(email="asn.tanpa.band@example.id", password=PASSWORD, name="Tanpa Band", role=Role.CIVIL_SERVANT,
                    region_code="35.13", office_id=site.office.id)
    with pytest.raises(IntegrityError), unit_of_work():
        db.session.add(User(email="langsung@example.id", name="Langsung", password_hash="x", role=Role.CIVIL_SERVANT,
                            office_id=site.office.id))
        db.session.flush()


def test_the_coordinator_invites_into_their_own_office_only(site, client, auth, outbox):
    auth.login(site.coordinator.email)
    office = f"/bela-beli/offices/{site.office.id}"
    response = client.submit(f"{office}/servants", {"email": "asn.baru@example.id", "name": "Asn Baru",
                                                    "band": "eselon_iii", "locale": "id"}, page=office)
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "asn.baru@example.id"))
    assert user.role is Role.CIVIL_SERVANT and user.office_id == site.office.id and user.rank_band == "eselon_iii"
    assert user.invitation_pending and any("asn.baru@example.id" in str(m) for m in outbox())
    assert "Asn Baru" in client.get(office).get_data(as_text=True)
    refused = client.submit(f"{office}/servants", {"email": "", "name": "Asn Lagi", "band": "staff"}, page=office)
    assert refused.status_code == 422 and 'value="Asn Lagi"' in refused.get_data(as_text=True)
    other = f"/bela-beli/offices/{site.other_office.id}/servants"
    assert client.submit(other, {"email": "asn.lain@example.id", "name": "Lain", "band": "staff", "locale": "id"},
                         page=office).status_code == 404
    with pytest.raises(OutsideRegion), unit_of_work():
        services.invite_civil_servant(site.other_coordinator, db.session.merge(site.office), email="x@example.id",
                                      name="X", band=RankBand.STAFF, locale="id", invite_url=lambda t: t)
    assert db.session.scalar(db.select(User).where(User.email == "asn.lain@example.id")) is None


def test_a_civil_servant_logs_in_their_band_sees_their_own_and_progress(site, client, auth, make_user):
    servant = make_servant(site, make_user, band=RankBand.ESELON_IV)
    colleague = make_servant(site, make_user, band=RankBand.STAFF, email="asn.rekan@example.id")
    theirs = log(site, 60_000)  # logged by the coordinator for the office
    auth.login(servant.email)
    assert client.get("/bela-beli/me").status_code == 200
    response = client.submit("/bela-beli/me/purchases/new", form(site, band="eselon_ii"),
                             content_type="multipart/form-data")
    assert response.status_code == 302 and response.location.endswith("/bela-beli/me")
    purchase = db.session.scalar(db.select(Purchase).where(Purchase.logged_by_id == servant.id))
    assert purchase.band is RankBand.ESELON_IV and purchase.office_id == site.office.id  # band from the account
    page = client.get("/bela-beli/me").get_data(as_text=True)
    assert 'id="minimum">Rp 75.000<' in page and 'id="confirmed">Rp 0<' in page and "Rp 80.000" in page
    assert "Rp 60.000" not in page  # the coordinator's entry is not theirs
    assert client.get(f"/bela-beli/purchases/{purchase.id}/receipt").status_code == 200
    assert client.get(f"/bela-beli/purchases/{theirs.id}/receipt").status_code == 404
    assert client.get(f"/bela-beli/offices/{site.office.id}").status_code == 403
    confirm(site, purchase)
    page = client.get("/bela-beli/me").get_data(as_text=True)
    assert 'id="confirmed">Rp 80.000<' in page and 'id="remaining">Rp 0<' in page
    auth.logout()

    auth.login(colleague.email)
    assert client.get(f"/bela-beli/purchases/{purchase.id}/receipt").status_code == 404
    assert "Rp 80.000" not in client.get("/bela-beli/me").get_data(as_text=True)
    auth.logout()

    auth.login(site.coordinator.email)
    office = client.get(f"/bela-beli/offices/{site.office.id}").get_data(as_text=True)
    assert "Rp 80.000" in office and "Rp 60.000" in office
    assert client.get(f"/bela-beli/purchases/{purchase.id}/receipt").status_code == 200


def test_a_civil_servant_cannot_log_for_another_office(site, make_user):
    from marketplace.belabeli import purchases
    from tests.belabeli_helpers import LINKS

    servant = make_servant(site, make_user)
    with pytest.raises(OutsideRegion), unit_of_work():
        purchases.log_purchase(db.session.merge(servant), db.session.merge(site.other_office),
                               business_id=site.seller.id, product_ids=[], amount=10_000, bought_on=today(),
                               band=RankBand.STAFF, receipt=jpeg_bytes(), note="", today=today(), links=LINKS)
    assert db.session.scalar(db.select(db.func.count(Purchase.id))) == 0


def test_the_seller_confirms_a_civil_servants_purchase_and_the_office_counts_it(site, make_user):
    from marketplace.belabeli import fulfilment
    from marketplace.belabeli.queries import month_of

    servant = make_servant(site, make_user)
    purchase = log(site, 90_000, coordinator=servant)
    row = fulfilment.by_office(db.session.merge(site.programme), month_of(today()), site.office.id)[0]
    assert row.confirmed == 0
    confirm(site, purchase)
    assert db.session.get(Purchase, purchase.id).status is PurchaseStatus.CONFIRMED
    row = fulfilment.by_office(db.session.merge(site.programme), month_of(today()), site.office.id)[0]
    assert row.confirmed == 90_000

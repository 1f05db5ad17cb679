"""Office coordinators: bound to one office by the service and by a CHECK in the database, staff for sessions and
passwords; receipts are re-encoded photos, never the upload itself."""

import pytest
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import STAFF_ROLES, Role, User
from marketplace.accounts.services import AccountError, create_user
from marketplace.belabeli.models import Purchase
from marketplace.extensions import db
from marketplace.media.documents import document_name
from marketplace.media.storage import storage
from marketplace.unit_of_work import unit_of_work
from tests.belabeli_helpers import log, make_site
from tests.conftest import PASSWORD, jpeg_bytes


def test_a_coordinator_needs_an_office_and_only_coordinators_have_one(app, make_user, make_business):
    site = make_site(make_user, make_business)
    assert Role.OFFICE_COORDINATOR in STAFF_ROLES
    with pytest.raises(AccountError), unit_of_work():
        create_user(email="tanpa.kantor@example.id", password=PASSWORD, name="Tanpa Kantor",
                    role=Role.OFFICE_COORDINATOR, region_code="35.13")
    with pytest.raises(AccountError), unit_of_work():
        create_user(email="pemilik.kantor@example.id", password=PASSWORD, name="Pemilik", role=Role.OWNER,
                    region_code="35.13", office_id=site.office.id)
    with pytest.raises(IntegrityError), unit_of_work():
        db.session.add(User(email="langsung@example.id", name="Langsung", password_hash="x",
                            role=Role.OFFICE_COORDINATOR))
        db.session.flush()


def test_the_receipt_is_re_encoded_and_a_pdf_is_refused(app, make_user, make_business):
    from marketplace.belabeli.services import BelaBeliRefused

    site = make_site(make_user, make_business)
    purchase = log(site, 50_000)
    stored = storage().get(document_name(db.session.get(Purchase, purchase.id).receipt))
    assert stored[:3] == b"\xff\xd8\xff" and stored != jpeg_bytes()
    from marketplace.belabeli import purchases
    from marketplace.belabeli.models import RankBand
    from marketplace.timeutil import today
    from tests.belabeli_helpers import LINKS
    with pytest.raises(BelaBeliRefused), unit_of_work():
        purchases.log_purchase(site.coordinator, db.session.merge(site.office), business_id=site.seller.id,
                               product_ids=[], amount=10_000, bought_on=today(), band=RankBand.STAFF,
                               receipt=b"%PDF-1.4\n%%EOF", note="", today=today(), links=LINKS)

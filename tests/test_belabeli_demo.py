"""The bela beli demo: Kabupaten Probolinggo's programme with two offices, coordinators who can log in, a month of
purchases (confirmed, one flagged as waiting too long, one disputed) and a quote request with two answers."""

from marketplace.belabeli import fulfilment, queries
from marketplace.belabeli.models import OfferStatus, Office, Programme, Purchase, PurchaseStatus, QuoteRequest
from marketplace.extensions import db
from marketplace.models_base import utcnow
from marketplace.unit_of_work import unit_of_work


def test_the_demo_programme_offices_purchases_and_quote(app, client, auth):
    from marketplace.seeding import DEMO_PASSWORD, seed_demo

    with unit_of_work():
        seed_demo()
    programme = db.session.scalar(db.select(Programme).where(Programme.region_code == "35.13"))
    assert programme.legal_basis == "Instruksi Bupati Probolinggo 9/2024"
    assert "Gerbang Wisata Sukapura" in programme.purchase_points and "Rest Area Tongas" in programme.purchase_points
    assert {o.name for o in db.session.scalars(db.select(Office))} == {"Kecamatan Sukapura", "Dinas Pariwisata"}
    statuses = [p.status for p in db.session.scalars(db.select(Purchase))]
    assert statuses.count(PurchaseStatus.CONFIRMED) >= 5 and PurchaseStatus.PENDING in statuses
    assert PurchaseStatus.DISPUTED in statuses
    assert len(queries.flagged_purchases(programme, utcnow())) == 1
    assert sum(month["total"] for month in fulfilment.public_months(programme)) == 65_000 + 50_000 + 150_000 + \
        130_000 + 200_000 + 250_000 + 65_000  # the last: the civil servant's own purchase
    quote = db.session.scalar(db.select(QuoteRequest))
    assert [o.status for o in quote.offers] == [OfferStatus.ANSWERED, OfferStatus.ANSWERED]

    response = auth.login("koordinator.sukapura@demo.etalase.id", DEMO_PASSWORD)
    assert response.headers["Location"] == "/office"
    auth.logout()
    response = auth.login("asn.sukapura@demo.etalase.id", DEMO_PASSWORD)
    assert response.headers["Location"] == "/bela-beli/me"
    assert 'id="confirmed">Rp 65.000<' in client.get("/bela-beli/me").get_data(as_text=True)
    auth.logout()
    with unit_of_work():
        assert seed_demo()  # again: nothing added
    assert db.session.scalar(db.select(db.func.count(Programme.id))) == 1

"""The staples pages are valid HTML (Nu validator, vnu-jar), in both languages, including forms showing errors."""

from datetime import timedelta

from marketplace.accounts.models import Role
from marketplace.staples import deals
from marketplace.staples.models import DeliveryTerms, PostKind, Transport
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.conftest import jpeg_bytes
from tests.staples_helpers import commodity, published
from tests.test_html_validity import assert_valid_html, vnu_command, with_language


def test_staples_pages_are_valid_html(client, auth, make_user, make_business, tmp_path):
    vnu = vnu_command()
    owner = make_user(role=Role.OWNER, region="35.74", email="kopi.siaga.vnu@example.id")
    moderator = make_user(role=Role.MODERATOR, region="35.74", email="mod.kota.vnu@example.id")
    admin = make_user(role=Role.ADMIN, email="admin.vnu@example.id")
    seller = make_business(owner=owner, region="35.74", name="Kopi Siaga")
    buyer = make_business(region="35.05", name="Koperasi Berkah Telur")
    offer = published(make_user, seller, PostKind.OFFER, quantity=20, price_min=4_500_000, unit="ton")
    need = published(make_user, buyer, PostKind.NEED, quantity=10)
    with unit_of_work():
        deal = deals.propose_deal(buyer.owner, {buyer.id}, offer, need, volume=10_000, unit_price=4500, starts_on=today(),
                                  ends_on=today() + timedelta(days=9), delivery_terms=DeliveryTerms.LOCO,
                                  transport_by=Transport.BUYER, on=today())
        deals.confirm_deal(owner, {seller.id}, deal)
        for _ in range(2):  # two deliveries waiting for the owner: two dispute forms on one page
            deals.log_delivery(buyer.owner, {buyer.id}, deal, delivered_on=today(), quantity=1000, quality="",
                               received_by="Gudang", note_photo=jpeg_bytes())
    pages = {}

    def render(paths, method="get", data=None):
        for path in paths:
            for lang in ("id", "en"):
                url = with_language(path, lang)
                response = client.submit(url, data) if method == "post" else client.get(url)
                assert response.status_code in (200, 422), (url, response.status_code)
                pages[f"{method} {url}"] = response.get_data(as_text=True)

    render(["/staples", "/staples/jagung-pipilan-kering", "/staples/telur-ayam-ras"])
    auth.login(owner.email)
    render(["/my/staples", "/my/staples/new", f"/my/staples/posts/{offer.id}/edit",
            f"/my/staples/matches/{offer.id}/{need.id}", f"/my/staples/deals/{deal.id}"])
    render(["/my/staples/new"], "post", {"business": str(seller.id), "kind": "offer", "commodity": str(commodity("beras").id),
                                         "quantity": "-1", "unit": "butir", "price_min": "9", "price_max": "1"})
    auth.logout()
    auth.login(moderator.email)
    render(["/moderation/staples", f"/moderation/staples/pairs?offer={offer.id}&need={need.id}",
            f"/moderation/staples/deals/{deal.id}", "/moderation/staples/prices"])
    auth.logout()
    auth.login(admin.email)
    render(["/admin/commodities"])
    render(["/admin/commodities"], "post", {"code": "X Y", "units": "ton"})

    assert_valid_html(vnu, pages, tmp_path)

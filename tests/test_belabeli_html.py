"""The bela beli pages are valid HTML (Nu HTML validator), in Indonesian and English, for each role that sees them."""

from datetime import timedelta

from marketplace.belabeli import quotes
from marketplace.extensions import db
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.belabeli_helpers import LINKS, confirm, log, make_site
from tests.test_html_validity import LANGUAGES, assert_valid_html, vnu_command, with_language


def test_bela_beli_pages_are_valid_html(client, auth, make_user, make_business, make_product, tmp_path):
    vnu = vnu_command()
    site = make_site(make_user, make_business)
    make_product(status="published", business=site.seller, category="keripik", name="Keripik Kentang")
    confirm(site, log(site, 120_000))
    log(site, 40_000)
    with unit_of_work():
        quote = quotes.request_quote(site.coordinator, db.session.merge(site.programme), db.session.merge(site.office),
                                     what="Nasi kotak", quantity="40 kotak", needed_on=today() + timedelta(days=3),
                                     budget=1_000_000, occasion="Rapat", business_ids=[site.seller.id], today=today(),
                                     links=LINKS)
    pages = {}

    def render(paths):
        for path in paths:
            for lang in LANGUAGES:
                url = with_language(path, lang)
                response = client.get(url)
                assert response.status_code == 200, url
                pages[url] = response.get_data(as_text=True)

    render(["/bela-beli"])
    auth.login(site.coordinator.email)
    office = f"/bela-beli/offices/{site.office.id}"
    render([office, f"{office}/purchases/new", f"{office}/quotes/new", f"/bela-beli/quotes/{quote.id}"])
    auth.logout()
    auth.login(site.seller.owner.email)
    render(["/my/bela-beli"])
    auth.logout()
    auth.login(site.moderator.email)
    render(["/moderation/bela-beli/35.13", "/moderation/bela-beli/35.13/quotes/new"])
    auth.logout()
    from tests.belabeli_helpers import make_servant
    servant = make_servant(site, make_user)
    log(site, 30_000, coordinator=servant)
    auth.login(servant.email)
    render(["/bela-beli/me", "/bela-beli/me/purchases/new"])
    auth.logout()
    from marketplace.accounts.models import Role
    auth.login(make_user(role=Role.ADMIN).email)
    render(["/moderation/bela-beli", "/moderation/bela-beli/35.12"])  # a region without a programme: the start form
    assert_valid_html(vnu, pages, tmp_path)

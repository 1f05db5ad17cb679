"""Showcases under the regions' agreements: eligibility in one place, curation by the host region, nominations,
public and embedded pages, reach counts."""

from datetime import date, timedelta

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import Verification
from marketplace.businesses.services import set_verification
from marketplace.catalog.models import ProductStatus
from marketplace.catalog.services import change_status, review_product, submit_product
from marketplace.domain import OutsideRegion
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.regions.models import Agreement
from marketplace.showcases import services
from marketplace.showcases.eligibility import NotEligible
from marketplace.showcases.models import Nomination, NominationStatus, Phase, Showcase, ShowcaseReach

BLITAR_MOU = "mou-kota-probolinggo-kab-blitar-2025"   # parties 35.74 and 35.05
PASURUAN_MOU = "mou-kota-probolinggo-kab-pasuruan-2025"  # parties 35.74 and 35.14
TODAY = date(2026, 11, 24)


def agreement(key: str) -> Agreement:
    return db.session.scalar(db.select(Agreement).where(Agreement.key == key))


@pytest.fixture
def host(make_user):
    return make_user(role=Role.MODERATOR, region="35.74", email="host@example.id")


@pytest.fixture
def showcase(app, host):
    return services.create_showcase(host, agreement=agreement(BLITAR_MOU), host_region_code="35.74",
                                    title="Etalase Sekartaji 2026", on=TODAY, published=True,
                                    starts_on=TODAY - timedelta(days=1), ends_on=TODAY + timedelta(days=30))


@pytest.fixture
def products(make_business, make_product):
    kota = make_product(business=make_business(region="35.74", name="Batik Kota"), status="published", name="Batik Kota")
    blitar = make_product(business=make_business(region="35.05", name="Telur Blitar"), status="published",
                          name="Telur Blitar", category="telur")
    pasuruan = make_product(business=make_business(region="35.14", name="Bordir Bangil"), status="published",
                            name="Mukena Bangil", category="mukena")
    return {"kota": kota, "blitar": blitar, "pasuruan": pasuruan}


def shown(client, showcase, path="") -> str:
    return client.get(f"/showcases/{showcase.slug}{path}").get_data(as_text=True)


def test_phase_follows_the_window_with_a_fixed_clock():
    showcase = Showcase(published=True, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30))
    assert showcase.phase(date(2026, 5, 31)) is Phase.UPCOMING
    assert showcase.phase(date(2026, 6, 1)) is Phase.LIVE and showcase.phase(date(2026, 6, 30)) is Phase.LIVE
    assert showcase.phase(date(2026, 7, 1)) is Phase.PAST
    assert Showcase(published=True).phase(date(2030, 1, 1)) is Phase.LIVE  # no window: permanent
    assert Showcase(published=False).phase(date(2026, 6, 15)) is Phase.DRAFT


def test_index_lists_live_upcoming_and_past_by_the_clock(client, app, host, monkeypatch):
    import marketplace.showcases.views as views

    monkeypatch.setattr(views, "today", lambda: TODAY)
    for title, start, end in [("Lalu", -60, -30), ("Kini", -1, 1), ("Nanti", 10, 20)]:
        services.create_showcase(host, agreement=agreement(BLITAR_MOU), host_region_code="35.74", title=title, on=TODAY,
                                 published=True, starts_on=TODAY + timedelta(days=start), ends_on=TODAY + timedelta(days=end))
    html = client.get("/showcases?lang=en").get_data(as_text=True)
    now, soon, past = html.index("Now showing"), html.index("Coming soon"), html.index("Past showcases")
    assert now < html.index("Kini") < soon < html.index("Nanti") < past < html.index("Lalu")


def test_a_product_from_a_region_not_party_is_refused_by_service_and_ui(app, client, auth, host, showcase, products):
    with pytest.raises(NotEligible):
        services.add_product(host, showcase, products["pasuruan"], TODAY)
    auth.login(host.email)
    page = f"/moderation/showcases/{showcase.id}?lang=en"
    response = client.submit(f"/moderation/showcases/{showcase.id}/items?lang=en", {"product_id": products["pasuruan"].id},
                             page=page, follow_redirects=True)
    assert "not a party to the agreement" in response.get_data(as_text=True)
    assert showcase.items == []
    client.submit(f"/moderation/showcases/{showcase.id}/items", {"product_id": products["blitar"].id}, page=page)
    db.session.refresh(showcase)
    assert [i.product_id for i in showcase.items] == [products["blitar"].id]
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "showcase.add_product")) is not None


def test_owner_cannot_nominate_a_product_from_a_region_not_party(app, client, auth, showcase, products):
    with pytest.raises(NotEligible):
        services.nominate(products["pasuruan"].business.owner, showcase, products["pasuruan"], "", TODAY)
    auth.login(products["pasuruan"].business.owner.email)
    html = client.submit(f"/my/products/{products['pasuruan'].id}/nominate?lang=en",
                         {"showcase": str(showcase.id), "pitch": "Mukena terbaik"}).get_data(as_text=True)
    assert "not a party to the agreement" in html and "Mukena terbaik" in html
    assert db.session.scalar(db.select(db.func.count(Nomination.id))) == 0


@pytest.mark.parametrize("change", ["suspend", "unpublish", "agreement_ends"])
def test_eligibility_changes_remove_and_restore_the_product(app, client, host, showcase, products, change):
    blitar = products["blitar"]
    services.add_product(host, showcase, blitar, TODAY)
    for path in ("", "/embed"):
        assert "Telur Blitar" in shown(client, showcase, path)
    mou = agreement(BLITAR_MOU)
    if change == "suspend":
        set_verification(blitar.business, Verification.SUSPENDED, "x")
    elif change == "unpublish":
        change_status(blitar, ProductStatus.ARCHIVED, Role.OWNER)
    else:
        mou.valid_until = date.today() - timedelta(days=1)
        db.session.commit()
    for path in ("", "/embed"):
        assert "Telur Blitar" not in shown(client, showcase, path)
    if change == "suspend":
        set_verification(blitar.business, Verification.VERIFIED)
    elif change == "unpublish":
        change_status(blitar, ProductStatus.DRAFT, Role.OWNER)
        submit_product(blitar)
        review_product(blitar, "approve", Role.MODERATOR)
    else:
        mou.valid_until = date(2030, 6, 16)
        db.session.commit()
    for path in ("", "/embed"):
        assert "Telur Blitar" in shown(client, showcase, path)


ROLES_AND_REGIONS = [("35.05", "create", True), ("35.14", "create", False), ("35.78", "create", False)]


@pytest.mark.parametrize(("region", "action", "allowed"), ROLES_AND_REGIONS)
def test_only_moderators_of_a_party_region_host_showcases(app, client, auth, make_user, region, action, allowed):
    moderator = make_user(role=Role.MODERATOR, region=region)
    auth.login(moderator.email)
    mou = agreement(BLITAR_MOU)
    if allowed:
        services.create_showcase(moderator, agreement=mou, host_region_code=region, title="Boleh", on=TODAY)
    else:
        with pytest.raises(services.ShowcaseRefused):
            services.create_showcase(moderator, agreement=mou, host_region_code=region, title="Tidak", on=TODAY)
    response = client.submit("/moderation/showcases/new?lang=en", {"title": "Lewat UI", "agreement": str(mou.id)})
    created = db.session.scalar(db.select(Showcase).where(Showcase.title == "Lewat UI"))
    assert (created is not None) == allowed
    if not allowed:
        assert response.status_code == 200 and "Choose the agreement" in response.get_data(as_text=True) \
            or "not a party" in response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "region", "expected"), [
    (Role.MODERATOR, "35.74", 200), (Role.MODERATOR, "35.05", 404), (Role.MODERATOR, "35.14", 404),
    (Role.ADMIN, None, 200), (Role.OWNER, "35.74", 403), (Role.BUYER, "35.74", 403),
])
def test_only_the_host_region_edits_a_showcase(client, auth, make_user, showcase, products, role, region, expected):
    auth.login(make_user(role=role, region=region).email)
    assert client.get(f"/moderation/showcases/{showcase.id}").status_code == expected
    response = client.submit(f"/moderation/showcases/{showcase.id}/items", {"product_id": products["kota"].id},
                             page="/my/")
    assert response.status_code == (302 if expected == 200 else expected)
    db.session.refresh(showcase)
    assert bool(showcase.items) == (expected == 200)


def test_nominate_accept_visible_and_decline_notified(app, client, auth, host, showcase, products, outbox):
    kota, blitar = products["kota"], products["blitar"]
    for product in (kota, blitar):
        auth.login(product.business.owner.email)
        assert client.submit(f"/my/products/{product.id}/nominate", {"showcase": str(showcase.id), "pitch": "Unggulan"}
                             ).status_code == 302
        auth.logout()
    auth.login(host.email)
    page = f"/moderation/showcases/{showcase.id}"
    nominations = {n.product_id: n for n in db.session.scalars(db.select(Nomination))}
    client.submit(f"{page}/nominations/{nominations[kota.id].id}", {"decision": "accept"}, page=page)
    html = client.submit(f"{page}/nominations/{nominations[blitar.id].id}?lang=en", {"decision": "decline"}, page=page,
                         follow_redirects=True).get_data(as_text=True)
    assert "Give a reason" in html
    client.submit(f"{page}/nominations/{nominations[blitar.id].id}", {"decision": "decline", "reason": "Foto kurang jelas"},
                  page=page)
    db.session.expire_all()
    assert db.session.get(Nomination, nominations[kota.id].id).status is NominationStatus.ACCEPTED
    assert db.session.get(Nomination, nominations[blitar.id].id).status is NominationStatus.DECLINED
    assert "Batik Kota" in shown(client, showcase) and "Telur Blitar" not in shown(client, showcase)
    declined = db.session.scalar(db.select(Notification).where(Notification.kind == "nomination.decline"))
    assert declined.user_id == blitar.business.owner_id and declined.params["reason"] == "Foto kurang jelas"
    assert any("Foto kurang jelas" in m.get_content() for m in outbox())


def test_only_the_embed_route_may_be_framed(app, client, showcase):
    embed = client.get(f"/showcases/{showcase.slug}/embed").headers
    csp = embed["Content-Security-Policy"]
    assert "frame-ancestors " + " ".join(app.config["SHOWCASE_EMBED_ORIGINS"]) in csp
    assert "'none'" not in csp.split("frame-ancestors")[1] and "X-Frame-Options" not in embed
    for path in ("/", f"/showcases/{showcase.slug}", "/showcases", "/products", "/auth/login"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"


def test_showcase_page_filters_by_region_and_shows_each_products_region(app, client, host, showcase, products):
    services.add_product(host, showcase, products["kota"], TODAY)
    services.add_product(host, showcase, products["blitar"], TODAY)
    html = shown(client, showcase)
    assert "Batik Kota" in html and "Telur Blitar" in html and "Kabupaten Blitar" in html and "Kota Probolinggo" in html
    only_blitar = shown(client, showcase, "?region=35.05")
    assert "Telur Blitar" in only_blitar and "Batik Kota" not in only_blitar
    assert 'target="_blank"' in shown(client, showcase, "/embed")
    assert "Etalase Sekartaji 2026" in client.get(f"/products/{products['blitar'].id}-{products['blitar'].slug}").get_data(as_text=True)
    assert "Etalase Sekartaji 2026" in client.get("/regions/35.05").get_data(as_text=True)
    assert "Etalase Sekartaji 2026" in client.get("/").get_data(as_text=True)


def test_reach_counts_views_and_clicks_per_day_without_personal_data(app, client, host, showcase, products):
    services.add_product(host, showcase, products["kota"], TODAY)
    shown(client, showcase)
    shown(client, showcase, "/embed")
    response = client.get(f"/showcases/{showcase.slug}/go/{products['kota'].id}")
    assert response.status_code == 302 and response.headers["Location"].startswith(f"/products/{products['kota'].id}-")
    assert client.get(f"/showcases/{showcase.slug}/go/{products['blitar'].id}").status_code == 404  # not in it
    rows = {(r.product_id, r.count) for r in db.session.scalars(db.select(ShowcaseReach))}
    assert rows == {(0, 2), (products["kota"].id, 1)}
    assert set(ShowcaseReach.__table__.columns.keys()) == {"id", "showcase_id", "product_id", "day", "count"}


def test_owner_sees_clicks_on_their_nominated_product(app, client, auth, host, showcase, products):
    kota = products["kota"]
    nomination = services.nominate(kota.business.owner, showcase, kota, "", TODAY)
    services.decide_nomination(host, nomination, True, "", TODAY, link="/my/nominations", inbox_url="http://x/my/")
    for _ in range(3):
        client.get(f"/showcases/{showcase.slug}/go/{kota.id}")
    auth.login(kota.business.owner.email)
    html = client.get("/my/nominations?lang=en").get_data(as_text=True)
    assert "Clicks from the showcase: 3" in html and "accepted" in html


def test_curation_finds_candidates_with_the_catalogue_search(client, auth, host, showcase, products):
    auth.login(host.email)
    page = f"/moderation/showcases/{showcase.id}?lang=en"
    found = client.get(f"{page}&q=telur").get_data(as_text=True)
    assert "Add Telur Blitar" in found and "Add Batik Kota" not in found
    assert "Add Telur Blitar" in client.get(f"{page}&q=teluur").get_data(as_text=True)  # typo-corrected like /products
    in_region = client.get(f"{page}&region=35.74").get_data(as_text=True)
    assert "Add Batik Kota" in in_region and "Add Telur Blitar" not in in_region
    assert 'aria-label="Add ' not in client.get(f"{page}&q=dan").get_data(as_text=True)  # a stop word: nothing to find


def test_host_orders_the_products_and_the_order_is_public(app, client, auth, host, showcase, products):
    services.add_product(host, showcase, products["kota"], TODAY)
    services.add_product(host, showcase, products["blitar"], TODAY)
    html = shown(client, showcase)
    assert html.index("Batik Kota") < html.index("Telur Blitar")
    auth.login(host.email)
    page = f"/moderation/showcases/{showcase.id}"
    client.submit(f"{page}/order", {f"position-{products['kota'].id}": "2", f"position-{products['blitar'].id}": "1"},
                  page=page)
    html = shown(client, showcase)
    assert html.index("Telur Blitar") < html.index("Batik Kota")
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "showcase.reorder")) is not None


@pytest.fixture
def curated(host, showcase, products):
    """The showcase with Batik Kota in it and a pending nomination of Telur Blitar."""
    services.add_product(host, showcase, products["kota"], TODAY)
    blitar = products["blitar"]
    return {"showcase": showcase, "nomination": services.nominate(blitar.business.owner, showcase, blitar, "Telur", TODAY)}


def test_a_moderator_of_another_region_gets_404_over_http_and_changes_nothing(client, auth, make_user, curated, products):
    showcase, nomination = curated["showcase"], curated["nomination"]
    auth.login(make_user(role=Role.MODERATOR, region="35.05").email)  # a party to the agreement, not the host
    base = f"/moderation/showcases/{showcase.id}"
    audited = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
    sent_from = {"Referer": f"http://localhost{base}"}  # sent from a page of this site: still a 404, never a flash
    for url, data in [(f"{base}/items", {"product_id": products["blitar"].id}),
                      (f"{base}/nominations/{nomination.id}", {"decision": "accept"}),
                      (f"{base}/items/{products['kota'].id}/remove", {}),
                      (f"{base}/order", {f"position-{products['kota'].id}": "9"}),
                      (base, {"title": "Diambil alih", "agreement": str(showcase.agreement_id)})]:
        assert client.submit(url, data, page="/my/", headers=sent_from).status_code == 404, url
    db.session.expire_all()
    kept = db.session.get(Showcase, showcase.id)
    assert [item.product_id for item in kept.items] == [products["kota"].id] and kept.title == "Etalase Sekartaji 2026"
    assert db.session.get(Nomination, nomination.id).status is NominationStatus.PENDING
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == audited  # nothing recorded either


def test_showcase_services_refuse_a_moderator_of_another_region(make_user, curated, products):
    showcase, nomination, outsider = curated["showcase"], curated["nomination"], make_user(role=Role.MODERATOR, region="35.05")
    kota = products["kota"].id
    for call in (lambda: services.add_product(outsider, showcase, products["blitar"], TODAY),
                 lambda: services.remove_product(outsider, showcase, kota),
                 lambda: services.reorder(outsider, showcase, {kota: 9}),
                 lambda: services.update_showcase(outsider, showcase, title="Diambil alih"),
                 lambda: services.decide_nomination(outsider, nomination, True, "", TODAY, link="", inbox_url="http://x/")):
        with pytest.raises(OutsideRegion):
            call()
    assert [item.product_id for item in showcase.items] == [kota]
    assert showcase.title == "Etalase Sekartaji 2026" and nomination.status is NominationStatus.PENDING

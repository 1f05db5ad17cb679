"""Dormant sellers for the region's DKUPP: the list (fixed clock), the nudge, the follow-up log, archiving and
restoring, the daily totals."""

from datetime import UTC, datetime, timedelta

import pytest
from huey import crontab  # noqa: F401  (the periodic job's schedule is checked through huey below)

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.coach import queries, services
from marketplace.coach.models import DormancySnapshot, FollowUp, FollowUpKind
from marketplace.extensions import db
from marketplace.inquiries.services import send_inquiry
from marketplace.notifications.models import Notification
from marketplace.unit_of_work import unit_of_work
from tests.conftest import INQUIRY_LINKS

NOW = datetime(2027, 3, 1, 3, 0, tzinfo=UTC)  # the fixed clock: every factory-made row is ~90 days old by then


def ask(product, when: datetime):
    with unit_of_work():
        inquiry = send_inquiry(product, buyer=None, name="Budi Santoso", contact="6281234567890", quantity=2,
                               message="Masih ada?", buyer_region_code="35.05", **INQUIRY_LINKS)
        inquiry.created_at = when
    return inquiry


def backdate(business, days: int):
    """Make the business (and its products) older than the real clock, for the pages that use it."""
    when = datetime.now(UTC) - timedelta(days=days)
    with unit_of_work():
        db.session.execute(db.update(Business).where(Business.id == business.id).values(created_at=when))
        db.session.execute(db.update(Product).where(Product.business_id == business.id).values(updated_at=when))


@pytest.fixture
def seller(make_business, make_product):
    business = make_business(name="Keripik Tempe Bu Sari", kecamatan="Kanigaran")
    make_product(business=business, status="published", name="Keripik Tempe")
    return business


def names(region="35.74", signal="inquiry", now=NOW):
    return [s.business.name for s in queries.dormant_sellers(region, now, signal)]


def test_no_inquiry_for_60_days_is_dormant_and_one_inquiry_removes_it(seller, make_product):
    assert names() == ["Keripik Tempe Bu Sari"]
    assert queries.dormant_by_kecamatan("35.74", NOW) == [("Kanigaran", 1)]
    assert names(now=NOW - timedelta(days=80)) == []  # younger than 60 days then
    product = db.session.scalar(db.select(Product).where(Product.business_id == seller.id))
    ask(product, NOW - timedelta(days=61))
    assert names() == ["Keripik Tempe Bu Sari"]  # an inquiry too long ago does not count
    ask(product, NOW - timedelta(days=3))
    assert names() == []


def test_only_verified_sellers_with_public_products_and_only_the_region(make_business, make_product, seller):
    make_product(business=make_business(name="Belum Diverifikasi", verified=False), status="published")
    make_product(business=make_business(name="Hanya Draf"), status="draft")
    make_product(business=make_business(name="Batik Blitar", region="35.05"), status="published")
    assert names() == ["Keripik Tempe Bu Sari"]
    assert names("35.05") == ["Batik Blitar"]


def test_other_signals_no_login_and_no_listing_update(seller, client, auth):
    assert names(signal="login") == ["Keripik Tempe Bu Sari"]  # the owner never logged in
    auth.login(seller.owner.email)  # audited: user.login now
    login = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "user.login"))
    assert names(signal="login", now=login.created_at + timedelta(days=59)) == []
    assert names(signal="login", now=login.created_at + timedelta(days=61)) == ["Keripik Tempe Bu Sari"]
    assert names(signal="update") == ["Keripik Tempe Bu Sari"]


def test_the_dormant_page_groups_by_kecamatan_with_hints(client, auth, moderator, seller, make_business, make_product):
    other = make_business(name="Batik Tanpa Kecamatan")
    make_product(business=other, status="published", name="Batik Polos", description="Batik.")
    backdate(seller, 70)
    backdate(other, 70)
    auth.login(moderator.email)
    html = client.get("/moderation/dormant?lang=en").get_data(as_text=True)
    assert "Kanigaran (1)" in html and "Kecamatan not given (1)" in html
    assert html.index("Keripik Tempe Bu Sari") < html.index("Batik Tanpa Kecamatan")
    assert "Listing quality" in html and "Add a second photo" in html
    product = db.session.scalar(db.select(Product).where(Product.business_id == seller.id))
    ask(product, datetime.now(UTC))
    html = client.get("/moderation/dormant?lang=en").get_data(as_text=True)
    assert "Keripik Tempe Bu Sari" not in html and "Batik Tanpa Kecamatan" in html


def test_the_dormant_page_needs_a_fixed_number_of_queries(client, auth, moderator, make_business, make_product):
    from sqlalchemy import event

    def count() -> int:
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/moderation/dormant").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    auth.login(moderator.email)
    first = make_business(name="Usaha 0")
    make_product(business=first, status="published")
    backdate(first, 70)
    one = count()
    for i in range(4):
        business = make_business(name=f"Usaha {i + 1}", kecamatan=f"Kec {i % 2}")
        make_product(business=business, status="published")
        make_product(business=business, status="published", name="Lagi")
        backdate(business, 70)
    assert count() == one


def test_the_nudge_sends_one_notification_and_one_email_in_the_owners_language_and_is_logged(
        client, auth, moderator, make_user, make_business, make_product, outbox):
    owner = make_user(role=Role.OWNER, email="sari@example.id", locale="en")
    business = make_business(owner=owner, name="Keripik Sari")
    make_product(business=business, status="published", name="Keripik Pedas", description="Enak.")
    auth.login(moderator.email)  # the moderator's page is in Indonesian; the owner reads English
    before = len(outbox())
    response = client.submit(f"/moderation/dormant/{business.id}/nudge?lang=id", {},
                             page=f"/moderation/dormant/{business.id}?lang=id")
    assert response.status_code == 302
    (notification,) = db.session.scalars(db.select(Notification).where(Notification.user_id == owner.id)).all()
    assert notification.kind == "coach.nudge" and "Keripik Pedas: Add a second photo" in notification.params["hints"]
    mails = outbox()[before:]
    assert len(mails) == 1 and mails[0]["To"] == "sari@example.id"
    assert "tips from the DKUPP" in mails[0]["Subject"] and "Add a second photo" in mails[0].get_content()
    (entry,) = queries.follow_ups(business.id)
    assert entry.kind is FollowUpKind.NUDGED and entry.actor_id == moderator.id
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "coach.nudge")).object_id == business.id
    html = client.get(f"/moderation/dormant/{business.id}?lang=en").get_data(as_text=True)
    assert "Sent a reminder" in html


def test_an_indonesian_owner_gets_the_nudge_in_indonesian(client, auth, moderator, make_business, make_product, outbox):
    business = make_business(name="Keripik Bu Ani")
    make_product(business=business, status="published", name="Keripik Tempe", description="Enak.")
    auth.login(moderator.email)
    client.submit(f"/moderation/dormant/{business.id}/nudge?lang=en", {}, page=f"/moderation/dormant/{business.id}?lang=en")
    (mail,) = [m for m in outbox() if m["To"] == business.owner.email and "DKUPP" in m["Subject"]]
    assert "Tambahkan foto kedua" in mail.get_content()


def test_the_follow_up_log_keeps_who_what_when_and_is_audited(client, auth, moderator, seller):
    auth.login(moderator.email)
    response = client.submit(f"/moderation/dormant/{seller.id}", {"kind": "visited", "note": "Toko tutup hari Jumat."})
    assert response.status_code == 302
    (entry,) = queries.follow_ups(seller.id)
    assert (entry.kind, entry.note, entry.actor_name) == (FollowUpKind.VISITED, "Toko tutup hari Jumat.", moderator.name)
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "coach.follow_up"))
    assert audit.region_code == "35.74" and audit.reason == "Toko tutup hari Jumat."
    refused = client.submit(f"/moderation/dormant/{seller.id}", {"kind": "archived", "note": "x"})
    assert refused.status_code == 200 and len(queries.follow_ups(seller.id)) == 1  # only what may be logged by hand


def test_dkupp_archives_with_a_reason_and_restores(client, auth, moderator, seller):
    product = db.session.scalar(db.select(Product).where(Product.business_id == seller.id))
    auth.login(moderator.email)
    page = f"/moderation/dormant/{seller.id}"
    refused = client.submit(f"{page}/archive?lang=en", {"reason": ""}, page=page)
    assert refused.status_code == 200 and "Give the reason" in refused.get_data(as_text=True)
    assert client.submit(f"{page}/archive", {"reason": "Usaha sudah tutup sejak Oktober."}, page=page).status_code == 302
    db.session.expire_all()
    assert db.session.get(Business, seller.id).archived_at is not None and not db.session.get(Product, product.id).public
    assert client.get(f"/products/{product.id}-{product.slug}").status_code == 404
    assert names() == []  # archived sellers leave the dormant list
    assert client.submit(f"{page}/restore", {"note": "Buka lagi."}, page=page).status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).public
    actions = list(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.object_type == "business")))
    assert "business.archive" in actions and "business.restore" in actions
    assert [e.kind for e in queries.follow_ups(seller.id)] == [FollowUpKind.RESTORED, FollowUpKind.ARCHIVED]


def test_the_owner_archives_their_own_business(client, auth, seller):
    product = db.session.scalar(db.select(Product).where(Product.business_id == seller.id))
    auth.login(seller.owner.email)
    page = f"/my/businesses/{seller.id}/coach"
    unconfirmed = client.submit(f"/my/businesses/{seller.id}/archive?lang=en", {}, page=page)
    assert unconfirmed.status_code == 200 and db.session.get(Business, seller.id).archived_at is None
    assert client.submit(f"/my/businesses/{seller.id}/archive", {"confirm": "y"}, page=page).status_code == 302
    db.session.expire_all()
    assert not db.session.get(Product, product.id).public
    html = client.get(f"/businesses/{seller.slug}?lang=en").get_data(as_text=True)
    assert "no longer trades" in html and "Keripik Tempe" not in html.split("no longer trades")[1]
    assert "Keripik Tempe Bu Sari" not in client.get("/regions/35.74").get_data(as_text=True)


def test_the_nightly_job_writes_the_regions_totals(app, queue, seller, make_business, make_product):
    active = make_business(name="Ramai")
    product = make_product(business=active, status="published")
    ask(product, NOW - timedelta(days=1))
    with unit_of_work():
        assert services.take_snapshots(NOW) >= 1
        services.take_snapshots(NOW)  # run twice the same day: one row, rewritten
    (row,) = db.session.scalars(db.select(DormancySnapshot).where(DormancySnapshot.region_code == "35.74")).all()
    assert (row.active, row.dormant) == (1, 1) and row.day.isoformat() == "2027-03-01"
    due = [task.name for task in queue.huey.read_periodic(datetime(2027, 3, 1, 17, 40))]
    assert "snapshot_dormancy" in due


def test_the_dormant_page_shows_the_daily_totals(client, auth, moderator, seller):
    with unit_of_work():
        db.session.add(DormancySnapshot(region_code="35.74", day=NOW.date(), active=12, dormant=5))
    auth.login(moderator.email)
    html = client.get("/moderation/dormant?lang=en").get_data(as_text=True)
    assert "March 1, 2027" in html and ">12<" in html and ">5<" in html
    assert not db.session.scalars(db.select(FollowUp)).all()


def test_the_owner_reads_the_reminder_in_the_app(client, auth, moderator, make_business, make_product):
    business = make_business(name="Keripik Bu Ani")
    make_product(business=business, status="published", name="Keripik Tempe", description="Enak.")
    auth.login(moderator.email)
    client.submit(f"/moderation/dormant/{business.id}/nudge", {}, page=f"/moderation/dormant/{business.id}")
    auth.logout()
    auth.login(business.owner.email)
    html = client.get("/my/notifications?lang=id").get_data(as_text=True)
    assert "DKUPP daerah Anda ingin membantu" in html and "- Keripik Tempe: Tambahkan foto kedua" in html

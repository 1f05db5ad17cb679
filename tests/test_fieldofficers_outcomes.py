"""Outcomes per field officer (businesses onboarded, products published, first inquiries) for the region's
moderators and on the officer's own page; moderators and admins invite field officers of a region."""

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.fieldofficers.queries import outcomes
from marketplace.inquiries.services import send_inquiry
from marketplace.unit_of_work import unit_of_work
from tests.fieldofficers_helpers import assisted_business, make_officer, onboard


def inquire(product):
    with unit_of_work():
        send_inquiry(product, buyer=None, name="Pembeli", contact="081234567890", quantity=2, message="Masih ada?",
                     buyer_region_code="35.74", link_for=lambda i: f"/my/inquiries/{i}", inbox_url="/my/notifications")


def test_outcomes_are_counted_per_officer_of_the_region(app, client, auth, make_user, make_product, moderator):
    rina = make_officer(make_user, name="Rina")
    make_officer(make_user, name="Budi")
    blitar = make_officer(make_user, region="35.05", name="Petugas Blitar")
    first = assisted_business(app, onboard(app, rina, name="Bu Sri"), name="Kerupuk Sri")
    second = assisted_business(app, onboard(app, rina, name="Pak Ali"), name="Batik Ali")
    published = make_product(business=first, status="published", name="Kerupuk Udang")
    make_product(business=first, status="published", name="Kerupuk Ikan")
    make_product(business=second, status="pending", name="Batik Mangga")
    inquire(published)
    inquire(published)  # a second inquiry of the same business is no second first inquiry
    assisted_business(app, onboard(app, blitar, name="Pak Slamet"), name="Pecel Blitar")
    make_product(status="published", name="Sendiri")  # an owner who signed up alone counts for nobody

    rows = {row.name: row for row in outcomes("35.74")}
    assert set(rows) == {"Rina", "Budi"}
    assert (rows["Rina"].owners, rows["Rina"].businesses, rows["Rina"].published, rows["Rina"].first_inquiries) == (2, 2, 2, 1)
    assert (rows["Budi"].owners, rows["Budi"].businesses, rows["Budi"].published, rows["Budi"].first_inquiries) == (0, 0, 0, 0)
    assert [row.name for row in outcomes("35.05")] == ["Petugas Blitar"]

    auth.login(moderator.email)
    html = client.get("/moderation/field-officers?lang=en").get_data(as_text=True)
    assert "Rina" in html and "Budi" in html and "Petugas Blitar" not in html
    auth.logout()
    auth.login(rina.email)
    own = client.get("/field/?lang=en").get_data(as_text=True)
    assert "Your outcomes" in own and "Bu Sri" in own and "Pak Ali" in own and "Pak Slamet" not in own


def test_outcomes_take_a_fixed_number_of_queries(app, make_user, make_product):
    from sqlalchemy import event

    for index in range(3):
        officer = make_officer(make_user, name=f"Petugas {index}")
        business = assisted_business(app, onboard(app, officer, name=f"Pemilik {index}"), name=f"Usaha {index}")
        make_product(business=business, status="published")
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert len(outcomes("35.74")) == 3
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1


def test_a_moderator_invites_a_field_officer_of_their_own_region(client, auth, moderator, outbox):
    auth.login(moderator.email)
    response = client.submit("/moderation/field-officers/new", {"email": "pl.baru@example.id", "name": "Pendamping Baru",
                                                                 "locale": "id", "region": "35.05"})
    assert response.status_code == 302
    officer = db.session.scalar(db.select(User).where(User.email == "pl.baru@example.id"))
    assert officer.role is Role.FIELD_OFFICER and officer.region_code == "35.74" and officer.invitation_pending
    (message,) = outbox()
    assert "/auth/invite/" in message.get_content()


def test_the_invitation_form_keeps_input_on_error(client, auth, moderator):
    auth.login(moderator.email)
    html = client.submit("/moderation/field-officers/new?lang=en", {"email": "bukan-email", "name": "Pendamping Baru",
                                                                    "locale": "id"}).get_data(as_text=True)
    assert "Enter a valid email address" in html and 'value="Pendamping Baru"' in html


def test_an_admin_invites_a_field_officer_who_needs_a_region(client, auth, make_user):
    auth.login(make_user(role=Role.ADMIN).email)
    data = {"email": "pl.admin@example.id", "name": "Pendamping", "role": "field_officer", "region": "", "locale": "id"}
    html = client.submit("/admin/staff/new?lang=en", data).get_data(as_text=True)
    assert "A field officer must be bound to a region." in html
    assert client.submit("/admin/staff/new", {**data, "region": "35.13"}).status_code == 302
    officer = db.session.scalar(db.select(User).where(User.email == "pl.admin@example.id"))
    assert officer.role is Role.FIELD_OFFICER and officer.region_code == "35.13"


def test_a_field_officer_is_staff(client, make_user):
    from marketplace.accounts.models import STAFF_ROLES
    from marketplace.accounts.passwords import MIN_LENGTH_STAFF, min_length

    assert Role.FIELD_OFFICER in STAFF_ROLES and min_length(Role.FIELD_OFFICER) == MIN_LENGTH_STAFF

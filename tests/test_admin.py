"""Admin: agreements decide who is a partner, categories, staff accounts; every change audited."""

import re

import pytest

from marketplace.accounts.models import Role, User
from marketplace.audit.models import AuditEntry
from marketplace.catalog.models import Category
from marketplace.extensions import db
from marketplace.regions.models import Agreement
from marketplace.regions.queries import partner_regions
from marketplace.timeutil import today

ADMIN_PAGES = ["/admin/", "/admin/agreements/new", "/admin/categories/new", "/admin/staff/new", "/admin/users",
               "/admin/businesses"]


@pytest.fixture
def admin(auth, make_user):
    user = make_user(role=Role.ADMIN, email="admin@example.id")
    auth.login(user.email)
    return user


@pytest.mark.parametrize("role", [None, Role.BUYER, Role.OWNER, Role.MODERATOR])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_only_admins_enter(client, auth, make_user, role, path):
    if role is not None:
        auth.login(make_user(role=role).email)
    assert client.get(path).status_code == (302 if role is None else 403)


def agreement_form(**changes):
    return {"title": "Kesepakatan Bersama Kota Batu dan Kabupaten Probolinggo", "number": "180/12/2026",
            "signed_on": "2026-01-27", "valid_from": "2026-01-27", "valid_until": "", "scopes": ["promotion"],
            "regions": ["35.79", "35.13"], "description": "", **changes}


def test_new_agreement_makes_its_regions_partners_and_is_audited(client, admin):
    assert "35.13" not in {r.code for r in partner_regions(today())}
    assert client.submit("/admin/agreements/new", agreement_form()).status_code == 302
    agreement = db.session.scalar(db.select(Agreement).where(Agreement.number == "180/12/2026"))
    assert agreement.region_codes == {"35.79", "35.13"}
    assert {"35.13", "35.79"} <= {r.code for r in partner_regions(today())}
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "agreement.create"))
    assert entry.actor_email == "admin@example.id" and entry.changes["scopes"] == [None, ["promotion"]]


def test_an_expired_agreement_stops_counting(client, admin):
    client.submit("/admin/agreements/new", agreement_form(valid_from="2020-01-01", valid_until="2021-12-31", signed_on="2020-01-01"))
    assert "35.13" not in {r.code for r in partner_regions(today())}


def test_editing_an_agreement_end_date(client, admin):
    agreement = db.session.scalar(db.select(Agreement).where(Agreement.key == "mou-kota-probolinggo-kab-pasuruan-2025"))
    page = f"/admin/agreements/{agreement.id}"
    html = client.get(page).get_data(as_text=True)
    assert 'value="35.14" checked' in html or 'checked id' in html
    data = agreement_form(title=agreement.title, signed_on="2025-06-17", valid_from="2025-06-17", valid_until="2025-12-31",
                          regions=["35.74", "35.14"], scopes=["promotion", "staples"])
    assert client.submit(page, data).status_code == 302
    assert "35.14" not in {r.code for r in partner_regions(today())}
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "agreement.update"))
    assert entry.changes["valid_until"] == ["2030-06-16", "2025-12-31"]
    # put it back as the seed has it, for the other tests
    client.submit(page, {**data, "valid_until": "2030-06-16"})


@pytest.mark.parametrize(("changes", "message"), [
    ({"scopes": []}, "Choose at least one scope."),
    ({"valid_until": "2025-01-01"}, "The end date is before the start date."),
    ({"regions": []}, "An agreement needs at least one party."),
    ({"businesses": ["999999"]}, "Choose cooperatives from the list."),
])
def test_agreement_form_errors_keep_input(client, admin, changes, message):
    html = client.submit("/admin/agreements/new?lang=en", agreement_form(**changes)).get_data(as_text=True)
    assert message in html and 'value="180/12/2026"' in html
    assert db.session.scalar(db.select(Agreement).where(Agreement.number == "180/12/2026")) is None


def test_categories_create_and_rename(client, admin):
    batik = db.session.scalar(db.select(Category).where(Category.slug == "batik"))
    client.submit("/admin/categories/new", {"name_id": "Batik ecoprint", "name_en": "Eco-print batik", "parent": str(batik.id)})
    new = db.session.scalar(db.select(Category).where(Category.slug == "batik-ecoprint"))
    assert new.parent_id == batik.id
    client.submit(f"/admin/categories/{new.id}", {"name_id": "Batik ecoprint alami", "name_en": "Natural eco-print batik",
                                                  "parent": str(batik.id)})
    db.session.refresh(new)
    assert new.name_id == "Batik ecoprint alami" and new.slug == "batik-ecoprint"
    html = client.submit(f"/admin/categories/{batik.id}?lang=en", {"name_id": "Batik", "name_en": "Batik",
                                                                   "parent": str(new.id)}).get_data(as_text=True)
    assert "A parent must be a top-level category" in html
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"category.create", "category.update"} <= actions
    db.session.delete(new)
    db.session.commit()


def test_staff_accounts_create_and_deactivate(app, client, admin, auth, outbox):
    html = client.submit("/admin/staff/new?lang=en", {"email": "mod@example.id", "name": "Mod", "role": "moderator",
                                                      "region": "", "locale": "id"}).get_data(as_text=True)
    assert "A moderator must be bound to a region." in html and 'value="mod@example.id"' in html
    client.submit("/admin/staff/new", {"email": "mod@example.id", "name": "Mod", "role": "moderator", "region": "35.05",
                                       "locale": "id"})
    moderator = db.session.scalar(db.select(User).where(User.email == "mod@example.id"))
    assert moderator.role is Role.MODERATOR and moderator.region_code == "35.05"
    link = re.search(r"http://localhost(/auth/invite/\S+)", outbox()[0].get_content()).group(1)  # the invitation
    mod_client = app.test_client()
    mod_client.submit(link, {"password": "rahasia uji moderator 2025", "confirm_password": "rahasia uji moderator 2025"})
    assert mod_client.get("/moderation/").status_code == 200
    client.submit(f"/admin/users/{moderator.id}/deactivate", page="/admin/")
    assert mod_client.get("/moderation/").status_code == 302
    entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.object_id == moderator.id,
                                                             AuditEntry.object_type == "user")).all()
    assert {e.action for e in entries} == {"user.create", "user.invite", "user.invitation_accept", "user.login",
                                           "user.deactivate"}
    person = {"user.login", "user.invitation_accept"}
    assert all(e.actor_email == ("mod@example.id" if e.action in person else "admin@example.id") for e in entries)


def test_cli_staff_creation_is_audited_too(runner):
    runner.invoke(args=["users", "create", "--email", "m2@example.id", "--password", "rahasia-uji-2025", "--role", "moderator",
                        "--region", "35.74"])
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "user.create"))
    assert entry.actor_email == "cli" and entry.region_code == "35.74"

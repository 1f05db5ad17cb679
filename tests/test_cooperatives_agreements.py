"""Agreement parties that are cooperatives are business records chosen from a list in /admin/; free-text parties kept
from before stay as notes, shown in admin, until an admin removes them; the seed's trade agreement names Kopi Siaga
and Koperasi Berkah Telur as records once they exist."""

import pytest

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import BusinessKind, CooperativeKind
from marketplace.cooperatives.services import link_named_parties
from marketplace.extensions import db
from marketplace.regions.models import Agreement
from marketplace.regions.queries import active_agreements_of, partner_regions
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work

TRADE = "trade-kopi-siaga-berkah-telur-2025"
AHU = "AHU-0000001.AH.01.26.TAHUN 2024"


@pytest.fixture
def admin(auth, make_user):
    user = make_user(role=Role.ADMIN, email="admin@example.id")
    auth.login(user.email)
    return user


@pytest.fixture
def coops(make_business, make_user):
    def coop(name, region):
        return make_business(owner=make_user(role=Role.OWNER, region=region), region=region, name=name,
                             kind=BusinessKind.COOPERATIVE, cooperative_kind=CooperativeKind.CONSUMER,
                             legal_entity_number=AHU)
    return coop("Kopi Siaga", "35.74"), coop("Koperasi Berkah Telur", "35.05")


def trade() -> Agreement:
    return db.session.scalar(db.select(Agreement).where(Agreement.key == TRADE))


def test_the_seed_names_the_two_cooperatives_as_records_once_they_exist(coops, client):
    kopi, telur = coops
    assert {p.institution for p in trade().note_parties} == {"Koperasi Kopi Siaga", "Koperasi Berkah Telur"}
    with unit_of_work():
        assert link_named_parties(None) == 2
    agreement = trade()
    assert {p.business_id for p in agreement.business_parties} == {kopi.id, telur.id}
    assert agreement.note_parties == []
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "agreement.update")).actor_email == "cli"
    # a business party makes no partner region, and the agreement shows on both cooperatives' region pages
    assert [r.code for r in partner_regions(today())] == ["35.05", "35.14", "35.74"]
    assert trade() in active_agreements_of("35.05", today())
    html = client.get("/regions/35.05").get_data(as_text=True)
    assert f'href="/businesses/{telur.slug}">Koperasi Berkah Telur</a>' in html and "Kopi Siaga" in html


def test_the_admin_chooses_cooperatives_from_a_list_and_keeps_or_removes_the_notes(client, admin, coops):
    kopi, telur = coops
    agreement = trade()
    page = f"/admin/agreements/{agreement.id}"
    html = client.get(page + "?lang=en").get_data(as_text=True)
    assert "Kopi Siaga — Kota Probolinggo (35.74)" in html and "Koperasi Berkah Telur | 35.05" in html
    notes = {p.institution: p.id for p in agreement.note_parties}
    data = {"title": agreement.title, "signed_on": "2025-06-17", "valid_from": "2025-06-17", "valid_until": "",
            "scopes": ["staples"], "regions": [], "businesses": [str(kopi.id), str(telur.id)],
            "drop_notes": [str(notes["Koperasi Kopi Siaga"])], "description": ""}
    assert client.submit(page, data).status_code == 302
    agreement = trade()
    assert {p.business_id for p in agreement.business_parties} == {kopi.id, telur.id}
    assert [p.institution for p in agreement.note_parties] == ["Koperasi Berkah Telur"]  # kept: nothing lost
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "agreement.update"))
    assert entry.changes["businesses"] == [[], sorted([kopi.id, telur.id])]
    index = client.get("/admin/?lang=en").get_data(as_text=True)
    assert "Kopi Siaga (Kota Probolinggo)" in index and "Note (not a record yet): Koperasi Berkah Telur" in index
    # a business that is not a cooperative is not on the list
    html = client.submit(page + "?lang=en", {**data, "businesses": ["999999"]}).get_data(as_text=True)
    assert "Choose cooperatives from the list." in html


def test_a_party_keeps_its_place_when_the_admin_saves_again(client, admin, coops):
    kopi, _telur = coops
    with unit_of_work():
        link_named_parties(None)
    agreement = trade()
    # the business stopped being a cooperative meanwhile: it stays on the list of this agreement, so saving keeps it
    with unit_of_work():
        db.session.get(type(kopi), kopi.id).kind = BusinessKind.ENTERPRISE
    html = client.get(f"/admin/agreements/{agreement.id}").get_data(as_text=True)
    assert "Kopi Siaga — Kota Probolinggo (35.74)" in html and html.count('checked id="businesses-') == 2

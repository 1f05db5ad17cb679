"""A cooperative's staples post may name its member producer (a form choice among its active members, like the
product form's), shown on /staples only as far as the member's consent allows; a member of another cooperative, or a
withdrawn one, is refused."""

import pytest

from marketplace.accounts.models import Role
from marketplace.businesses.models import BusinessKind, CooperativeKind
from marketplace.cooperatives import services as cooperatives
from marketplace.cooperatives.models import ConsentMethod, ConsentScope
from marketplace.cooperatives.services import NotAMember
from marketplace.extensions import db
from marketplace.staples import posts
from marketplace.staples.models import PostKind, StaplesPost
from marketplace.unit_of_work import unit_of_work
from tests.staples_helpers import content
from tests.test_staples_forms import _form


def _coop(make_business, owner, name, number):
    return make_business(owner=owner, region="35.74", name=name, kind=BusinessKind.COOPERATIVE,
                         cooperative_kind=CooperativeKind.PRODUCER, legal_entity_number=f"AHU-000000{number}.AH.01.26.TAHUN 2024")


def _member(coop, name, scope):
    with unit_of_work():
        return cooperatives.add_member(coop.owner, db.session.merge(coop), name=name, desa="Kelurahan Jrebeng Kidul",
                                       kecamatan="Wonoasih", consent_scope=scope,
                                       consent_method=ConsentMethod.MEMBER_CONFIRMATION, consent_note="Rapat.")


@pytest.fixture
def coops(make_user, make_business):
    owner = make_user(role=Role.OWNER, region="35.74", email="pengurus@example.id")
    tani, ternak = _coop(make_business, owner, "Koperasi Tani Makmur", 3), _coop(make_business, owner, "Koperasi Ternak", 4)
    return {"owner": owner, "tani": tani, "ternak": ternak,
            "named": _member(tani, "Pak Slamet Terbuka", ConsentScope.NAME_AND_DESA),
            "hidden": _member(tani, "Bu Siti Rahasia", ConsentScope.DESA_ONLY),
            "other": _member(ternak, "Pak Darmo Ternak", ConsentScope.NAME_AND_DESA)}


def _approve(make_user):
    moderator = make_user(role=Role.MODERATOR, region="35.74")
    with unit_of_work():
        for post in db.session.scalars(db.select(StaplesPost)):
            posts.review_post(moderator, post, "approve")


def test_a_post_names_a_member_and_the_board_shows_them_as_consented(client, auth, coops, make_user):
    auth.login(coops["owner"].email)
    page = client.get("/my/staples/new").get_data(as_text=True)
    assert 'name="member"' in page and "Pak Slamet Terbuka" in page and "Pak Darmo Ternak" in page
    tani = str(coops["tani"].id)
    assert client.submit("/my/staples/new", _form(business=tani, member=str(coops["named"].id))).status_code == 302
    assert client.submit("/my/staples/new", _form(business=tani, member=str(coops["hidden"].id), quantity="7")).status_code == 302
    assert {p.member_id for p in db.session.scalars(db.select(StaplesPost))} == {coops["named"].id, coops["hidden"].id}
    _approve(make_user)
    board = client.get("/staples?lang=en").get_data(as_text=True)
    assert "produced by Pak Slamet Terbuka" in board
    assert "Bu Siti Rahasia" not in board and "produced by a member producer in Kelurahan Jrebeng Kidul" in board
    with unit_of_work():
        cooperatives.withdraw_member(coops["owner"], db.session.merge(coops["named"]))
    assert "Pak Slamet Terbuka" not in client.get("/staples?lang=en").get_data(as_text=True)  # the board is not stale


def test_a_member_of_another_cooperative_is_refused_and_nothing_typed_is_lost(client, auth, coops):
    auth.login(coops["owner"].email)
    response = client.submit("/my/staples/new", _form(business=str(coops["tani"].id), member=str(coops["other"].id)))
    html = response.get_data(as_text=True)
    assert 'id="member-error"' in html and "Jagung pakan dari petani anggota Kopi Siaga" in html
    assert db.session.scalar(db.select(db.func.count(StaplesPost.id))) == 0


def test_the_service_refuses_a_member_not_of_the_business(coops):
    with pytest.raises(NotAMember), unit_of_work():
        posts.create_post(db.session.merge(coops["tani"]), PostKind.OFFER, content(), member_id=coops["other"].id)
    with unit_of_work():
        cooperatives.withdraw_member(coops["owner"], db.session.merge(coops["hidden"]))
    with pytest.raises(NotAMember), unit_of_work():
        posts.create_post(db.session.merge(coops["tani"]), PostKind.OFFER, content(), member_id=coops["hidden"].id)

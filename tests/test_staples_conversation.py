"""The conversation of a staples match: either side opens it from the match page with a first message (the other side
is notified), the second message reuses it, and only the two owners read it: a third business, staff and the
moderators of both regions get a 404 (the thread is the two sides' own, like an inquiry's)."""

import pytest

from marketplace.accounts.models import Role
from marketplace.conversations.models import Conversation
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.staples.models import MatchConversation, PostKind
from tests.staples_helpers import published


@pytest.fixture
def pair(make_user, make_business):
    users = {
        "seller": make_user(role=Role.OWNER, region="35.74", email="kopi.siaga@example.id"),
        "buyer": make_user(role=Role.OWNER, region="35.05", email="berkah.telur@example.id"),
        "stranger": make_user(role=Role.OWNER, region="35.74", email="lain@example.id"),
        "mod_seller": make_user(role=Role.MODERATOR, region="35.74", email="mod.kota@example.id"),
        "mod_buyer": make_user(role=Role.MODERATOR, region="35.05", email="mod.blitar@example.id"),
        "admin": make_user(role=Role.ADMIN, email="admin@example.id"),
        "buyer_person": make_user(role=Role.BUYER, email="pembeli@example.id"),
    }
    seller = make_business(owner=users["seller"], region="35.74", name="Kopi Siaga")
    buyer = make_business(owner=users["buyer"], region="35.05", name="Koperasi Berkah Telur")
    make_business(owner=users["stranger"], region="35.74", name="Usaha Lain")
    offer = published(make_user, seller, PostKind.OFFER, quantity=20, unit="ton")
    need = published(make_user, buyer, PostKind.NEED, quantity=10)
    base = f"/my/staples/matches/{offer.id}/{need.id}"
    return {"users": users, "offer": offer, "need": need, "match": base, "thread": f"{base}/conversation",
            "send": f"{base}/messages"}


def _notifications(user) -> list[Notification]:
    return list(db.session.scalars(db.select(Notification).where(Notification.user_id == user.id,
                                                                 Notification.kind == "conversation.message")))


def test_either_side_opens_it_and_the_other_is_notified(client, auth, pair):
    users = pair["users"]
    auth.login(users["buyer"].email)
    assert client.get(pair["thread"]).status_code == 404  # not opened yet
    page = client.get(pair["match"]).get_data(as_text=True)
    assert 'id="match-conversation"' in page and pair["send"] in page
    response = client.submit(pair["send"], {"body": "Bisa kirim 5 ton ke Blitar minggu depan?"}, page=pair["match"])
    assert response.status_code == 302 and pair["thread"] in response.headers["Location"]
    found = db.session.scalar(db.select(MatchConversation))
    assert {p.user_id for p in found.conversation.parties} == {users["seller"].id, users["buyer"].id}
    assert [n.link for n in _notifications(users["seller"])] == [pair["thread"]]
    assert "Bisa kirim 5 ton" in client.get(pair["thread"]).get_data(as_text=True)
    auth.logout()
    auth.login(users["seller"].email)
    assert pair["thread"] in client.get(pair["match"]).get_data(as_text=True)
    assert client.submit(pair["send"], {"body": "Bisa, franco Blitar."}, page=pair["thread"]).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Conversation)) == 1  # reused, not a second one
    assert len(_notifications(users["buyer"])) == 1
    html = client.get(pair["thread"]).get_data(as_text=True)
    assert "Bisa kirim 5 ton" in html and "Bisa, franco Blitar." in html


def test_an_empty_message_is_refused_beside_the_field(client, auth, pair):
    auth.login(pair["users"]["seller"].email)
    response = client.submit(pair["send"], {"body": "  "}, page=pair["match"])
    assert response.status_code == 422 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(MatchConversation)) == 0


# who -> (thread GET, send POST) once the buyer has opened the conversation; 302: the login page
EXPECTED = {
    None: (302, 302), "seller": (200, 302), "buyer": (200, 302), "stranger": (404, 404),
    "mod_seller": (403, 403), "mod_buyer": (403, 403), "admin": (403, 403), "buyer_person": (403, 403),
}


@pytest.mark.parametrize("who", list(EXPECTED), ids=lambda who: who or "visitor")
def test_only_the_two_sides_read_and_write(client, auth, pair, who):
    auth.login(pair["users"]["buyer"].email)
    client.submit(pair["send"], {"body": "Halo"}, page=pair["match"])
    auth.logout()
    if who is not None:
        auth.login(pair["users"][who].email)
    thread, send = EXPECTED[who]
    response = client.get(pair["thread"])
    assert response.status_code == thread
    if thread == 302:
        assert "/auth/login" in response.headers["Location"]
    token_page = "/auth/login" if who is None else "/"
    assert client.submit(pair["send"], {"body": "Saya ikut"}, page=token_page).status_code == send


def test_a_third_business_cannot_open_a_conversation_on_a_match_not_its_own(client, auth, pair):
    auth.login(pair["users"]["stranger"].email)
    assert client.submit(pair["send"], {"body": "Saya juga punya jagung"}, page="/my/staples").status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(MatchConversation)) == 0

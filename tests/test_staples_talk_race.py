"""Both sides of a match send their first message at the same moment: each finds no conversation yet, both open one,
and the second reuses the first's thread instead of failing on the (offer, need) key. Each side runs in its own
connection and transaction; on PostgreSQL the second INSERT waits for the first to commit, then inserts nothing."""

import threading

from marketplace.accounts.models import Role, User
from marketplace.conversations.models import Conversation, Message
from marketplace.extensions import db
from marketplace.staples import talk
from marketplace.staples.models import MatchConversation, PostKind, StaplesPost
from marketplace.unit_of_work import unit_of_work
from tests.staples_helpers import published


def test_two_first_messages_at_once_share_one_thread(app, make_user, make_business, monkeypatch):
    seller = make_business(owner=make_user(role=Role.OWNER, region="35.74"), region="35.74", name="Kopi Siaga")
    buyer = make_business(owner=make_user(role=Role.OWNER, region="35.05"), region="35.05", name="Koperasi Berkah Telur")
    offer_id = published(make_user, seller, PostKind.OFFER, quantity=20).id
    need_id = published(make_user, buyer, PostKind.NEED, quantity=10).id
    sides = {"seller": seller.owner_id, "buyer": buyer.owner_id}
    db.session.commit()

    barrier, outcomes, local = threading.Barrier(2), [], threading.local()
    real = talk.match_conversation

    def first_read_then_wait(offer, need):
        found = real(offer, need)
        if not getattr(local, "waited", False):  # both have seen "no conversation yet" before either opens one
            local.waited = True
            barrier.wait(timeout=10)
        return found

    monkeypatch.setattr(talk, "match_conversation", first_read_then_wait)

    def send(side):
        with app.app_context():
            try:
                with unit_of_work():
                    user = db.session.get(User, sides[side])
                    offer, need = db.session.get(StaplesPost, offer_id), db.session.get(StaplesPost, need_id)
                    talk.send(user, offer, need, f"Halo dari {side}", link=f"/my/staples/matches/{offer_id}/{need_id}",
                              inbox_url="http://localhost/notifications")
                outcomes.append(side)
            except Exception as error:  # the test reports what failed
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send, args=(side,)) for side in sides]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.session.expire_all()
    assert sorted(outcomes) == ["buyer", "seller"]
    assert db.session.scalar(db.select(db.func.count()).select_from(MatchConversation)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Conversation)) == 1  # the loser's was dropped
    found = db.session.scalar(db.select(MatchConversation))
    bodies = sorted(m.body for m in db.session.scalars(db.select(Message).where(
        Message.conversation_id == found.conversation_id)))
    assert bodies == ["Halo dari buyer", "Halo dari seller"]

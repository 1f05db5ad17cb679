"""Unread match threads count in the header (the owner's "My staple goods" link and the menu's dot) and show on
/my/staples beside the match and in the list of conversations, until the thread is read."""

import re

from marketplace.accounts.models import Role
from marketplace.staples.models import PostKind
from tests.staples_helpers import published
from tests.test_talk_threads import login

LINK = re.compile(r'<a href="/my/staples">[^<]*(?:<span class="count" aria-hidden="true">(\d+)</span>)?')


def _header_count(client, path="/my/staples") -> int:
    found = LINK.search(client.get(path).get_data(as_text=True))
    assert found, "no link to /my/staples in the header"
    return int(found.group(1) or 0)


def test_an_unread_match_message_counts_in_the_header_until_read(app, make_user, make_business):
    seller = make_business(owner=make_user(role=Role.OWNER, region="35.74"), region="35.74", name="Kopi Siaga")
    buyer = make_business(owner=make_user(role=Role.OWNER, region="35.05"), region="35.05", name="Koperasi Berkah Telur")
    offer = published(make_user, seller, PostKind.OFFER, quantity=20)
    need = published(make_user, buyer, PostKind.NEED, quantity=10)
    base = f"/my/staples/matches/{offer.id}/{need.id}"
    as_buyer, as_seller = login(app, buyer.owner.email), login(app, seller.owner.email)
    assert _header_count(as_seller) == 0
    assert as_buyer.submit(f"{base}/messages", {"body": "Bisa kirim 5 ton?"}, page=base).status_code == 302
    assert _header_count(as_buyer) == 0  # one's own message is read
    assert _header_count(as_seller, "/") == 1
    page = as_seller.get("/my/staples").get_data(as_text=True).split('<main', 1)[1]
    assert page.count("1 belum dibaca") == 2  # beside the match and in the conversations (Indonesian by default)
    as_seller.get(f"{base}/conversation")
    assert _header_count(as_seller) == 0
    assert "belum dibaca" not in as_seller.get("/my/staples").get_data(as_text=True).split('<main', 1)[1]

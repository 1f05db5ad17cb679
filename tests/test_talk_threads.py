"""Inquiries as threads between buyer and owner: /my/inquiries for buyers, replies inside the site with notifications,
mail in the recipient's language and unread counts per side; closing keeps the thread readable; anyone else gets 404."""

import re

import pytest
from sqlalchemy import event

from marketplace.accounts.models import Role
from marketplace.conversations.models import Message
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryStatus
from marketplace.notifications.models import Notification
from tests.conftest import PASSWORD

FORM = {"name": "Budi Santoso", "contact": "0813-3444-5566", "quantity": "20", "region": "35.05",
        "message": "Apakah bisa kirim ke Blitar?"}


@pytest.fixture
def product(make_business, make_product):
    business = make_business(region="35.74", name="Batik Manggur Kota", whatsapp="6281234567801")
    return make_product(business=business, status="published", name="Batik Tulis Manggur")


@pytest.fixture
def buyer(make_user):
    return make_user(role=Role.BUYER, region="35.05", email="budi@example.id", name="Budi Santoso", locale="en")


def login(app, email):
    client = app.test_client()
    client.submit("/auth/login", {"email": email, "password": PASSWORD})
    return client


def send(client, product, **changes):
    page = f"/products/{product.id}-{product.slug}"
    return client.submit(f"/products/{product.id}/inquiry", {**FORM, **changes}, page=page)


def thread(inquiry, path=""):
    return f"/my/inquiries/{inquiry.id}{path}"


def say(client, inquiry, body):
    return client.submit(thread(inquiry, "/messages"), {"body": body}, page=thread(inquiry))


def unread_in_header(html: str) -> int:
    match = re.search(r'href="/my/inquiries">[^<]*<span class="count" aria-hidden="true">(\d+)</span>', html)
    return int(match.group(1)) if match else 0


def kinds(user):
    return [n.kind for n in db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)
                                                .order_by(Notification.id))]


def test_buyer_and_owner_talk_in_the_thread(app, product, buyer, outbox):
    owner = product.business.owner
    as_buyer, as_owner = login(app, buyer.email), login(app, owner.email)
    send(as_buyer, product)
    inquiry = db.session.scalar(db.select(Inquiry))
    assert inquiry.buyer_id == buyer.id
    # the note is the thread's first message, by the buyer; the owner has it unread
    assert [m.body for m in inquiry.conversation.messages] == ["Apakah bisa kirim ke Blitar?"]
    assert unread_in_header(as_owner.get("/my/inquiries").get_data(as_text=True)) == 1
    assert unread_in_header(as_buyer.get("/my/inquiries").get_data(as_text=True)) == 0

    html = as_owner.get(thread(inquiry)).get_data(as_text=True)
    assert "Apakah bisa kirim ke Blitar?" in html and "https://wa.me/6281334445566" in html
    assert unread_in_header(as_owner.get("/").get_data(as_text=True)) == 0
    assert say(as_owner, inquiry, "Bisa, ongkir Rp 20.000.").status_code == 302
    db.session.refresh(inquiry)
    assert inquiry.status is InquiryStatus.REPLIED
    assert kinds(buyer) == ["conversation.message"]
    mail = outbox()[-1]
    assert mail["To"] == buyer.email and "a new message" in mail["Subject"]  # the buyer's language: English
    assert "Batik Tulis Manggur" in mail.get_content() and "Bisa, ongkir" in mail.get_content()

    # the buyer sees it in /my/inquiries with an unread count, in the header and in the list
    listing = as_buyer.get("/my/inquiries?lang=en").get_data(as_text=True)
    assert unread_in_header(listing) == 1 and "Batik Tulis Manggur" in listing and "1 unread" in listing
    page = as_buyer.get(thread(inquiry)).get_data(as_text=True)
    assert "Bisa, ongkir Rp 20.000." in page and "wa.me/6281234567801" in page  # WhatsApp stays offered
    assert unread_in_header(as_buyer.get("/my/inquiries").get_data(as_text=True)) == 0
    assert say(as_buyer, inquiry, "Baik, saya pesan 20 lembar.").status_code == 302
    assert kinds(owner) == ["inquiry.new", "conversation.message"]
    assert unread_in_header(as_owner.get("/my/inquiries").get_data(as_text=True)) == 1
    assert [m.body for m in db.session.scalars(db.select(Message).order_by(Message.id))] == [
        "Apakah bisa kirim ke Blitar?", "Bisa, ongkir Rp 20.000.", "Baik, saya pesan 20 lembar."]


def test_closing_keeps_the_thread_readable_and_refuses_new_messages(app, product, buyer):
    as_buyer, as_owner = login(app, buyer.email), login(app, product.business.owner.email)
    send(as_buyer, product)
    inquiry = db.session.scalar(db.select(Inquiry))
    say(as_owner, inquiry, "Stok habis, maaf.")
    as_owner.submit(thread(inquiry), {"status": "closed"})
    db.session.refresh(inquiry)
    assert inquiry.status is InquiryStatus.CLOSED and inquiry.conversation.closed
    page = as_buyer.get(thread(inquiry) + "?lang=en").get_data(as_text=True)
    assert "Stok habis, maaf." in page and "This inquiry is closed" in page
    token = as_buyer.csrf_token("/my/inquiries")
    refused = as_buyer.post(thread(inquiry, "/messages?lang=en"), data={"body": "Kapan ada lagi?", "csrf_token": token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "conversation is closed" in html and "Kapan ada lagi?" in html
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 2
    as_owner.submit(thread(inquiry), {"status": "replied"})  # the owner opens it again
    assert say(as_buyer, inquiry, "Kapan ada lagi?").status_code == 302


def test_an_empty_message_is_refused_in_the_users_language(app, product, buyer):
    as_buyer = login(app, buyer.email)
    send(as_buyer, product)
    inquiry = db.session.scalar(db.select(Inquiry))
    response = as_buyer.submit(thread(inquiry, "/messages?lang=id"), {"body": "   "}, page=thread(inquiry))
    assert response.status_code == 422 and "Tulis pesan Anda." in response.get_data(as_text=True)


def test_a_visitors_inquiry_is_answered_by_whatsapp_or_email(app, client, product):
    send(client, product)
    inquiry = db.session.scalar(db.select(Inquiry))
    as_owner = login(app, product.business.owner.email)
    page = as_owner.get(thread(inquiry) + "?lang=en").get_data(as_text=True)
    assert "no account on Etalase UMKM" in page and 'name="body"' not in page and "wa.me/6281334445566" in page
    token = as_owner.csrf_token(thread(inquiry))
    refused = as_owner.post(thread(inquiry, "/messages"), data={"body": "Halo", "csrf_token": token})
    assert refused.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 1


def test_an_owner_who_buys_finds_the_inquiries_sent_beside_the_inbox(app, product, make_user, make_business):
    other = make_user(role=Role.OWNER, region="35.05", email="pemilik.lain@example.id")
    make_business(owner=other, region="35.05", name="Telur Berkah")
    as_other = login(app, other.email)
    send(as_other, product)
    inbox = as_other.get("/my/inquiries?lang=en").get_data(as_text=True)
    assert "No inquiries yet." in inbox and 'href="/my/inquiries/sent"' in inbox
    assert "Batik Tulis Manggur" in as_other.get("/my/inquiries/sent").get_data(as_text=True)


# --- who may see what: every new route, every role -----------------------------------------------

@pytest.fixture
def people(make_user, make_business, buyer, product):
    other_owner = make_user(role=Role.OWNER, region="35.74", email="pemilik.lain@example.id")
    make_business(owner=other_owner, name="Usaha Lain")
    return {
        "buyer": buyer.email, "owner": product.business.owner.email, "other_owner": other_owner.email,
        "other_buyer": make_user(role=Role.BUYER, email="pembeli.lain@example.id").email,
        "moderator": make_user(role=Role.MODERATOR, region="35.74", email="mod@example.id").email,
        "admin": make_user(role=Role.ADMIN, email="admin@example.id").email,
    }


def as_role(app, people, role):
    return app.test_client() if role == "visitor" else login(app, people[role])


LISTS = {"visitor": "login", "buyer": 200, "owner": 200, "other_owner": 200, "other_buyer": 200, "moderator": 403,
         "admin": 403}
THREAD = {"visitor": "login", "buyer": 200, "owner": 200, "other_owner": 404, "other_buyer": 404, "moderator": 404,
          "admin": 404}


def expect(response, expected):
    if expected == "login":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", list(LISTS))
@pytest.mark.parametrize("path", ["/my/inquiries", "/my/inquiries/sent"])
def test_who_sees_the_inquiry_lists(app, people, role, path):
    expect(as_role(app, people, role).get(path), LISTS[role])


@pytest.mark.parametrize("role", list(THREAD))
def test_only_the_buyer_and_the_owner_see_or_write_in_a_thread(app, people, product, role):
    send(login(app, people["buyer"]), product)
    inquiry = db.session.scalar(db.select(Inquiry))
    client = as_role(app, people, role)
    expect(client.get(thread(inquiry)), THREAD[role])
    token = client.csrf_token(f"/products/{product.id}-{product.slug}")
    posted = client.post(thread(inquiry, "/messages"), data={"body": "Halo", "csrf_token": token})
    expect(posted, 302 if THREAD[role] == 200 else THREAD[role])
    status = client.post(thread(inquiry), data={"status": "closed", "csrf_token": token})
    expect(status, {"buyer": 403, "owner": 302}.get(role, THREAD[role]))  # the buyer reads but keeps no books
    assert db.session.scalar(db.select(db.func.count(Message.id))) == (2 if THREAD[role] == 200 else 1)


# --- constant query counts -----------------------------------------------------------------------

def count_queries(client, path) -> int:
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_the_inquiry_lists_query_count_does_not_grow_with_the_inquiries(app, buyer, make_business, make_product):
    from marketplace.inquiries.services import send_inquiry
    from marketplace.unit_of_work import unit_of_work
    from tests.conftest import INQUIRY_LINKS

    business = make_business()
    products = [make_product(business=business, status="published", name=f"Batik {i}") for i in range(8)]

    def inquire(items):
        with unit_of_work():
            for product in items:
                send_inquiry(product, buyer=buyer, name="Budi", contact="6281334445566", quantity=2, message="Ada?",
                             buyer_region_code="35.05", **INQUIRY_LINKS)

    as_buyer, as_owner = login(app, buyer.email), login(app, business.owner.email)
    inquire(products[:2])
    few = count_queries(as_buyer, "/my/inquiries"), count_queries(as_owner, "/my/inquiries")
    inquire(products[2:])
    assert (count_queries(as_buyer, "/my/inquiries"), count_queries(as_owner, "/my/inquiries")) == few

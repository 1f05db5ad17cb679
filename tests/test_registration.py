"""Registration: validation messages in both languages, typed values kept, unique emails, and the same answer to
every sign-up (the emailed link creates the account; an address with an account gets a mail instead)."""

import re

import pytest

from marketplace.accounts import services
from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.unit_of_work import unit_of_work

GOOD = {
    "role": "owner", "name": "Siti Aminah", "email": "siti@example.id", "phone": "0812-3456-7890",
    "region": "35.74", "password": "batik-tulis-1", "confirm_password": "batik-tulis-1",
}

# (field changes, message in Indonesian, message in English)
BAD_INPUT = [
    ({"email": "siti-at-example"}, "Masukkan alamat email yang valid", "Enter a valid email address"),
    ({"password": "pendek", "confirm_password": "pendek"}, "Kata sandi minimal 10 karakter", "at least 10 characters"),
    ({"password": "password1234", "confirm_password": "password1234"}, "daftar kata sandi umum dan yang pernah bocor",
     "on a list of common and leaked passwords"),
    ({"password": "aaaaaaaaaaaa", "confirm_password": "aaaaaaaaaaaa"}, "terlalu mudah ditebak", "too easy to guess"),
    ({"confirm_password": "lain-sekali-9"}, "Kata sandi tidak cocok", "The passwords do not match"),
    ({"region": "35.99"}, "Pilih daerah dari daftar", "Choose a region from the list"),
    ({"phone": "12ab"}, "Masukkan nomor telepon Indonesia", "Enter an Indonesian phone number"),
]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("changes", "msg_id", "msg_en"), BAD_INPUT)
def test_bad_input_gets_localized_message_and_keeps_values(client, changes, msg_id, msg_en, lang):
    data = {**GOOD, **changes}
    response = client.submit(f"/auth/register?lang={lang}", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (msg_id if lang == "id" else msg_en) in html
    assert 'value="Siti Aminah"' in html
    assert f'value="{data["email"]}"' in html
    assert f'value="{data["phone"]}"' in html
    assert re.search(r'<input[^>]*checked[^>]*value="owner"', html)
    assert re.search(r'<option selected value="35.74">|<option value="35.74" selected', html) or data["region"] != "35.74"
    assert data["password"] not in html  # passwords are never echoed back
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_region_choice_is_kept_after_an_error(client):
    html = client.submit("/auth/register", {**GOOD, "email": "bad"}).get_data(as_text=True)
    assert 'selected value="35.74"' in html or 'value="35.74" selected' in html


def activation_link(outbox) -> str:
    (message,) = outbox()
    return re.search(r"http://localhost(/auth/register/\S+)", message.get_content()).group(1)


def test_successful_registration_mails_a_link_that_creates_the_owner_and_logs_in(client, outbox):
    response = client.submit("/auth/register", GOOD)
    assert response.status_code == 302 and response.headers["Location"] == "/auth/register/sent"
    assert "Periksa email Anda" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0  # nothing until the address is confirmed
    assert client.get("/my/").status_code == 302
    link = activation_link(outbox)
    assert "siti@example.id" in client.get(link).get_data(as_text=True)  # one button: a link scanner creates nothing
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    response = client.submit(link, follow_redirects=True)
    assert response.status_code == 200 and "Siti Aminah" in response.get_data(as_text=True)
    user = db.session.scalar(db.select(User))
    assert (user.email, user.role, user.region_code, user.phone) == ("siti@example.id", Role.OWNER, "35.74", "6281234567890")
    assert user.password_hash.startswith("$argon2id$")
    assert client.get("/my/").status_code == 200
    client.submit("/auth/logout", page="/")
    assert client.submit("/auth/login", {"email": "siti@example.id", "password": GOOD["password"]}).status_code == 302


def test_an_activation_link_works_once(client, outbox):
    client.submit("/auth/register", GOOD)
    link = activation_link(outbox)
    client.submit(link)
    client.submit("/auth/logout", page="/")
    response = client.submit(f"{link}?lang=en", follow_redirects=True)
    assert "This address already has an account." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    assert client.get("/my/").status_code == 302


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_tampered_or_expired_activation_link_is_refused(app, client, outbox, monkeypatch, lang):
    client.submit("/auth/register", GOOD)
    link = activation_link(outbox)
    message = {"id": "Tautan aktivasi ini tidak sah", "en": "This activation link is invalid or has expired."}[lang]
    response = client.get(f"{link[:-4]}AAAA?lang={lang}", follow_redirects=True)
    assert message in response.get_data(as_text=True)
    monkeypatch.setitem(app.config, "SIGNUP_CONFIRM_MAX_AGE", -1)
    response = client.get(f"{link}?lang={lang}")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/register"
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


@pytest.mark.parametrize("email", ["SITI@example.id", "Siti@Example.ID", " siti@example.id "])
def test_an_address_with_an_account_gets_the_same_answer_and_its_owner_a_mail(client, make_user, outbox, email):
    """No account enumeration (finding 9): the visitor sees what a new address would see; the owner is told."""
    make_user(email="siti@example.id", name="Siti Lama")
    response = client.submit("/auth/register", {**GOOD, "email": email})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/register/sent"
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    assert client.get("/my/").status_code == 302  # nobody is logged in
    (message,) = outbox()
    body = message.get_content()
    assert message["To"] == "siti@example.id" and "/auth/register/" not in body
    assert "http://localhost/auth/login" in body and "http://localhost/auth/reset" in body
    assert "Siti Lama" in body


def test_the_owners_mail_is_in_the_owners_language(client, make_user, outbox):
    make_user(email="siti@example.id", locale="en")
    client.submit("/auth/register", {**GOOD, "email": "SITI@EXAMPLE.ID"})  # the visitor reads Indonesian
    (message,) = outbox()
    assert message["Subject"] == "Someone tried to register with your address at Etalase UMKM"


def test_only_buyer_or_owner_can_be_chosen(client):
    client.submit("/auth/register", {**GOOD, "role": "admin"})
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_a_concurrent_sign_up_with_the_same_email_is_refused_and_undoes_the_request(app, make_user, monkeypatch):
    make_user(email="siti@example.id")  # the other sign-up, committed between our check and our insert
    real = services.find_user_by_email
    checks = []

    def misses_it_the_first_time(email):
        checks.append(email)
        return None if len(checks) == 1 else real(email)

    with pytest.raises(services.EmailTaken), unit_of_work():
        make_user(email="budi@example.id")  # the refusal undoes the whole request, this too
        monkeypatch.setattr(services, "find_user_by_email", misses_it_the_first_time)
        services.create_user(email="SITI@example.id", password="batik-tulis-1", name="Siti", role=Role.OWNER)
    db.session.remove()
    assert sorted(db.session.scalars(db.select(User.email))) == ["siti@example.id"]

"""Registration: validation messages in both languages, typed values kept, unique emails."""

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
    ({"password": "pendek", "confirm_password": "pendek"}, "Kata sandi minimal 8 karakter", "at least 8 characters"),
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


def test_successful_registration_creates_owner_and_logs_in(client):
    response = client.submit("/auth/register", GOOD, follow_redirects=True)
    assert response.status_code == 200
    assert "Siti Aminah" in response.get_data(as_text=True)
    user = db.session.scalar(db.select(User))
    assert (user.email, user.role, user.region_code, user.phone) == ("siti@example.id", Role.OWNER, "35.74", "6281234567890")
    assert user.password_hash.startswith("$argon2id$")
    assert client.get("/my/").status_code == 200


@pytest.mark.parametrize("email", ["SITI@example.id", "Siti@Example.ID", " siti@example.id "])
def test_duplicate_email_refused_whatever_its_case(client, make_user, email):
    make_user(email="siti@example.id")
    html = client.submit("/auth/register", {**GOOD, "email": email}).get_data(as_text=True)
    assert "Akun dengan email ini sudah terdaftar" in html
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_duplicate_email_message_in_english(client, make_user):
    make_user(email="siti@example.id")
    html = client.submit("/auth/register?lang=en", {**GOOD, "email": "SITI@EXAMPLE.ID"}).get_data(as_text=True)
    assert "An account with this email already exists." in html


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

"""Password reset: a signed, expiring, single-use token bound to the current password."""

import re
import time

import itsdangerous.timed

from marketplace.accounts import services
from marketplace.extensions import db
from tests.conftest import PASSWORD


def _link_from(outbox) -> str:
    (message,) = outbox()
    return re.search(r"http://localhost(/auth/reset/\S+)", message.get_content()).group(1)


def test_reset_flow_works_once(client, auth, make_user, outbox):
    user = make_user(email="budi@example.id")
    response = client.submit("/auth/reset", {"email": "Budi@Example.id"})
    assert response.status_code == 302
    link = _link_from(outbox)
    assert client.get(link).status_code == 200
    assert client.submit(link, {"password": "baru-sekali-9", "confirm_password": "baru-sekali-9"}).status_code == 302
    db.session.refresh(user)
    assert services.verify_password(user, "baru-sekali-9")
    # the second use: the password changed, so the token no longer matches
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"] == "/auth/reset"
    assert auth.login("budi@example.id", "baru-sekali-9").status_code == 302


def test_reset_mail_is_in_the_users_language(client, make_user, outbox):
    make_user(email="budi@example.id", locale="en")
    client.submit("/auth/reset", {"email": "budi@example.id"})
    (message,) = outbox()
    assert message["Subject"] == "Reset your Etalase UMKM password"
    make_user(email="siti@example.id", locale="id")
    client.submit("/auth/reset", {"email": "siti@example.id"})
    assert any("kata sandi" in m["Subject"].lower() for m in outbox())


def test_unknown_email_gets_the_same_answer_and_no_mail(client, outbox):
    response = client.submit("/auth/reset", {"email": "siapa@example.id"}, follow_redirects=True)
    assert "Jika ada akun dengan alamat tersebut" in response.get_data(as_text=True)
    assert outbox() == []


def test_expired_token_is_refused(app, client, make_user, monkeypatch):
    user = make_user(email="budi@example.id")
    real_time = time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() - app.config["PASSWORD_RESET_MAX_AGE"] - 5)
    token = services.make_reset_token(user)
    monkeypatch.setattr(itsdangerous.timed.time, "time", real_time)
    response = client.get(f"/auth/reset/{token}")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/reset"


def test_token_is_bound_to_the_current_password(app, client, make_user):
    user = make_user(email="budi@example.id")
    token = services.make_reset_token(user)
    services.set_password(user, "diganti-lewat-profil-1")
    assert client.get(f"/auth/reset/{token}").status_code == 302


def test_tampered_token_is_refused(app, client, make_user):
    user = make_user(email="budi@example.id")
    token = services.make_reset_token(user)
    assert client.get(f"/auth/reset/{token[:-2]}xx").status_code == 302


def test_reset_form_errors_keep_the_user_on_the_form(app, client, make_user):
    user = make_user(email="budi@example.id")
    token = services.make_reset_token(user)
    html = client.submit(f"/auth/reset/{token}?lang=en", {"password": "short", "confirm_password": "short"}).get_data(as_text=True)
    assert "at least 10 characters" in html
    db.session.refresh(user)
    assert services.verify_password(user, PASSWORD)

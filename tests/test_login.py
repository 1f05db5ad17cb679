"""Login, logout, rate limiting and server-side sessions."""

import pytest

from marketplace.accounts import services
from marketplace.accounts.models import Role, UserSession
from marketplace.extensions import db
from tests.conftest import PASSWORD


def test_login_and_land_on_own_area(client, auth, make_user):
    make_user(email="budi@example.id")
    response = auth.login("BUDI@example.id")
    assert response.status_code == 302 and response.headers["Location"] == "/my/"
    assert client.get("/my/").status_code == 200


@pytest.mark.parametrize(("role", "home"), [(Role.ADMIN, "/admin/"), (Role.MODERATOR, "/moderation/"), (Role.OWNER, "/my/")])
def test_each_role_lands_on_its_home(auth, make_user, role, home):
    user = make_user(role=role)
    assert auth.login(user.email).headers["Location"] == home


@pytest.mark.parametrize(("lang", "message"), [("id", "Email atau kata sandi salah."), ("en", "Wrong email or password.")])
def test_wrong_password_and_unknown_email_get_the_same_message(client, make_user, lang, message):
    make_user(email="budi@example.id")
    wrong_password = client.submit(f"/auth/login?lang={lang}", {"email": "budi@example.id", "password": "salah-sekali"})
    unknown_email = client.submit(f"/auth/login?lang={lang}", {"email": "siapa@example.id", "password": PASSWORD})
    for response in (wrong_password, unknown_email):
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and message in html
        assert 'value="budi@example.id"' in html or 'value="siapa@example.id"' in html
    assert client.get("/my/").status_code == 302


def test_open_redirect_through_next_is_ignored(client, make_user):
    make_user(email="budi@example.id")
    token = client.csrf_token("/auth/login")
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.post(f"/auth/login?next={target}", data={"email": "budi@example.id", "password": PASSWORD,
                                                                   "csrf_token": token})
        assert response.headers["Location"] == "/my/"
        client.submit("/auth/logout", page="/")
        token = client.csrf_token("/auth/login")


def test_local_next_is_followed(client, make_user):
    make_user(email="budi@example.id")
    token = client.csrf_token("/auth/login")
    response = client.post("/auth/login?next=/my/profile", data={"email": "budi@example.id", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/my/profile"


@pytest.mark.parametrize(("lang", "title"), [("id", "Terlalu banyak percobaan"), ("en", "Too many attempts")])
def test_repeated_failures_get_429_with_a_localized_page(app, client, make_user, lang, title):
    make_user(email="budi@example.id")
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        assert client.submit("/auth/login", {"email": "budi@example.id", "password": "salah-sekali"}).status_code == 200
    response = client.submit(f"/auth/login?lang={lang}", {"email": "budi@example.id", "password": PASSWORD})
    assert response.status_code == 429
    assert title in response.get_data(as_text=True)
    assert "Retry-After" in response.headers


def test_successful_logins_do_not_use_up_the_limit(app, client, auth, make_user):
    make_user(email="budi@example.id")
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    for _ in range(limit + 2):
        assert auth.login("budi@example.id").status_code == 302
        auth.logout()


def test_logout_only_by_post(client, auth, make_user):
    make_user(email="budi@example.id")
    auth.login("budi@example.id")
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/my/").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/my/").status_code == 302


def _copy_cookies(source, target):
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


def test_cookie_copied_before_logout_is_refused_afterwards(app, client, auth, make_user):
    make_user(email="budi@example.id")
    auth.login("budi@example.id")
    thief = app.test_client()
    _copy_cookies(client, thief)
    assert thief.get("/my/").status_code == 200
    auth.logout()
    assert thief.get("/my/").status_code == 302
    assert db.session.scalar(db.select(db.func.count(UserSession.id))) == 0


def test_cookie_copied_before_deactivation_is_refused_afterwards(app, client, auth, make_user, runner):
    make_user(email="budi@example.id")
    auth.login("budi@example.id")
    thief = app.test_client()
    _copy_cookies(client, thief)
    result = runner.invoke(args=["users", "deactivate", "--email", "budi@example.id"])
    assert result.exit_code == 0, result.output
    assert thief.get("/my/").status_code == 302
    assert client.get("/my/").status_code == 302
    assert auth.login("budi@example.id").status_code == 200  # a deactivated account cannot log in again


def test_changing_password_ends_other_sessions_but_keeps_this_one(app, client, auth, make_user):
    user = make_user(email="budi@example.id")
    auth.login("budi@example.id")
    other = app.test_client()
    other.submit("/auth/login", {"email": "budi@example.id", "password": PASSWORD})
    assert other.get("/my/").status_code == 200
    response = client.submit("/my/password", {"current_password": PASSWORD, "password": "baru-sekali-9",
                                              "confirm_password": "baru-sekali-9"})
    assert response.status_code == 302
    assert client.get("/my/").status_code == 200
    assert other.get("/my/").status_code == 302
    db.session.refresh(user)
    assert services.verify_password(user, "baru-sekali-9")


def test_change_password_with_wrong_current_password(client, auth, make_user):
    make_user(email="budi@example.id")
    auth.login("budi@example.id")
    html = client.submit("/my/password?lang=en", {"current_password": "keliru-123", "password": "baru-sekali-9",
                                                   "confirm_password": "baru-sekali-9"}).get_data(as_text=True)
    assert "The current password is wrong." in html


def test_session_cookie_flags(client, auth, make_user):
    make_user(email="budi@example.id")
    response = auth.login("budi@example.id")
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure_and_secret_required(monkeypatch):
    import importlib

    import config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("BASE_URL", "https://etalase.example.id")  # required too (tests/test_security_hosts.py)
    importlib.reload(config)
    from marketplace import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config.ProductionConfig)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    importlib.reload(config)
    assert config.ProductionConfig.SESSION_COOKIE_SECURE is True
    app = create_app(config.ProductionConfig)
    assert app.config["SECRET_KEY"] == "x" * 40
    response = app.test_client().get("/healthz", base_url="https://etalase.example.id")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.delenv("BASE_URL")
    importlib.reload(config)

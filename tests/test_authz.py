"""Role matrix: every protected route answers the right thing for every role, and CSRF is enforced."""

import pytest

from marketplace.accounts.models import Role

ANON = None
ALL_ROLES = [ANON, Role.BUYER, Role.OWNER, Role.MODERATOR, Role.ADMIN]

# route -> roles allowed in
PROTECTED = {
    "/my/": {Role.BUYER, Role.OWNER, Role.MODERATOR, Role.ADMIN},
    "/my/profile": {Role.BUYER, Role.OWNER, Role.MODERATOR, Role.ADMIN},
    "/my/password": {Role.BUYER, Role.OWNER, Role.MODERATOR, Role.ADMIN},
    "/moderation/": {Role.MODERATOR},
    "/admin/": {Role.ADMIN},
}


@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize("path", PROTECTED)
def test_protected_route_matrix(client, auth, make_user, path, role):
    if role is not None:
        auth.login(make_user(role=role).email)
    response = client.get(path)
    if role in PROTECTED[path]:
        assert response.status_code == 200
    elif role is None:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login?next=")
    else:
        assert response.status_code == 403


def test_403_page_is_localized(client, auth, make_user):
    auth.login(make_user(role=Role.BUYER).email)
    assert "Akses ditolak" in client.get("/admin/").get_data(as_text=True)
    assert "Access denied" in client.get("/admin/?lang=en").get_data(as_text=True)


def test_moderator_cannot_be_created_without_region(runner):
    result = runner.invoke(args=["users", "create", "--email", "mod@example.id", "--password", "rahasia-uji-2025",
                                 "--role", "moderator"])
    assert result.exit_code != 0
    assert "region" in result.output.lower() or "daerah" in result.output.lower()


def test_moderator_is_created_with_region_by_cli(runner):
    result = runner.invoke(args=["users", "create", "--email", "Mod@Example.id", "--password", "rahasia-uji-2025",
                                 "--role", "moderator", "--region", "35.13"])
    assert result.exit_code == 0, result.output
    from marketplace.accounts.services import find_user_by_email

    user = find_user_by_email("mod@example.id")
    assert user.role is Role.MODERATOR and user.region_code == "35.13"


def test_cli_refuses_unknown_region(runner):
    result = runner.invoke(args=["users", "create", "--email", "x@example.id", "--password", "rahasia-uji-2025",
                                 "--role", "owner", "--region", "35.99"])
    assert result.exit_code != 0


def test_moderator_region_is_enforced_by_the_database(app, make_user):
    from sqlalchemy.exc import IntegrityError

    from marketplace.extensions import db

    user = make_user(role=Role.MODERATOR, region="35.74")
    user.region_code = None
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_moderator_sees_own_region(client, auth, make_user):
    auth.login(make_user(role=Role.MODERATOR, region="35.13").email)
    html = client.get("/moderation/").get_data(as_text=True)
    assert "Kabupaten Probolinggo" in html and "35.13" in html


@pytest.mark.parametrize(("path", "data"), [
    ("/auth/login", {"email": "a@example.id", "password": "rahasia-uji-2025"}),
    ("/auth/register", {"email": "a@example.id"}),
    ("/auth/reset", {"email": "a@example.id"}),
    ("/auth/logout", {}),
])
def test_post_without_csrf_token_is_refused(client, path, data):
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "Formulir" in response.get_data(as_text=True) or "formulir" in response.get_data(as_text=True)


def test_logout_without_csrf_token_keeps_the_session(client, auth, make_user):
    auth.login(make_user().email)
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/my/").status_code == 200


def test_csrf_token_from_another_session_is_refused(app, client, make_user):
    other = app.test_client()
    token = other.csrf_token("/auth/login")
    response = client.post("/auth/login", data={"email": make_user().email, "password": "rahasia-uji-2025", "csrf_token": token})
    assert response.status_code == 400

"""Issue 14, accounts: sessions expire (finding 2), weak passwords are refused (3), sign-up tells nobody whether an
address has an account (9), the CSRF token changes at login and logout (10), and account events are audited."""

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from marketplace.accounts import passwords, signup
from marketplace.accounts.models import STAFF_ROLES, Role, User, UserSession
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from marketplace.models_base import utcnow
from tests.conftest import PASSWORD

EXPIRED = {"id": "Sesi Anda telah berakhir. Silakan masuk lagi.", "en": "Your session has expired. Please log in again."}
STRONG = "gula-aren-dan-kelapa muda"


def the_session(email: str) -> UserSession:
    return db.session.scalar(db.select(UserSession).join(UserSession.user).where(User.email == email))


def entries(action: str) -> list[AuditEntry]:
    return db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


# --- finding 2: sessions expire --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_staff_session_idle_past_its_timeout_asks_to_log_in_again_and_keeps_the_page(app, client, auth, make_user,
                                                                                      lang):
    moderator = make_user(role=Role.MODERATOR, region="35.74")
    auth.login(moderator.email)
    row = the_session(moderator.email)
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES_STAFF"] + 2)
    response = client.get(f"/moderation/?lang={lang}&status=pending")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/auth/login"
    assert parse_qs(location.query)["next"] == [f"/moderation/?lang={lang}&status=pending"]
    assert EXPIRED[lang] in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(UserSession.id))) == 0  # the row is gone
    (entry,) = entries("user.session_expire")
    assert (entry.actor_id, entry.actor_role, entry.object_id, entry.region_code) == (None, "system", moderator.id, "35.74")
    assert entry.reason == "idle timeout"
    assert client.get("/moderation/").status_code == 302  # logged out for good, without a second audit entry
    assert len(entries("user.session_expire")) == 1


def test_an_expiry_found_outside_a_view_is_kept_too(app, client, auth, make_user):
    """The 404 page shows the header, which loads the user: no view's unit of work runs, the expiry is its own."""
    owner = make_user(role=Role.OWNER)
    auth.login(owner.email)
    the_session(owner.email).created_at = utcnow() - timedelta(days=400)
    assert client.get("/halaman-yang-tidak-ada").status_code == 404
    assert db.session.scalar(db.select(db.func.count(UserSession.id))) == 0
    assert len(entries("user.session_expire")) == 1
    assert EXPIRED["id"] in client.get("/my/", follow_redirects=True).get_data(as_text=True)


def test_the_login_after_an_expiry_returns_to_the_page(app, client, auth, make_user):
    moderator = make_user(role=Role.MODERATOR, region="35.74")
    auth.login(moderator.email)
    the_session(moderator.email).created_at = utcnow() - timedelta(days=400)  # the probe's 400-day-old session
    login_page = client.get("/moderation/?status=pending").headers["Location"]
    response = client.submit(login_page, {"email": moderator.email, "password": PASSWORD})
    assert response.headers["Location"] == "/moderation/?status=pending"
    assert client.get("/moderation/").status_code == 200


def test_a_session_used_within_the_timeout_is_kept_although_last_seen_lags(app, client, auth, make_user):
    """last_seen_at is written at most once a minute for staff: a request 29.5 minutes ago may have left it at 30.5
    minutes ago. Such a session is still in use and must stay; one really idle past the slack ends."""
    moderator = make_user(role=Role.MODERATOR, region="35.74")
    auth.login(moderator.email)
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES_STAFF"])
    the_session(moderator.email).last_seen_at = utcnow() - idle - timedelta(seconds=30)
    assert client.get("/moderation/").status_code == 200
    assert the_session(moderator.email).last_seen_at > utcnow() - timedelta(seconds=30)  # written again
    the_session(moderator.email).last_seen_at = utcnow() - idle - timedelta(seconds=90)
    assert client.get("/moderation/").status_code == 302


def test_staff_sessions_are_shorter_than_owners(app, client, auth, make_user):
    """Two hours idle: an owner is still logged in, staff are not; 13 hours old: the same."""
    owner, admin = make_user(role=Role.OWNER), make_user(role=Role.ADMIN)
    for column in ("last_seen_at", "created_at"):
        for user, page, kept in ((owner, "/my/", True), (admin, "/admin/", False)):
            auth.login(user.email)
            setattr(the_session(user.email), column, utcnow() - timedelta(hours=2 if column == "last_seen_at" else 13))
            assert (client.get(page).status_code == 200) is kept
            if kept:
                auth.logout()
    assert {Role.MODERATOR, Role.ADMIN, Role.INSTITUTION_STAFF, Role.OFFICE_COORDINATOR, Role.FIELD_OFFICER} == STAFF_ROLES


def test_an_owner_session_ends_after_its_lifetime_however_busy(app, client, auth, make_user):
    owner = make_user(role=Role.OWNER)
    auth.login(owner.email)
    row = the_session(owner.email)
    row.created_at = utcnow() - timedelta(days=app.config["SESSION_MAX_DAYS"], seconds=1)
    row.last_seen_at = utcnow()
    assert client.get("/my/").status_code == 302
    assert entries("user.session_expire")[0].reason == "absolute lifetime"


@pytest.mark.parametrize(("role", "longest"), [(Role.MODERATOR, timedelta(hours=12)), (Role.BUYER, timedelta(days=30))])
def test_the_remember_cookie_lasts_no_longer_than_the_session(app, client, auth, make_user, role, longest):
    user = make_user(role=role)
    response = client.submit("/auth/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("remember_token="))
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    assert longest - timedelta(minutes=1) < expires - datetime.now(UTC) <= longest


def test_an_expired_session_does_not_come_back_through_the_remember_cookie(app, client, auth, make_user):
    moderator = make_user(role=Role.MODERATOR, region="35.74")
    client.submit("/auth/login", {"email": moderator.email, "password": PASSWORD, "remember": "y"})
    remembered = app.test_client()  # a browser restarted: only the remember cookie is left
    cookie = client.get_cookie("remember_token")
    remembered.set_cookie("remember_token", cookie.value)
    assert remembered.get("/moderation/").status_code == 200
    the_session(moderator.email).last_seen_at = utcnow() - timedelta(hours=1)
    response = remembered.get("/moderation/")
    assert response.status_code == 302
    assert any(v.startswith("remember_token=;") for v in response.headers.getlist("Set-Cookie"))  # deleted


# --- finding 3: weak passwords --------------------------------------------------------------------------------

@pytest.mark.parametrize("weak", ["password", "12345678", "aaaaaaaa", "password1234", "qwertyuiop12", "aaaaaaaaaaaa",
                                  "iloveyou1234", "passwordpassword", "Password1234", "x" * 129])
@pytest.mark.parametrize("role", list(Role))
def test_weak_passwords_are_refused_for_every_role(weak, role):
    assert passwords.password_problem(weak, role) is not None


LONG = "kopi tubruk, gula aren, kelapa muda, jahe merah, tempe mendoan, sambal terasi, rujak cingur dan lontong balap!"


@pytest.mark.parametrize("good", ["kopi tubruk di pagi hari", "kopi susu ☕ jahe merah", "ꦏꦺꦴꦥꦶ ꦠꦸꦧꦿꦸꦏ꧀ ꦥꦒꦶ",
                                  LONG.ljust(passwords.MAX_LENGTH, "x")])
def test_spaces_any_unicode_and_long_passwords_are_allowed(good):
    assert len(good) <= passwords.MAX_LENGTH >= 64
    assert all(passwords.password_problem(good, role) is None for role in Role)


def test_staff_need_12_characters_others_10():
    assert passwords.password_problem("kopi-jagung", Role.OWNER) is None  # 11 characters
    assert all(passwords.password_problem("kopi-jagung", role) is not None for role in STAFF_ROLES)
    assert passwords.password_problem("pengguna uji 2025", Role.BUYER, ("uji@example.id", "Pengguna Uji")) is not None


def test_the_demo_and_test_passwords_pass_for_every_role():
    from marketplace.seeding import DEMO_PASSWORD

    for role in Role:
        assert passwords.password_problem(DEMO_PASSWORD, role) is None
        assert passwords.password_problem(PASSWORD, role) is None


@pytest.mark.parametrize(("lang", "message"), [("id", "daftar kata sandi umum"), ("en", "list of common and leaked")])
def test_change_and_reset_refuse_a_common_password_with_a_message(client, auth, make_user, lang, message):
    from marketplace.accounts.services import make_reset_token, verify_password

    user = make_user(email="budi@example.id")
    auth.login(user.email)
    weak = {"current_password": PASSWORD, "password": "password1234", "confirm_password": "password1234"}
    assert message in client.submit(f"/my/password?lang={lang}", weak).get_data(as_text=True)
    auth.logout()
    reset = client.submit(f"/auth/reset/{make_reset_token(user)}?lang={lang}", weak)
    assert message in reset.get_data(as_text=True)
    db.session.refresh(user)
    assert verify_password(user, PASSWORD)


def test_the_staff_invitation_and_the_cli_apply_the_staff_length(app, client, auth, make_user, runner, outbox):
    admin = make_user(role=Role.ADMIN, email="admin@example.id")
    auth.login(admin.email)
    client.submit("/admin/staff/new?lang=en", {"email": "mod@example.id", "name": "Mod", "role": "moderator",
                                               "region": "35.05", "locale": "en"})
    link = re.search(r"http://localhost(/auth/invite/\S+)", outbox()[0].get_content()).group(1)
    weak = {"password": "kopi-jagung", "confirm_password": "kopi-jagung"}
    html = app.test_client().submit(f"{link}?lang=en", weak, page=link).get_data(as_text=True)
    assert "at least 12 characters" in html
    result = runner.invoke(args=["users", "create", "--email", "m2@example.id", "--password", "kopi-jagung",
                                 "--role", "moderator", "--region", "35.74"])
    assert result.exit_code != 0 and "12" in result.output
    assert runner.invoke(args=["users", "create", "--email", "b@example.id", "--password", "password1234",
                               "--role", "buyer"]).exit_code != 0


# --- finding 9: sign-up without enumeration -------------------------------------------------------------------

SIGN_UP = {"role": "buyer", "name": "Dewi", "region": "35.05", "password": STRONG, "confirm_password": STRONG}


def test_a_new_and_a_known_address_get_the_same_answer_for_the_same_work(client, make_user, outbox, monkeypatch):
    make_user(email="dikenal@example.id")
    hashed = []
    real_hash = signup.hash_password
    monkeypatch.setattr(signup, "hash_password", lambda password: hashed.append(1) or real_hash(password))
    answers = []
    for email in ("baru@example.id", "dikenal@example.id"):
        response = client.submit("/auth/register", {**SIGN_UP, "email": email})
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"], re.sub(r'value="[^"]+"', "", page)))
    assert answers[0] == answers[1]
    assert hashed == [1, 1]  # the known address costs the same argon2 hash as a new one
    assert [m["To"] for m in outbox()] == ["baru@example.id", "dikenal@example.id"]  # one mail each


def test_sign_ups_that_send_mail_are_rate_limited(app, client, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNUP_RATE_LIMIT", "2 per hour")
    client.submit("/auth/register", {**SIGN_UP, "email": "bad"})  # a refused form sends nothing and does not count
    for n in range(2):
        assert client.submit("/auth/register", {**SIGN_UP, "email": f"d{n}@example.id"}).status_code == 302
    assert client.submit("/auth/register", {**SIGN_UP, "email": "d3@example.id"}).status_code == 429
    assert len(outbox()) == 2


# --- finding 10: the CSRF token changes at login and logout ---------------------------------------------------

def test_a_csrf_token_from_before_login_does_not_validate_after_it(client, make_user):
    user = make_user()
    before = client.csrf_token("/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        session["lang"] = "en"
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": before}).status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session and session["lang"] == "en"  # a new session; the language stays
    assert client.post("/auth/logout", data={"csrf_token": before}).status_code == 400
    assert client.get("/my/").status_code == 200
    during = client.csrf_token("/my/")
    assert during != before
    assert client.post("/auth/logout", data={"csrf_token": during}).status_code == 302
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": during}).status_code == 400


# --- audit log --------------------------------------------------------------------------------------------------

def test_logins_password_changes_and_resets_are_audited_without_secrets(client, auth, make_user, outbox):
    user = make_user(role=Role.OWNER, email="budi@example.id", region="35.13")
    auth.login(user.email)
    client.submit("/my/password", {"current_password": PASSWORD, "password": STRONG, "confirm_password": STRONG})
    auth.logout()
    client.submit("/auth/reset", {"email": user.email})
    link = re.search(r"http://localhost(/auth/reset/\S+)", outbox()[0].get_content()).group(1)
    client.submit(link, {"password": PASSWORD, "confirm_password": PASSWORD})
    for action in ("user.login", "user.password_change", "user.password_reset"):
        (entry,) = entries(action)
        assert (entry.actor_id, entry.object_id, entry.region_code) == (user.id, user.id, "35.13")
    everything = repr([(e.reason, e.changes, e.object_label) for e in db.session.scalars(db.select(AuditEntry))])
    assert PASSWORD not in everything and STRONG not in everything and link.rsplit("/", 1)[1] not in everything


def test_failed_logins_over_the_limit_are_audited_once_per_account(app, client, make_user):
    user = make_user(email="budi@example.id", region="35.74")
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        client.submit("/auth/login", {"email": user.email, "password": "salah-sekali"})
    assert entries("user.login_blocked") == []
    for _ in range(3):
        assert client.submit("/auth/login", {"email": user.email, "password": "salah-lagi"}).status_code == 429
    client.submit("/auth/login", {"email": "salah-lagi-terketik@example.id", "password": "x"})  # no account: no entry
    (entry,) = entries("user.login_blocked")
    assert (entry.actor_id, entry.object_id, entry.region_code) == (None, user.id, "35.74")
    assert "salah" not in entry.reason + repr(entry.changes)

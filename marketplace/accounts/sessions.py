"""Flask-Login glue: the cookie carries a random session token, looked up on every request.

Sessions end after an idle time and after an absolute lifetime, both shorter for staff (STAFF_ROLES): config's
SESSION_IDLE_MINUTES[_STAFF], SESSION_MAX_DAYS and SESSION_MAX_HOURS_STAFF. An expired session's row is deleted and
audited, and a page that needs a login asks for it again, saying why and keeping the page to return to. Logging in
and out starts a new Flask session (so a new CSRF secret): nothing from before carries over but the language."""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, flash, g, redirect, request, session
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin, current_user, login_url, login_user, logout_user

from marketplace.accounts.models import STAFF_ROLES, Role, User, UserSession
from marketplace.audit import record
from marketplace.extensions import db, login
from marketplace.models_base import utcnow
from marketplace.unit_of_work import unit_of_work

login.login_view = "accounts.login"
login.login_message = _l("Please log in to open that page.")
login.login_message_category = "info"
login.session_protection = "basic"

# Writing last_seen on every request costs a write; once a few minutes is enough (at most a 30th of the idle time,
# so that a staff session's 30 minutes are kept to the minute: see _expiry).
LAST_SEEN_GRANULARITY = timedelta(minutes=5)
EXPIRED_MESSAGE = _l("Your session has expired. Please log in again.")
EXPIRED_FLAG = "session_expired"  # in the Flask session: the next page that needs a login says why it asks


class CurrentUser(UserMixin):
    """What current_user is: the account plus the session it came in through."""

    def __init__(self, user: User, session_row: UserSession):
        self.user = user
        self.session_row = session_row

    def get_id(self) -> str:
        return self.session_row.token  # set only on a fresh login; see load_user

    @property
    def is_active(self) -> bool:
        return self.user.active

    def __getattr__(self, name):
        return getattr(self.user, name)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_limits(role: Role) -> tuple[timedelta, timedelta]:
    """(idle timeout, absolute lifetime) of a session of an account with role."""
    config = current_app.config
    if role in STAFF_ROLES:
        return timedelta(minutes=config["SESSION_IDLE_MINUTES_STAFF"]), timedelta(hours=config["SESSION_MAX_HOURS_STAFF"])
    return timedelta(minutes=config["SESSION_IDLE_MINUTES"]), timedelta(days=config["SESSION_MAX_DAYS"])


def _granularity(idle: timedelta) -> timedelta:
    return min(LAST_SEEN_GRANULARITY, idle / 30)


def _expiry(row: UserSession, now: datetime) -> str | None:
    """Why row has expired ("lifetime", "idle"), or None.

    last_seen_at is written at most once per granularity, so the last request may be up to that much later than
    it says: the session is idle only once even such a request would be older than the idle timeout. A session is
    thus never ended while it was used within the timeout, and ends at most a 30th of the timeout later."""
    idle, lifetime = session_limits(row.user.role)
    if now - row.created_at > lifetime:
        return "lifetime"
    if now - row.last_seen_at > idle + _granularity(idle):
        return "idle"
    return None


def renew_flask_session() -> None:
    """Empty the Flask session but for the language, and drop this request's CSRF token: the next form gets a token
    from a new secret, so a token (or a session fixed by someone else) from before a login or logout is worthless."""
    lang = session.get("lang")
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)  # Flask-WTF's cache of the token
    if lang:
        session["lang"] = lang


def start_session(user: User, remember: bool = False) -> CurrentUser:
    """Create a server-side session for user and log it in, in a new Flask session (the row is flushed; the request's
    unit of work commits it, with the audit entry of the login). The remember cookie lasts no longer than the
    session may."""
    renew_flask_session()
    token = secrets.token_urlsafe(32)
    row = UserSession(user=user, token_hash=_hash(token), user_agent=(request.user_agent.string or "")[:200])
    db.session.add(row)
    db.session.flush()  # an id now: end_sessions(keep=...) later in the same request compares ids
    row.token = token
    current = CurrentUser(user, row)
    lifetime = session_limits(user.role)[1]
    login_user(current, remember=remember, duration=min(lifetime, current_app.config["REMEMBER_COOKIE_DURATION"]))
    record(user, "user.login", user, region_code=user.region_code, label=user.email)
    return current


def log_out() -> None:
    """End this browser's session: its row (a copied cookie stops working with it), the login and the rest of the
    Flask session."""
    if current_user.is_authenticated and current_user.session_row not in db.session.deleted:
        db.session.delete(current_user.session_row)
    renew_flask_session()
    logout_user()


def end_sessions(user: User, keep: UserSession | None = None) -> None:
    """Delete every session of user (but keep)."""
    for row in list(user.sessions):
        if keep is None or row.id != keep.id:
            db.session.delete(row)


@login.user_loader
def load_user(token: str) -> CurrentUser | None:
    """The logged-in user of a session token; last_seen is written with the request's unit of work (a request that
    fails does not record the visit, which is fine for a once-in-five-minutes marker)."""
    row = db.session.scalar(db.select(UserSession).where(UserSession.token_hash == _hash(token)))
    if row is None or not row.user.active:
        return None
    now = utcnow()
    expired = _expiry(row, now)
    if expired:
        _end_expired(row, expired)
        return None
    if now - row.last_seen_at > _granularity(session_limits(row.user.role)[0]):
        row.last_seen_at = now
    row.token = token
    return CurrentUser(row.user, row)


def _end_expired(row: UserSession, why: str) -> None:
    """Delete an expired session (audited as the system's doing) and forget the login in this browser, remember
    cookie included; the next page that needs a login says the session expired. Inside a view this joins the view's
    unit of work (if the view fails, the next request finds the session expired again); outside one (an error page,
    a hook) it is a unit of its own."""
    user = row.user
    with unit_of_work():
        db.session.delete(row)
        record(None, "user.session_expire", user, region_code=user.region_code, label=user.email,
               reason="idle timeout" if why == "idle" else "absolute lifetime")
    for key in ("_user_id", "_fresh", "_id", "_remember_seconds"):
        session.pop(key, None)
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        session["_remember"] = "clear"  # Flask-Login deletes the remember cookie with this response
    session[EXPIRED_FLAG] = True


@login.unauthorized_handler
def ask_to_log_in():
    """A page that needs a login: to the login page, keeping the page in `next`, saying why (expired or not)."""
    message = EXPIRED_MESSAGE if session.pop(EXPIRED_FLAG, False) else login.login_message
    flash(str(message), login.login_message_category)
    return redirect(login_url(login.login_view, next_url=request.url))

"""Flask-Login glue: the cookie carries a random session token, looked up on every request."""

import hashlib
import secrets
from datetime import timedelta

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin, login_user

from marketplace.accounts.models import User, UserSession
from marketplace.extensions import db, login
from marketplace.models_base import utcnow

login.login_view = "accounts.login"
login.login_message = _l("Please log in to open that page.")
login.login_message_category = "info"
login.session_protection = "basic"

# Writing last_seen on every request costs a write; once a few minutes is enough.
LAST_SEEN_GRANULARITY = timedelta(minutes=5)


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


def start_session(user: User, remember: bool = False) -> CurrentUser:
    """Create a server-side session for user and log it in (the row is flushed; the request's unit of work
    commits it)."""
    token = secrets.token_urlsafe(32)
    row = UserSession(user=user, token_hash=_hash(token), user_agent=(request.user_agent.string or "")[:200])
    db.session.add(row)
    db.session.flush()  # an id now: end_sessions(keep=...) later in the same request compares ids
    row.token = token
    current = CurrentUser(user, row)
    login_user(current, remember=remember)
    return current


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
    if now - row.last_seen_at > LAST_SEEN_GRANULARITY:
        row.last_seen_at = now
    row.token = token
    return CurrentUser(row.user, row)

"""Staff invitations: an admin creates a moderator or admin account without a password and the person chooses one
through an emailed link. They flush; the unit of work commits, and the mail leaves after the commit.

The account is created with an unusable password hash (models.UNUSABLE_PASSWORD_PREFIX and a random rest), so nobody
can log in to it until the link is used. The link is an itsdangerous signature, like a reset link, over the user id
and a fingerprint of that hash, with its own salt (a reset token is no invitation, nor the other way round) and its
own lifetime (STAFF_INVITATION_MAX_AGE). Choosing the password changes the hash and sending the invitation again
draws a new unusable one: either way every earlier link stops working."""

import secrets
from collections.abc import Callable

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from marketplace.accounts.models import INVITED_ROLES, UNUSABLE_PASSWORD_PREFIX, Role, User
from marketplace.accounts.passwords import check_password
from marketplace.accounts.services import AccountError, _password_fingerprint, create_user, hash_password
from marketplace.audit import record
from marketplace.extensions import db
from marketplace.mail import send_mail
from marketplace.models_base import utcnow

INVITATION_SALT = "staff-invitation"


class NotInvitable(AccountError):
    """Only an active staff account that has not chosen its password yet gets an invitation again."""

    status = 409
    message = _l("This account has already chosen its password or is deactivated: no invitation to send.")


def unusable_password_hash() -> str:
    """A password hash no password matches, different each time (it voids the earlier invitation links)."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(32)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def make_invitation_token(user: User) -> str:
    """A signed, expiring token that lets user choose a first password, valid until the hash changes."""
    return _serializer().dumps({"uid": user.id, "pw": _password_fingerprint(user)})


def user_for_invitation_token(token: str) -> User | None:
    """The invited, active account a valid, unexpired, unused token belongs to, else None."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["STAFF_INVITATION_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) and isinstance(data.get("uid"), int) else None
    if user is None or not user.active or not user.invitation_pending or data.get("pw") != _password_fingerprint(user):
        return None
    return user


def _send(user: User, actor: User | None, invite_url: Callable[[str], str], *, again: bool) -> None:
    link = invite_url(make_invitation_token(user))
    hours = current_app.config["STAFF_INVITATION_MAX_AGE"] // 3600
    with force_locale(user.locale):
        subject = _("You are invited to Etalase UMKM")
        body = render_template("accounts/email/invitation.txt", user=user, link=link, hours=hours,
                               inviter=actor.name if actor else "Etalase UMKM")
    send_mail(user.email, subject, body)
    record(actor, "user.invite", user, region_code=user.region_code, label=user.email,
           reason="sent again" if again else "")


def invite_staff(*, email: str, name: str, role: Role, region_code: str | None, actor: User | None,
                 invite_url: Callable[[str], str], locale: str = "id", institution_id: int | None = None,
                 office_id: int | None = None, rank_band: str | None = None) -> User:
    """Create a staff account without a usable password (audited as user.create) and mail it a link to choose one
    (audited as user.invite). invite_url(token) is the absolute address of the invitation page for a token."""
    if role not in INVITED_ROLES:
        raise ValueError(f"only staff and civil servants are invited, not {role}")
    user = create_user(email=email, name=name, role=role, region_code=region_code, actor=actor, locale=locale,
                       password_hash=unusable_password_hash(), institution_id=institution_id,
                       office_id=office_id, rank_band=rank_band)
    _send(user, actor, invite_url, again=False)
    return user


def resend_invitation(user: User, *, actor: User | None, invite_url: Callable[[str], str]) -> None:
    """Send the invitation again with a new link; the earlier links stop working."""
    if user.role not in INVITED_ROLES or not user.active or not user.invitation_pending:
        raise NotInvitable
    user.password_hash = unusable_password_hash()
    _send(user, actor, invite_url, again=True)


def accept_invitation(user: User, password: str) -> None:
    """Set the invited account's first password (the staff policy applies); audited as the person's own act."""
    check_password(password, user.role, (user.email, user.name))
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    record(user, "user.invitation_accept", user, region_code=user.region_code, label=user.email)

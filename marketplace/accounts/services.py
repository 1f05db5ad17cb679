"""Account state changes, shared by the views and the CLI. They flush; the unit of work commits."""

import hashlib
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import STAFF_ROLES, Role, User
from marketplace.accounts.passwords import check_password
from marketplace.accounts.sessions import end_sessions
from marketplace.audit import record
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.mail import send_mail
from marketplace.models_base import utcnow
from marketplace.regions.models import Region

RESET_SALT = "password-reset"


class AccountError(DomainError):
    """A request the account rules refuse; the message is shown to the user."""

    status = 422


class EmailTaken(AccountError):
    """Another account has this email address (compared lower-cased)."""

    message = _l("An account with this email already exists.")


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    """An argon2id hash of password, with the configured cost."""
    return _hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    """Whether password is user's current password."""
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_user_by_email(email: str) -> User | None:
    """The account with this email address, whatever its case and surrounding spaces."""
    return db.session.scalar(db.select(User).where(User.email == email.strip().lower()))


def create_user(
    *, email: str, password: str | None = None, name: str, role: Role, region_code: str | None = None,
    phone: str | None = None, locale: str = "id", actor: User | None = None, password_hash: str | None = None,
    institution_id: int | None = None, office_id: int | None = None, rank_band: str | None = None,
) -> User:
    """Create an account; a moderator needs a region, every region must exist, emails are unique, the password
    follows the policy for the role (or comes as password_hash, checked when it was chosen: a confirmed sign-up).

    Staff accounts (moderators, admins) are audited, whoever creates them (an admin, or the CLI)."""
    email = email.strip().lower()
    if role is Role.MODERATOR and not region_code:
        raise AccountError(_l("A moderator must be bound to a region."))
    if role is Role.FIELD_OFFICER and not region_code:
        raise AccountError(_l("A field officer must be bound to a region."))
    if (role is Role.INSTITUTION_STAFF) != (institution_id is not None):
        raise AccountError(_l("Institution staff must be bound to one institution, and only they."))
    if (role in (Role.OFFICE_COORDINATOR, Role.CIVIL_SERVANT)) != (office_id is not None):
        raise AccountError(_l("An office coordinator must be bound to one office, and only they."))
    if (role is Role.CIVIL_SERVANT) != (rank_band is not None):
        raise AccountError(_l("A civil servant must have a rank band, and only they."))
    if region_code and db.session.get(Region, region_code) is None:
        raise AccountError(_l("Unknown region %(code)s.", code=region_code))
    if password_hash is None:
        check_password(password, role, (email, name))
        password_hash = hash_password(password)
    if find_user_by_email(email):
        raise EmailTaken
    user = User(
        email=email, name=name.strip(), password_hash=password_hash, role=role,
        region_code=region_code, phone=phone, locale=locale, institution_id=institution_id, office_id=office_id,
        rank_band=rank_band,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:
        # Two sign-ups with one address at the same moment both pass the check above: the unique index decides,
        # and its refusal is the check's. The unit of work rolls the request back, as for every refusal.
        if "email" in str(error.orig):
            raise EmailTaken from None
        raise
    if role in STAFF_ROLES or role is Role.CIVIL_SERVANT:
        record(actor, "user.create", user, region_code=region_code, label=user.email,
               changes={"role": [None, role.value], "region_code": [None, region_code]})
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (one answer for every failure)."""
    user = find_user_by_email(email)
    if user is None:
        _hasher().hash(password)  # spend the same time as a real check: no user enumeration by timing
        return None
    if not verify_password(user, password) or not user.active:
        return None
    return user


def update_profile(user: User, *, name: str, phone: str | None, region_code: str | None, locale: str) -> None:
    """Save the user's own profile; a moderator's region stays as an admin set it."""
    user.name = name.strip()
    user.phone = phone
    if user.role not in (Role.MODERATOR, Role.FIELD_OFFICER):  # their region is set by whoever invited them
        user.region_code = region_code
    user.locale = locale


def set_password(user: User, new_password: str, keep_session=None, *, by_reset: bool = False) -> None:
    """Change the password (it must follow the policy for the user's role) and end every other session of the user;
    audited as the user's own change, or as a reset through a mailed link (the password itself never is)."""
    check_password(new_password, user.role, (user.email, user.name))
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    end_sessions(user, keep=keep_session)
    record(user, "user.password_reset" if by_reset else "user.password_change", user, region_code=user.region_code,
           label=user.email)


def deactivate_user(user: User, actor: User | None = None) -> None:
    """Deactivate an account and end all its sessions at once (audited)."""
    user.active = False
    end_sessions(user)
    record(actor, "user.deactivate", user, region_code=user.region_code, label=user.email, changes={"active": [True, False]})


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Binding the token to the current hash makes it single-use: the reset changes the hash.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    """A signed, expiring password reset token, valid until the password changes."""
    return _serializer().dumps({"uid": user.id, "pw": _password_fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The user a valid, unexpired, unused token belongs to, else None."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("pw") != _password_fingerprint(user):
        return None
    return user


def send_password_reset(email: str, reset_url: Callable[[str], str]) -> None:
    """Mail a reset link if the account exists; say nothing either way (no enumeration).

    reset_url(token) is the absolute address of the reset page for a token (the caller knows the site's URLs).
    The mail goes once the unit of work commits."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    link = reset_url(make_reset_token(user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with force_locale(user.locale):
        subject = _("Reset your Etalase UMKM password")
        body = render_template("accounts/email/reset.txt", user=user, link=link, minutes=minutes)
    send_mail(user.email, subject, body)

"""Sign-up without account enumeration (ASVS 2.1/3.x, OWASP's Authentication Cheat Sheet): every sign-up gets the
same answer, "check your email", and the mailbox decides what happens.

- A new address gets a link that creates the account and logs it in. Nothing is stored before that: the sign-up
  travels in the link, encrypted and authenticated (Fernet, with a key derived from SECRET_KEY; it holds the
  password's argon2 hash, never the password) and valid for SIGNUP_CONFIRM_MAX_AGE seconds. So an address nobody
  confirms leaves nothing behind, and nobody can hold an address they cannot read.
- An address that already has an account gets a mail telling its owner, with links to log in and to reset the
  password; the visitor sees exactly what a new address would see. Both cases hash the password once and send one
  mail, so they take the same time.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import check_password
from marketplace.accounts.services import AccountError, create_user, find_user_by_email, hash_password
from marketplace.extensions import db
from marketplace.mail import send_mail
from marketplace.regions.models import Region

SIGN_UP_ROLES = (Role.BUYER, Role.OWNER)  # staff accounts are made by an admin or the CLI
_KEY_INFO = b"etalase-umkm sign-up link"


@dataclass(frozen=True)
class SignUpLinks:
    """The absolute addresses the mails point to (the view knows the site's URLs; services build none)."""

    confirm: Callable[[str], str]  # the confirmation page for a token
    login: str
    reset: str


@dataclass(frozen=True)
class PendingSignUp:
    """A sign-up that waits for its address to be confirmed: what the link carries."""

    email: str
    name: str
    role: str
    region_code: str | None
    phone: str | None
    locale: str
    password_hash: str


def request_sign_up(*, email: str, password: str, name: str, role: Role, region_code: str | None,
                    phone: str | None, locale: str, links: SignUpLinks) -> None:
    """Answer a sign-up: mail a new address its confirmation link, or tell an existing account's owner that someone
    tried to register with the address. Says nothing to the caller about which (no enumeration)."""
    if role not in SIGN_UP_ROLES:
        raise AccountError(_l("Choose buyer or owner."))
    if region_code and db.session.get(Region, region_code) is None:
        raise AccountError(_l("Unknown region %(code)s.", code=region_code))
    email = email.strip().lower()
    check_password(password, role, (email, name))
    password_hash = hash_password(password)  # in both cases: the answer takes the same time
    user = find_user_by_email(email)
    if user is None:
        pending = PendingSignUp(email=email, name=name.strip(), role=role.value, region_code=region_code or None,
                                phone=phone, locale=locale, password_hash=password_hash)
        _mail_confirmation(pending, links.confirm(_fernet().encrypt(json.dumps(asdict(pending)).encode()).decode()))
    elif user.active:  # a deactivated account gets no mail, as for a reset
        _mail_owner(user, links)


def pending_sign_up(token: str) -> PendingSignUp | None:
    """The sign-up a link carries, if the link is genuine and not older than SIGNUP_CONFIRM_MAX_AGE; else None."""
    try:
        data = json.loads(_fernet().decrypt(token.encode(), ttl=current_app.config["SIGNUP_CONFIRM_MAX_AGE"]))
        return PendingSignUp(**data)
    except (InvalidToken, ValueError, TypeError):
        return None


def confirm_sign_up(pending: PendingSignUp) -> User:
    """Create the account of a confirmed sign-up (EmailTaken if the address has an account by now: a link used
    twice, or two sign-ups confirmed at the same moment)."""
    return create_user(email=pending.email, password_hash=pending.password_hash, name=pending.name,
                       role=Role(pending.role), region_code=pending.region_code, phone=pending.phone,
                       locale=pending.locale)


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(
        current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _mail_confirmation(pending: PendingSignUp, link: str) -> None:
    hours = max(1, current_app.config["SIGNUP_CONFIRM_MAX_AGE"] // 3600)
    with force_locale(pending.locale):
        subject = _("Activate your Etalase UMKM account")
        body = render_template("accounts/email/confirm_sign_up.txt", name=pending.name, link=link, hours=hours)
    send_mail(pending.email, subject, body)


def _mail_owner(user: User, links: SignUpLinks) -> None:
    with force_locale(user.locale):
        subject = _("Someone tried to register with your address at Etalase UMKM")
        body = render_template("accounts/email/sign_up_existing.txt", user=user, login=links.login, reset=links.reset)
    send_mail(user.email, subject, body)

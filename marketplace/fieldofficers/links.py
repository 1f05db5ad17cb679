"""The two one-time links of assisted onboarding, signed like a password reset (itsdangerous) with salts of their own
and ASSISTED_LINK_MAX_AGE: the owner's consent confirmation (bound to a nonce that a new link replaces; void once
consent is given) and the claim of the account (bound to the unusable password hash: choosing a password, or a new
claim link, voids it). A WhatsApp message is a wa.me share link the officer sends: there is no SMS gateway."""

from urllib.parse import quote

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from marketplace.accounts.services import _password_fingerprint
from marketplace.extensions import db
from marketplace.fieldofficers.models import AssistedOwner

CONSENT_SALT = "assisted-consent"
CLAIM_SALT = "assisted-claim"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(salt: str, token: str) -> dict | None:
    try:
        data = _serializer(salt).loads(token, max_age=current_app.config["ASSISTED_LINK_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("aid"), int) else None


def make_consent_token(assisted: AssistedOwner) -> str:
    return _serializer(CONSENT_SALT).dumps({"aid": assisted.id, "n": assisted.consent_nonce})


def assisted_for_consent_token(token: str) -> AssistedOwner | None:
    """The onboarding whose consent this valid, unexpired, latest link asks for, while consent is not given yet."""
    data = _load(CONSENT_SALT, token)
    assisted = db.session.get(AssistedOwner, data["aid"]) if data else None
    if assisted is None or assisted.has_consent or assisted.claimed or not assisted.consent_nonce \
            or data.get("n") != assisted.consent_nonce:
        return None
    return assisted


def make_claim_token(assisted: AssistedOwner) -> str:
    return _serializer(CLAIM_SALT).dumps({"aid": assisted.id, "pw": _password_fingerprint(assisted.owner)})


def assisted_for_claim_token(token: str) -> AssistedOwner | None:
    """The unclaimed onboarding a valid, unexpired, unused claim link belongs to."""
    data = _load(CLAIM_SALT, token)
    assisted = db.session.get(AssistedOwner, data["aid"]) if data else None
    if assisted is None or assisted.claimed or not assisted.owner.active or not assisted.owner.invitation_pending \
            or data.get("pw") != _password_fingerprint(assisted.owner):
        return None
    return assisted


def whatsapp_link(phone: str, text: str) -> str:
    """wa.me click-to-chat to phone (62…) with text prefilled: the officer sends it from their own phone."""
    return f"https://wa.me/{phone}?text={quote(text, safe='')}"

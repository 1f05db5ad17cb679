"""Common reasons a moderator picks from a list, kept as keys and shown in the reader's language.

A decision's reason is stored as text in the object's reason column (and in the notification's params): a chosen
common reason is a marker `{reason:KEY}` at its start, followed by the moderator's own words. `render_reason` turns
it into the reader's language when a page or a mail is written; text without a marker (every reason written before
this, and the moderator's own words) is shown as written. Forms strip control characters, so the marker is plain
text; typing one by hand only shows the common reason it names.
"""

import re

from flask_babel import lazy_gettext as _l

REASONS = {
    # products (and their edits)
    "photos_unclear": _l("The photos are unclear or do not show the product itself."),
    "price_missing": _l("The price is missing or does not match the product."),
    "description_incomplete": _l("The description is incomplete: add material, size or weight."),
    "not_allowed": _l("The product is not allowed on Etalase UMKM."),
    # businesses
    "wrong_region": _l("The business is not located in this region."),
    "nib_unconfirmed": _l("The NIB could not be confirmed in OSS."),
    "details_mismatch": _l("The name or address does not match the NIB."),
    # edits of a business's public profile
    "logo_unclear": _l("The logo is unclear or not the business's own."),
    "contact_wrong": _l("The WhatsApp number or a link does not work or is not the business's own."),
    "profile_misleading": _l("The description is incomplete or misleading."),
    # certificates
    "number_mismatch": _l("The certificate number does not match the document."),
    "document_unreadable": _l("The document cannot be read: send a sharper scan or photo."),
    "certificate_expired": _l("The certificate has expired: send the renewed one."),
    # buyers' reports
    "report_unfounded": _l("The product follows the rules; nothing needs to change."),
    "report_handled": _l("This was already reported and handled."),
}

# The common reasons each kind of decision offers, in the order of its list.
REASONS_FOR = {
    "product": ["photos_unclear", "price_missing", "description_incomplete", "not_allowed"],
    "business": ["wrong_region", "nib_unconfirmed", "details_mismatch"],
    "business_revision": ["logo_unclear", "contact_wrong", "profile_misleading"],
    "certification": ["number_mismatch", "document_unreadable", "certificate_expired"],
    "report": ["report_unfounded", "report_handled"],
}

_MARKER = re.compile(r"\{reason:([a-z_]+)\}\s?")


def compose(key: str | None, text: str = "") -> str:
    """The stored form of a reason: the common reason's marker (when key is a known one) and the moderator's words."""
    parts = [f"{{reason:{key}}}"] if key in REASONS else []
    if text and text.strip():
        parts.append(text.strip())
    return " ".join(parts)


def reason_keys(stored: str) -> list[str]:
    """The common reasons a stored reason names, in order."""
    keys = []
    rest = stored or ""
    while match := _MARKER.match(rest):
        keys.append(match.group(1))
        rest = rest[match.end():]
    return keys


def render_reason(stored: str | None) -> str:
    """A stored reason in the current language: each known common reason translated, the free text as written."""
    parts, rest = [], stored or ""
    while match := _MARKER.match(rest):
        message = REASONS.get(match.group(1))
        if message is None:  # an unknown key (a reason removed since): keep the text as stored
            break
        parts.append(str(message))
        rest = rest[match.end():]
    if rest:
        parts.append(rest)
    return " ".join(parts)

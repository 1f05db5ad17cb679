"""What each kind of notification says, and the subject of its mail; rendered in the reader's language, never stored
as text. A reason in the params is rendered too (notifications.reasons): a common reason in the reader's language."""

from flask_babel import lazy_gettext as _l

from marketplace.notifications.reasons import render_reason
from marketplace.units import unit_label

MESSAGES = {
    "product.approve": _l("“%(product)s” has been approved and is now visible to buyers."),
    "product.approve_hidden": _l(
        "“%(product)s” has been approved. Buyers will see it once the DKUPP has verified your business “%(business)s”."),
    "product.request_changes": _l("The DKUPP asks for changes to “%(product)s”: %(reason)s"),
    "product.reject": _l("“%(product)s” was rejected: %(reason)s"),
    "revision.approve": _l("Your changes to “%(product)s” have been approved and are now public."),
    "revision.approve_hidden": _l(
        "Your changes to “%(product)s” have been approved. Buyers will see them once the DKUPP has verified your "
        "business “%(business)s”."),
    "revision.request_changes": _l("The DKUPP asks you to change your edit of “%(product)s”: %(reason)s"),
    "revision.reject": _l("Your edit of “%(product)s” was rejected: %(reason)s. Buyers still see the approved version."),
    "business.verify": _l("Your business “%(business)s” has been verified. Its published products are now public."),
    "business.suspend": _l("Your business “%(business)s” has been suspended: %(reason)s"),
    "business.reinstate": _l("Your business “%(business)s” has been reinstated."),
    "business_revision.approve": _l("Your changes to the profile of “%(business)s” have been approved and are now public."),
    "business_revision.request_changes": _l("The DKUPP asks you to change your edit of the profile of “%(business)s”: %(reason)s"),
    "business_revision.reject": _l(
        "Your edit of the profile of “%(business)s” was rejected: %(reason)s. Buyers still see the approved profile."),
    "certification.verify": _l("Your %(certificate)s certificate %(number)s has been verified."),
    "certification.reject": _l("Your %(certificate)s certificate %(number)s was not accepted: %(reason)s"),
    "inquiry.new": _l("New inquiry from %(name)s about “%(product)s”: %(quantity)s %(unit)s."),
    "nomination.accept": _l("“%(product)s” has been accepted into the showcase “%(showcase)s”."),
    "nomination.decline": _l("“%(product)s” was not accepted into the showcase “%(showcase)s”: %(reason)s"),
    "staples_post.approve": _l("Your post “%(post)s” has been approved: it is public and matches other posts now."),
    "staples_post.request_changes": _l("The DKUPP asks for changes to your post “%(post)s”: %(reason)s"),
    "staples_post.reject": _l("Your post “%(post)s” was rejected: %(reason)s"),
    "deal.propose": _l("%(business)s proposes a deal on “%(commodity)s”: confirm it or close it."),
    "deal.confirm": _l("%(business)s confirmed the deal on “%(commodity)s”. Deliveries can be logged now."),
    "delivery.log": _l("%(business)s logged a delivery of “%(commodity)s”: confirm or dispute it."),
}

# Each kind's mail subject (a kind missing here gets SUBJECT).
SUBJECTS = {
    "product.approve": _l("Etalase UMKM: your product is approved"),
    "product.approve_hidden": _l("Etalase UMKM: your product is approved"),
    "product.request_changes": _l("Etalase UMKM: changes needed to your product"),
    "product.reject": _l("Etalase UMKM: your product was rejected"),
    "revision.approve": _l("Etalase UMKM: your product changes are approved"),
    "revision.approve_hidden": _l("Etalase UMKM: your product changes are approved"),
    "revision.request_changes": _l("Etalase UMKM: changes needed to your product edit"),
    "revision.reject": _l("Etalase UMKM: your product edit was rejected"),
    "business.verify": _l("Etalase UMKM: your business is verified"),
    "business.suspend": _l("Etalase UMKM: your business is suspended"),
    "business.reinstate": _l("Etalase UMKM: your business is reinstated"),
    "business_revision.approve": _l("Etalase UMKM: your business profile changes are approved"),
    "business_revision.request_changes": _l("Etalase UMKM: changes needed to your business profile edit"),
    "business_revision.reject": _l("Etalase UMKM: your business profile edit was rejected"),
    "certification.verify": _l("Etalase UMKM: your certificate is verified"),
    "certification.reject": _l("Etalase UMKM: your certificate was not accepted"),
    "inquiry.new": _l("Etalase UMKM: a new inquiry from a buyer"),
    "nomination.accept": _l("Etalase UMKM: your product joins a showcase"),
    "nomination.decline": _l("Etalase UMKM: your product was not accepted into a showcase"),
    "staples_post.approve": _l("Etalase UMKM: your staples post is approved"),
    "staples_post.request_changes": _l("Etalase UMKM: changes needed to your staples post"),
    "staples_post.reject": _l("Etalase UMKM: your staples post was rejected"),
    "deal.propose": _l("Etalase UMKM: a deal is proposed to you"),
    "deal.confirm": _l("Etalase UMKM: your deal is confirmed"),
    "delivery.log": _l("Etalase UMKM: a delivery waits for your confirmation"),
}
SUBJECT = _l("Etalase UMKM: news about your listing")


def render(kind: str, params: dict) -> str:
    """The notification's sentence in the current language."""
    message = MESSAGES.get(kind)
    if message is None:
        return kind
    if "reason" in params:
        params = {**params, "reason": render_reason(params["reason"])}
    if "unit" in params:  # stored as its code: the reader's word for it, plural when the quantity asks
        count = params.get("quantity")
        params = {**params, "unit": unit_label(params["unit"], count if isinstance(count, int) else 1)}
    return str(message) % params


def subject(kind: str) -> str:
    """The subject of the kind's mail in the current language."""
    return str(SUBJECTS.get(kind, SUBJECT))

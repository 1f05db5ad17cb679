"""What each kind of notification says; rendered in the reader's language, never stored as text."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "product.approve": _l("“%(product)s” has been approved and is now visible to buyers."),
    "product.request_changes": _l("The DKUPP asks for changes to “%(product)s”: %(reason)s"),
    "product.reject": _l("“%(product)s” was rejected: %(reason)s"),
    "revision.approve": _l("Your changes to “%(product)s” have been approved and are now public."),
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
}
SUBJECT = _l("Etalase UMKM: news about your listing")


def render(kind: str, params: dict) -> str:
    """The notification's sentence in the current language."""
    message = MESSAGES.get(kind)
    return str(message) % params if message is not None else kind

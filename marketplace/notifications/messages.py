"""What each kind of notification says, and the subject of its mail; rendered in the reader's language, never stored
as text. A reason in the params is rendered too (notifications.reasons): a common reason in the reader's language."""

import contextlib
from datetime import date

from flask_babel import lazy_gettext as _l

from marketplace.i18n import long_date
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
    "conversation.message": _l("%(name)s wrote about “%(about)s”: %(excerpt)s"),
    "favourite.price_drop": _l("The price of “%(product)s”, which you saved, dropped from %(old_price)s to %(price)s."),
    "favourite.back_in_stock": _l("“%(product)s”, which you saved, is available again."),
    "nomination.accept": _l("“%(product)s” has been accepted into the showcase “%(showcase)s”."),
    "nomination.decline": _l("“%(product)s” was not accepted into the showcase “%(showcase)s”: %(reason)s"),
    "service_request.submit": _l("Your request for %(service)s for “%(business)s” has been sent to %(institution)s."),
    "service_request.resubmit": _l("Your completed request for %(service)s for “%(business)s” has been sent again to "
                                   "%(institution)s."),
    "service_request.return": _l("%(institution)s returned your request for %(service)s for completion: %(reason)s"),
    "service_request.accept": _l("%(institution)s accepted your request for %(service)s and set a schedule."),
    "service_request.start": _l("%(institution)s has started working on your request for %(service)s."),
    "service_request.issue": _l("%(institution)s issued your certificate for %(service)s (number %(number)s). Its "
                                "badge now shows on your products."),
    "service_request.decline": _l("%(institution)s declined your request for %(service)s: %(reason)s"),
    "service_request.member_issue": _l("%(institution)s issued a certificate for %(service)s to your member "
                                       "%(member)s (number %(number)s). Its badge now shows on their products."),
    "service_request.member_decline": _l("%(institution)s declined %(service)s for your member %(member)s: "
                                         "%(reason)s"),
    "service_request.close": _l("%(institution)s has decided on every member of your group request for %(service)s: "
                                "%(issued)s issued, %(declined)s declined."),
    "service_request.renew_60": _l("Your %(service)s certificate %(number)s expires in %(days)s days. Request its "
                                   "renewal now."),
    "service_request.renew_30": _l("Your %(service)s certificate %(number)s expires in %(days)s days. Request its "
                                   "renewal before the badge disappears."),
    "enrolment.promoted": _l("A seat has freed in the training “%(topic)s”: you have moved up from the waiting list."),
    "enrolment.certificate": _l("Your certificate of attendance for “%(topic)s” is ready to download."),
    "cohort.changed": _l("The training “%(topic)s” has changed: it now runs from %(starts_on)s to %(ends_on)s at "
                         "%(place)s."),
    "cohort.changed_online": _l("The training “%(topic)s” has changed: it now runs online from %(starts_on)s to "
                                "%(ends_on)s."),
    "coach.nudge": _l(
        "The DKUPP of your region would like to help “%(business)s” get buyers. Your products have had no inquiry "
        "for a while; these steps make them easier to choose:\n%(hints)s"),
    "booth.accept": _l("“%(business)s” is accepted for a %(booth)s booth at “%(event)s”. Confirm it by %(deadline)s, "
                       "or it goes to the next on the waiting list."),
    "booth.promote": _l("A %(booth)s booth at “%(event)s” is free for “%(business)s”. Confirm it by %(deadline)s, "
                        "or it goes to the next on the waiting list."),
    "booth.waitlist": _l("“%(business)s” is on the waiting list for a %(booth)s booth at “%(event)s”: %(reason)s"),
    "booth.reject": _l("“%(business)s” was not accepted for a booth at “%(event)s”: %(reason)s"),
    "booth.expire": _l("The %(booth)s booth at “%(event)s” for “%(business)s” was not confirmed in time and has gone "
                       "to the next on the waiting list."),
    "booth.withdraw": _l("The host withdrew the %(booth)s booth at “%(event)s” for “%(business)s”: %(reason)s"),
    "purchase.log": _l("%(office)s logged a bela beli purchase of %(amount)s at “%(business)s” on %(day)s. Confirm it "
                       "if it is right, or dispute it."),
    "purchase.dispute": _l("“%(business)s” disputed the purchase of %(amount)s on %(day)s: %(reason)s"),
    "purchase.flag": _l("%(n)d bela beli purchases have waited more than %(days)d days for their seller's "
                        "confirmation. Follow them up."),
    "quote.request": _l("%(office)s asks “%(business)s” for a quote: %(what)s, %(quantity)s, for %(day)s."),
    "quote.answer": _l("“%(business)s” answered your quote request “%(what)s”: %(amount)s."),
    "quote.accept": _l("Your quote of %(amount)s for “%(what)s” was accepted."),
    "quote.decline": _l("Another offer was chosen for the quote request “%(what)s”. Thank you for answering."),
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
    "conversation.message": _l("Etalase UMKM: a new message for you"),
    "favourite.price_drop": _l("Etalase UMKM: a product you saved is cheaper"),
    "favourite.back_in_stock": _l("Etalase UMKM: a product you saved is available again"),
    "nomination.accept": _l("Etalase UMKM: your product joins a showcase"),
    "nomination.decline": _l("Etalase UMKM: your product was not accepted into a showcase"),
    "service_request.submit": _l("Etalase UMKM: your service request was sent"),
    "service_request.resubmit": _l("Etalase UMKM: your service request was sent again"),
    "service_request.return": _l("Etalase UMKM: your service request needs completing"),
    "service_request.accept": _l("Etalase UMKM: your service request is accepted"),
    "service_request.start": _l("Etalase UMKM: your service request is in progress"),
    "service_request.issue": _l("Etalase UMKM: your certificate is issued"),
    "service_request.decline": _l("Etalase UMKM: your service request was declined"),
    "service_request.member_issue": _l("Etalase UMKM: a member's certificate is issued"),
    "service_request.member_decline": _l("Etalase UMKM: a member's certificate was declined"),
    "service_request.close": _l("Etalase UMKM: your group request is decided"),
    "service_request.renew_60": _l("Etalase UMKM: your certificate expires in 60 days"),
    "service_request.renew_30": _l("Etalase UMKM: your certificate expires in 30 days"),
    "enrolment.promoted": _l("Etalase UMKM: you have a seat in the training"),
    "enrolment.certificate": _l("Etalase UMKM: your certificate of attendance is ready"),
    "cohort.changed": _l("Etalase UMKM: your training's schedule or venue has changed"),
    "cohort.changed_online": _l("Etalase UMKM: your training's schedule or venue has changed"),
    "coach.nudge": _l("Etalase UMKM: tips from the DKUPP to get more buyers"),
    "booth.accept": _l("Etalase UMKM: your booth is accepted, please confirm"),
    "booth.promote": _l("Etalase UMKM: a booth is free for you, please confirm"),
    "booth.waitlist": _l("Etalase UMKM: you are on the waiting list for a booth"),
    "booth.reject": _l("Etalase UMKM: your booth application was not accepted"),
    "booth.expire": _l("Etalase UMKM: your booth was not confirmed in time"),
    "booth.withdraw": _l("Etalase UMKM: your booth was withdrawn by the host"),
    "purchase.log": _l("Etalase UMKM: confirm a bela beli purchase"),
    "purchase.dispute": _l("Etalase UMKM: a seller disputed a purchase"),
    "purchase.flag": _l("Etalase UMKM: bela beli purchases waiting for their sellers"),
    "quote.request": _l("Etalase UMKM: a request for a quote"),
    "quote.answer": _l("Etalase UMKM: a seller answered your quote request"),
    "quote.accept": _l("Etalase UMKM: your quote was accepted"),
    "quote.decline": _l("Etalase UMKM: another quote was chosen"),
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
    for key, value in params.items():  # dates travel as ISO dates: written in the reader's language here
        if key.endswith("_on") and isinstance(value, str):
            with contextlib.suppress(ValueError):
                params = {**params, key: long_date(date.fromisoformat(value))}
    return str(message) % params


def subject(kind: str) -> str:
    """The subject of the kind's mail in the current language."""
    return str(SUBJECTS.get(kind, SUBJECT))

"""What the audit log's codes mean to a reader: a label for every action the app records and for every kind of object,
translated when shown. The codes stay what is stored and exported (the CSV is for machines); a code missing here is
shown as it is, and a test fails until it is added."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

ACTION_LABELS: dict[str, LazyString] = {
    # products and edits of published products (moderation/services.py)
    "product.approve": _l("Product approved"),
    "product.request_changes": _l("Product: changes requested"),
    "product.reject": _l("Product rejected"),
    "revision.approve": _l("Product edit approved"),
    "revision.request_changes": _l("Product edit: changes requested"),
    "revision.reject": _l("Product edit rejected"),
    # businesses and edits of their public profiles
    "business.verify": _l("Business verified"),
    "business.suspend": _l("Business suspended"),
    "business.reinstate": _l("Business reinstated"),
    "business_revision.approve": _l("Business profile edit approved"),
    "business_revision.request_changes": _l("Business profile edit: changes requested"),
    "business_revision.reject": _l("Business profile edit rejected"),
    # certificates and buyers' reports
    "certification.verify": _l("Certificate verified"),
    "certification.reject": _l("Certificate rejected"),
    "report.resolve": _l("Report resolved"),
    "report.dismiss": _l("Report dismissed"),
    # showcases and nominations (showcases/services.py)
    "showcase.create": _l("Showcase created"),
    "showcase.update": _l("Showcase changed"),
    "showcase.add_product": _l("Product added to a showcase"),
    "showcase.remove_product": _l("Product removed from a showcase"),
    "showcase.reorder": _l("Showcase reordered"),
    "nomination.accept": _l("Nomination accepted"),
    "nomination.decline": _l("Nomination declined"),
    # events and booths (events/services.py, events/booths.py)
    "event.create": _l("Event created"),
    "event.update": _l("Event changed"),
    "event.release": _l("Booth decisions released"),
    "booth_type.add": _l("Booth type added"),
    "booth_type.remove": _l("Booth type removed"),
    "booth_application.prepare": _l("Booth decision prepared"),
    "booth_application.accept": _l("Booth application accepted"),
    "booth_application.waitlist": _l("Booth application put on the waiting list"),
    "booth_application.reject": _l("Booth application rejected"),
    "booth_application.expire": _l("Booth offer lapsed (not confirmed in time)"),
    "booth_application.promote": _l("Booth offered to the next on the waiting list"),
    "booth_application.cancel": _l("Booth cancelled by its owner"),
    "booth_application.withdraw": _l("Booth withdrawn by the host"),
    # cooperatives' member producers and their consent (cooperatives/services.py)
    "member.create": _l("Cooperative member recorded, with consent"),
    "member.update": _l("Cooperative member or consent changed"),
    "member.withdraw": _l("Cooperative member's consent withdrawn"),
    # accounts (accounts/services.py, sessions.py, views.py)
    "user.login": _l("Logged in"),
    "user.login_blocked": _l("Login blocked"),
    "user.session_expire": _l("Session expired"),
    "user.create": _l("Account created"),
    "user.password_change": _l("Password changed"),
    "user.password_reset": _l("Password reset"),
    "user.deactivate": _l("Account deactivated"),
    "user.invite": _l("Staff member invited"),
    "user.invitation_accept": _l("Invitation accepted"),
    # reference data changed by admins (regions/services.py, catalog/services.py)
    "agreement.create": _l("Agreement created"),
    "agreement.update": _l("Agreement changed"),
    "category.create": _l("Category created"),
    "category.update": _l("Category changed"),
    "attribute.create": _l("Category attribute added"),
    "attribute.update": _l("Category attribute changed"),
    "attribute.move": _l("Category attribute moved"),
    "attribute.retire": _l("Category attribute retired"),
    "attribute.restore": _l("Category attribute in use again"),
    "attribute_option.create": _l("Attribute option added"),
    "attribute_option.update": _l("Attribute option changed"),
    "attribute_option.move": _l("Attribute option moved"),
    "attribute_option.retire": _l("Attribute option retired"),
    "attribute_option.restore": _l("Attribute option offered again"),
    "region.office_update": _l("Region office details changed"),
    # institutions, their service requests and training cohorts (institutions/)
    "institution.create": _l("Institution created"),
    "institution.update": _l("Institution changed"),
    "institution.service": _l("Institution service changed"),
    "service_request.submit": _l("Service request sent"),
    "service_request.resubmit": _l("Service request sent again after completion"),
    "service_request.return": _l("Service request returned for completion"),
    "service_request.accept": _l("Service request accepted and scheduled"),
    "service_request.start": _l("Service request in progress"),
    "service_request.issue": _l("Certificate issued"),
    "service_request.decline": _l("Service request declined"),
    "service_request.recommend": _l("DKUPP recommendation added to a service request"),
    "cohort.create": _l("Training cohort published"),
    "cohort.update": _l("Published training cohort changed"),
    "cohort.attendance": _l("Training attendance recorded"),
    "cohort.certificates": _l("Certificates of attendance issued"),
    "enrolment.confirm": _l("Training participant confirmed"),
    # the listing coach: DKUPP's follow-up of dormant sellers (coach/services.py)
    "coach.nudge": _l("Dormant seller reminded"),
    "coach.follow_up": _l("Follow-up of a seller logged"),
    "business.archive": _l("Business archived (no longer trading)"),
    "business.restore": _l("Archived business restored"),
    # assisted onboarding by field officers (fieldofficers/services.py, acting.py)
    "assisted.register": _l("Owner account created by a field officer"),
    "assisted.consent_form": _l("Owner's consent recorded (signed form)"),
    "assisted.consent_request": _l("Owner asked to confirm consent"),
    "assisted.consent_given": _l("Owner confirmed consent"),
    "assisted.business": _l("Business registered by a field officer"),
    "assisted.business_edit": _l("Business changed by a field officer"),
    "assisted.product_submit": _l("Product sent for review by a field officer"),
    "assisted.claim_link": _l("Link to take over the account sent"),
    "assisted.claim": _l("Owner took over the assisted account"),
    # reports (reports/): the region's service standard for moderation
    "region.review_standard": _l("Service standard for reviews set"),
    # staples (staples/): reference data, posts and their review, deals and deliveries
    "commodity.create": _l("Commodity added"),
    "reference_price.create": _l("Reference price entered"),
    "staples_post.approve": _l("Staples post approved"),
    "staples_post.request_changes": _l("Staples post: changes requested"),
    "staples_post.reject": _l("Staples post rejected"),
    "staples_post_edit.approve": _l("Staples post edit approved"),
    "staples_post_edit.request_changes": _l("Staples post edit: changes requested"),
    "staples_post_edit.reject": _l("Staples post edit rejected"),
    "deal.propose": _l("Deal proposed"),
    "deal.confirm": _l("Deal confirmed"),
    "deal.close": _l("Deal closed early"),
    "delivery.log": _l("Delivery logged"),
    "delivery.confirm": _l("Delivery confirmed"),
    "delivery.dispute": _l("Delivery disputed"),
    # bela beli (belabeli/): the programme, its offices, purchases confirmed by sellers, catering quotes
    "bela_beli.programme_create": _l("Bela beli programme started"),
    "bela_beli.programme_update": _l("Bela beli programme changed"),
    "bela_beli.office_create": _l("Bela beli office added"),
    "bela_beli.headcount": _l("Office headcount changed"),
    "bela_beli.purchase_log": _l("Bela beli purchase logged"),
    "bela_beli.purchase_confirm": _l("Bela beli purchase confirmed by the seller"),
    "bela_beli.purchase_dispute": _l("Bela beli purchase disputed by the seller"),
    "bela_beli.quote_request": _l("Catering quote requested"),
    "bela_beli.quote_answer": _l("Catering quote answered"),
    "bela_beli.quote_accept": _l("Catering quote accepted"),
}

# Recorded without a region (reference data): only admins, who see every region, can ever find them.
ADMIN_ONLY_ACTIONS = frozenset(code for code in ACTION_LABELS
                               if code.split(".")[0] in {"agreement", "category", "attribute", "attribute_option",
                                                         "institution", "commodity"})

# The kinds of object entries are about (`type(obj).__name__.lower()` in `record`), for the log's filter.
OBJECT_LABELS: dict[str, LazyString] = {
    "product": _l("products"),
    "business": _l("businesses"),
    "certification": _l("certifications"),
    "report": _l("reports"),
    "showcase": _l("showcases"),
    "event": _l("events"),
    "application": _l("booth applications"),
    "user": _l("accounts"),
    "region": _l("regions"),
    "agreement": _l("agreements"),
    "category": _l("categories"),
    "institution": _l("institutions"),
    "servicerequest": _l("service requests"),
    "cohort": _l("training cohorts"),
    "enrolment": _l("training participants"),
    "categoryattribute": _l("category attributes"),
    "attributeoption": _l("attribute options"),
    "commodity": _l("commodities"),
    "referenceprice": _l("reference prices"),
    "staplespost": _l("staples posts"),
    "deal": _l("deals"),
    "cooperativemember": _l("cooperative members"),
    "programme": _l("bela beli programmes"),
    "office": _l("bela beli offices"),
    "purchase": _l("bela beli purchases"),
    "quoterequest": _l("catering quote requests"),
}


def action_label(code: str) -> LazyString | str:
    """The action's label in the reader's language; an unknown code as it is."""
    return ACTION_LABELS.get(code, code)


def action_choices(admin: bool) -> list[tuple[str, LazyString]]:
    """(code, label) of the actions the reader can find in the log, by label."""
    return sorted(((code, label) for code, label in ACTION_LABELS.items() if admin or code not in ADMIN_ONLY_ACTIONS),
                  key=lambda choice: str(choice[1]).casefold())

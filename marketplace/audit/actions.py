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
    "region.office_update": _l("Region office details changed"),
}

# Recorded without a region (reference data): only admins, who see every region, can ever find them.
ADMIN_ONLY_ACTIONS = frozenset(code for code in ACTION_LABELS if code.split(".")[0] in {"agreement", "category"})

# The kinds of object entries are about (`type(obj).__name__.lower()` in `record`), for the log's filter.
OBJECT_LABELS: dict[str, LazyString] = {
    "product": _l("products"),
    "business": _l("businesses"),
    "certification": _l("certifications"),
    "report": _l("reports"),
    "showcase": _l("showcases"),
    "user": _l("accounts"),
    "region": _l("regions"),
    "agreement": _l("agreements"),
    "category": _l("categories"),
    "cooperativemember": _l("cooperative members"),
}


def action_label(code: str) -> LazyString | str:
    """The action's label in the reader's language; an unknown code as it is."""
    return ACTION_LABELS.get(code, code)


def action_choices(admin: bool) -> list[tuple[str, LazyString]]:
    """(code, label) of the actions the reader can find in the log, by label."""
    return sorted(((code, label) for code, label in ACTION_LABELS.items() if admin or code not in ADMIN_ONLY_ACTIONS),
                  key=lambda choice: str(choice[1]).casefold())

"""Events: public pages and calendar files, owners' applications and booths, the host's staff pages."""

from flask import Blueprint, url_for

from marketplace.events.services import Links

bp = Blueprint("events", __name__)


def links() -> Links:
    return Links(my_events=url_for("events.mine"), inbox_url=url_for("notifications.index", _external=True))


from marketplace.events.views import owners, public, staff  # noqa: E402,F401  (their routes join bp)

"""Bela beli: the public aggregates, the region's DKUPP pages, the office coordinator's pages, the seller's area."""

from flask import Blueprint, url_for

from marketplace.belabeli.services import Links

bp = Blueprint("belabeli", __name__)


def links(endpoint: str, **values) -> Links:
    return Links(page=url_for(endpoint, **values), inbox_url=url_for("notifications.index", _external=True))


from marketplace.belabeli.views import office, public, seller, servant, staff  # noqa: E402,F401  (their routes join bp)

"""The events' periodic job: offers not confirmed by their deadline lapse and the waiting list moves up."""

from flask import url_for
from huey import crontab

from marketplace.events import booths, clock
from marketplace.events.services import Links
from marketplace.jobs import periodic


def links() -> Links:
    """Where the notifications point; the mail's address is absolute when the site knows its own (BASE_URL)."""
    try:
        return Links(my_events=url_for("events.mine"), inbox_url=url_for("notifications.index", _external=True))
    except RuntimeError:  # no request and no SERVER_NAME (development): the path alone
        return Links(my_events="/my/events", inbox_url="/my/notifications")


@periodic(crontab(minute="*/10"))
def settle_booth_offers() -> None:
    booths.settle(clock.now(), links())

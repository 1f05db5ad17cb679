"""The staples' enumerations and the calendar arithmetic of per-period quantities (models.py and the forms read them)."""

from flask_babel import lazy_gettext as _l

from marketplace.models_base import LabelledEnum

DAYS_PER_MONTH = 365.25 / 12
WEEKS_PER_MONTH = DAYS_PER_MONTH / 7


class Level(LabelledEnum):
    """Where in the chain a price is taken (PIHPS and panel harga use the same three)."""

    PRODUCER = "producer", _l("producer")
    WHOLESALE = "wholesale", _l("wholesale")
    CONSUMER = "consumer", _l("consumer")


class PostKind(LabelledEnum):
    OFFER = "offer", _l("surplus offered")
    NEED = "need", _l("need")


class Period(LabelledEnum):
    ONCE = "once", _l("once")
    WEEK = "week", _l("per week")
    MONTH = "month", _l("per month")


class PostStatus(LabelledEnum):
    PENDING = "pending", _l("waiting for review")
    PUBLISHED = "published", _l("published")
    CHANGES_REQUESTED = "changes_requested", _l("changes requested")
    REJECTED = "rejected", _l("rejected")
    WITHDRAWN = "withdrawn", _l("withdrawn")


class DeliveryTerms(LabelledEnum):
    LOCO = "loco", _l("loco: collected at the seller")
    FRANCO = "franco", _l("franco: delivered to the buyer")


class Transport(LabelledEnum):
    SELLER = "seller", _l("the seller transports")
    BUYER = "buyer", _l("the buyer transports")


class DealStatus(LabelledEnum):
    PROPOSED = "proposed", _l("waiting for the other side")
    ACTIVE = "active", _l("active")
    COMPLETED = "completed", _l("completed")
    CLOSED = "closed", _l("closed early")
    DECLINED = "declined", _l("declined")


class DeliveryStatus(LabelledEnum):
    LOGGED = "logged", _l("waiting for confirmation")
    CONFIRMED = "confirmed", _l("confirmed by both sides")
    DISPUTED = "disputed", _l("disputed")

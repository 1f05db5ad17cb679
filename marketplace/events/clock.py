"""The events' clock: one function, so tests can fix the time the views and the job see."""

from datetime import datetime

from marketplace.models_base import utcnow


def now() -> datetime:
    return utcnow()

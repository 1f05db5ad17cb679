"""Refusals: every action a service refuses raises a DomainError subclass.

A DomainError carries a user message (lazy: translated when shown, in the language of whoever sees it) and the
HTTP status of the refusal. One handler in errors.py shows it: on a form POST as a flash message on the page the
request came from, otherwise as the error page with that status. A view that wants the message beside a field
catches the error and calls `form_refusal` (errors.py), which also undoes what the request did so far.
"""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A refused action. Subclasses set `status` and a default `message`; raise with a more precise one."""

    status = 400
    message = _l("This cannot be done now.")

    def __init__(self, message=None, *args):
        if message is not None:
            self.message = message
        super().__init__(str(self.message), *args)


class OutsideRegion(DomainError):
    """The object lies outside what the acting user may touch (another region, another owner): a 404, never a
    403 that would confirm it exists."""

    status = 404
    message = _l("The page you are looking for does not exist or has been moved.")


class AlreadyDecided(DomainError):
    """Someone decided or changed it first (a lost race on a versioned row, or a stale page): nothing was changed."""

    status = 409
    message = _l("This was changed somewhere else at the same moment, so nothing you sent was saved. Go back, reload "
                 "the page and try again.")


class ReasonRequired(DomainError):
    """The decision needs a reason the owner can act on."""

    status = 422
    message = _l("Give a reason the owner can act on.")

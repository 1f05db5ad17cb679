"""The product status machine, in one place: who may move a product from which status to which."""

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Role
from marketplace.catalog.models import ProductStatus as S
from marketplace.domain import DomainError, ReasonRequired

OWNER, MODERATOR = Role.OWNER, Role.MODERATOR

# (from, to) -> the role that may make the move
TRANSITIONS: dict[tuple[S, S], Role] = {
    (S.DRAFT, S.PENDING): OWNER,              # submit for review
    (S.CHANGES_REQUESTED, S.PENDING): OWNER,  # resubmit after fixing
    (S.REJECTED, S.PENDING): OWNER,           # resubmit after a rejection: reviewed again
    (S.PENDING, S.PUBLISHED): MODERATOR,      # approve
    (S.PENDING, S.CHANGES_REQUESTED): MODERATOR,
    (S.PENDING, S.REJECTED): MODERATOR,
    (S.PUBLISHED, S.REJECTED): MODERATOR,     # take down
    (S.DRAFT, S.ARCHIVED): OWNER,
    (S.CHANGES_REQUESTED, S.ARCHIVED): OWNER,
    (S.REJECTED, S.ARCHIVED): OWNER,
    (S.PUBLISHED, S.ARCHIVED): OWNER,
    (S.ARCHIVED, S.DRAFT): OWNER,             # restore: needs review again before going public
}

NEEDS_REASON = {S.CHANGES_REQUESTED, S.REJECTED}

# What the owner is told when a move to this status is refused (a moderator's refused move is "already decided").
REFUSED = {
    S.PENDING: _l("This product cannot be sent for review now. It needs at least one photo and must not be already in "
                  "review."),
    S.ARCHIVED: _l("This product cannot be archived now."),
    S.DRAFT: _l("This product cannot be restored."),
}


class TransitionRefused(DomainError):
    """A status change the machine (or the product's state) does not allow: nothing was changed."""

    status = 409


def check_transition(current: S, target: S, role: Role, reason: str = "") -> None:
    """Raise TransitionRefused unless role may move a product from current to target."""
    allowed = TRANSITIONS.get((current, target))
    admin_moderating = allowed is MODERATOR and role is Role.ADMIN
    if allowed is None or not (role is allowed or admin_moderating):
        raise TransitionRefused(REFUSED.get(target))
    if target in NEEDS_REASON and not reason.strip():
        raise TransitionRefused(ReasonRequired.message)

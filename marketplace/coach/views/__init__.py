"""The coach's pages: the owner's (responsiveness, holiday mode, archiving) and DKUPP's (dormant sellers)."""

from marketplace.coach.views import owner, staff  # noqa: F401  (their routes join the blueprint)
from marketplace.coach.views.blueprint import bp

__all__ = ["bp"]

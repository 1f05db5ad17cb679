"""Assisted onboarding's pages: the field officer's (owners, consent, claim links; businesses and products acting
for the owner), the owner's (confirm consent, claim the account) and the region's moderators' (outcomes, invite)."""

from marketplace.fieldofficers.views import acting, officer, public, staff  # noqa: F401  (their routes join the blueprint)
from marketplace.fieldofficers.views.blueprint import bp

__all__ = ["bp"]

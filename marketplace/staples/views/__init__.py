"""Staples pages on one blueprint: the public board (public.py), a business's own posts, matches and deals (mine.py,
deals.py), and the staff pages: review, matches, deals, prices and the admin's commodities (staff.py, prices.py)."""

from marketplace.staples.views import deals, mine, prices, public, staff, talk
from marketplace.staples.views.blueprint import bp

__all__ = ["bp", "deals", "mine", "prices", "public", "staff", "talk"]

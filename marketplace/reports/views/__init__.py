"""The reports' pages: staff dashboards (staff.py) and the public impact figures (public.py), on one blueprint."""

from marketplace.reports.views import public, staff
from marketplace.reports.views.blueprint import bp

__all__ = ["bp", "public", "staff"]

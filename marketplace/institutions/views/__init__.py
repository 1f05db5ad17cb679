"""Institutions' pages: public (services, cohorts, verifying a certificate of attendance), the owner's requests and
enrolments, the institution staff's queue and cohorts, the region's DKUPP's read-only view. Importing this package
registers every route."""

from marketplace.institutions.views import dkupp, owner, public, staff, staff_training, training
from marketplace.institutions.views.blueprint import bp

__all__ = ["bp", "dkupp", "owner", "public", "staff", "staff_training", "training"]

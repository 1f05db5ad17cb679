"""The platform operator's area: regions, agreements and categories (setup.py); accounts, staff invitations and
businesses (people.py); regions' offices (offices.py); categories' attributes (attributes.py); all on one blueprint
(blueprint.py). Importing this package registers every route."""

from marketplace.admin.views import attributes, institutions, offices, people, setup
from marketplace.admin.views.blueprint import bp

__all__ = ["attributes", "bp", "institutions", "offices", "people", "setup"]

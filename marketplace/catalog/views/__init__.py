"""The catalog's pages: the owner's products (owner.py) and the buyer's catalogue and product page (public.py),
all on one blueprint (blueprint.py). Importing this package registers every route."""

from marketplace.catalog.views import owner, public, structured_data
from marketplace.catalog.views.blueprint import bp

__all__ = ["bp", "owner", "public", "structured_data"]

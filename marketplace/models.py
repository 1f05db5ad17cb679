"""Every feature's models, imported in one place so Alembic and create_all see the whole schema."""

from marketplace.accounts.models import Role, User, UserSession
from marketplace.catalog.models import Category
from marketplace.regions.models import Agreement, AgreementParty, AgreementScope, Region

__all__ = ["Agreement", "AgreementParty", "AgreementScope", "Category", "Region", "Role", "User", "UserSession"]

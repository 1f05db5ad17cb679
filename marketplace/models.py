"""Every feature's models, imported in one place so Alembic and create_all see the whole schema."""

from marketplace.accounts.models import Role, User, UserSession
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import Business, BusinessRevision
from marketplace.catalog.models import Category, Product, ProductRevision
from marketplace.certifications.models import Certification
from marketplace.cooperatives.models import CooperativeMember
from marketplace.inquiries.models import Inquiry
from marketplace.media.models import Photo
from marketplace.moderation.models import Report
from marketplace.notifications.models import Notification
from marketplace.regions.models import Agreement, AgreementParty, AgreementPartyBusiness, AgreementScope, Region
from marketplace.showcases.models import Nomination, Showcase, ShowcaseItem, ShowcaseReach

__all__ = [
    "AuditEntry", "Inquiry", "Notification", "Report",
    "Agreement", "AgreementParty", "AgreementPartyBusiness", "AgreementScope", "CooperativeMember",
    "Business", "BusinessRevision", "Category", "Certification", "Photo",
    "Product", "ProductRevision",
    "Region", "Role", "User", "UserSession", "Nomination", "Showcase", "ShowcaseItem", "ShowcaseReach",
]

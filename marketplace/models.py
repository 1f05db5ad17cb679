"""Every feature's models, imported in one place so Alembic and create_all see the whole schema."""

from marketplace.accounts.models import Role, User, UserSession
from marketplace.audit.models import AuditEntry
from marketplace.belabeli.models import (
    BandMinimum,
    Headcount,
    Office,
    Programme,
    Purchase,
    QuoteOffer,
    QuoteRequest,
)
from marketplace.businesses.models import Business, BusinessRevision
from marketplace.catalog.attributes.models import AttributeOption, CategoryAttribute, ProductAttributeValue
from marketplace.catalog.models import Category, Product, ProductRevision
from marketplace.certifications.models import Certification
from marketplace.coach.models import AwayPeriod, DormancySnapshot, FollowUp
from marketplace.conversations.models import Conversation, ConversationParty, Message
from marketplace.cooperatives.models import CooperativeMember
from marketplace.events.models import Application, BoothType, Event, EventReach
from marketplace.favourites.models import SavedBusiness, SavedProduct
from marketplace.fieldofficers.models import AssistedOwner
from marketplace.inquiries.models import Inquiry, InquiryMonth, InquiryReplyMonth
from marketplace.institutions.models import Institution, InstitutionService
from marketplace.institutions.request_models import RequestDocument, RequestMember, ServiceRequest
from marketplace.institutions.training_models import Cohort, Enrolment
from marketplace.media.models import Photo
from marketplace.moderation.models import DecisionWeek, Report
from marketplace.notifications.models import Notification
from marketplace.offline.models import SubmissionKey
from marketplace.regions.models import Agreement, AgreementParty, AgreementPartyBusiness, AgreementScope, Region
from marketplace.reports.models import RegionReportSetting, RegionStatisticsCode
from marketplace.showcases.models import Nomination, Showcase, ShowcaseItem, ShowcaseReach
from marketplace.staples.match_models import StaplesMatch
from marketplace.staples.models import (
    Commodity,
    CommodityGrade,
    CommodityUnit,
    Deal,
    Delivery,
    ReferencePrice,
    StaplesPost,
    StaplesState,
)

__all__ = [
    "AuditEntry", "AwayPeriod", "SubmissionKey", "DormancySnapshot", "FollowUp", "Inquiry", "Notification", "Report",
    "Conversation", "ConversationParty", "Message", "SavedBusiness", "SavedProduct",
    "Application", "BoothType", "Event", "EventReach",
    "Agreement", "AgreementParty", "AgreementPartyBusiness", "AgreementScope", "CooperativeMember",
    "Business", "BusinessRevision", "Category", "Certification", "Photo",
    "Product", "ProductRevision", "AttributeOption", "CategoryAttribute", "ProductAttributeValue",
    "Region", "Role", "User", "UserSession", "Nomination", "Showcase", "ShowcaseItem", "ShowcaseReach",
    "Institution", "InstitutionService", "ServiceRequest", "RequestDocument", "RequestMember", "Cohort", "Enrolment",
    "Commodity", "CommodityGrade", "CommodityUnit", "Deal", "Delivery", "ReferencePrice", "StaplesPost",
    "StaplesState", "StaplesMatch", "AssistedOwner",
    "BandMinimum", "Headcount", "Office", "Programme", "Purchase", "QuoteOffer", "QuoteRequest",
    "StaplesState", "RegionReportSetting", "RegionStatisticsCode", "InquiryMonth", "InquiryReplyMonth", "DecisionWeek",
]

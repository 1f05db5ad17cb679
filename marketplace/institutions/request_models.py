"""An owner's service request to an institution, its documents and the products it covers."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.institutions.models import Institution, InstitutionService
from marketplace.institutions.workdays import add_working_days
from marketplace.media.documents import document_name
from marketplace.media.references import refers_to_files
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from marketplace.accounts.models import User
    from marketplace.businesses.models import Business
    from marketplace.catalog.models import Product
    from marketplace.cooperatives.models import CooperativeMember


class RequestState(LabelledEnum):
    """Mirrors the outside systems: draft -> submitted -> returned -> accepted -> in progress -> issued / declined."""

    DRAFT = "draft", _l("draft")
    SUBMITTED = "submitted", _l("sent, waiting for the institution")
    RETURNED = "returned", _l("returned for completion")
    ACCEPTED = "accepted", _l("accepted, scheduled")
    IN_PROGRESS = "in_progress", _l("in progress")
    ISSUED = "issued", _l("issued")
    DECLINED = "declined", _l("declined")


OPEN_STATES = (RequestState.SUBMITTED, RequestState.ACCEPTED, RequestState.IN_PROGRESS)  # the institution's turn
EDITABLE_STATES = (RequestState.DRAFT, RequestState.RETURNED)  # the owner's turn
CLOSED_STATES = (RequestState.ISSUED, RequestState.DECLINED)


class DocumentKind(LabelledEnum):
    PROCESS = "process", _l("Production process description")
    INGREDIENTS = "ingredients", _l("Ingredient list")
    SITE_PHOTO = "site_photo", _l("Photo of the production site")
    OTHER = "other", _l("Other supporting document")


request_product = Table(
    "service_request_product", db.metadata,
    Column("request_id", ForeignKey("service_request.id", ondelete="CASCADE"), primary_key=True),
    Column("product_id", ForeignKey("product.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ServiceRequest(db.Model):
    """One owner's request for one service of one institution, for a business or chosen products of it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # optimistic lock: a decision made on a page that is out of date is refused (AlreadyDecided)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("institution_service.id"), index=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True)
    state: Mapped[RequestState] = mapped_column(str_enum(RequestState), default=RequestState.DRAFT, index=True)
    ingredients: Mapped[str] = mapped_column(Text, default="")  # the owner's ingredient list, one a line
    note: Mapped[str] = mapped_column(Text, default="")  # the owner's note to the institution
    return_note: Mapped[str] = mapped_column(Text, default="")  # the institution's: what to fix
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    visit_on: Mapped[date | None] = mapped_column(Date)
    sample_on: Mapped[date | None] = mapped_column(Date)
    test_on: Mapped[date | None] = mapped_column(Date)
    schedule_note: Mapped[str] = mapped_column(Text, default="")
    certificate_number: Mapped[str] = mapped_column(String(80), default="")
    certificate_scope: Mapped[str] = mapped_column(Text, default="")
    certificate_valid_until: Mapped[date | None] = mapped_column(Date)
    certificate_document: Mapped[str | None] = mapped_column(String(80))  # under UPLOAD_DIR/documents
    recommendation: Mapped[str] = mapped_column(Text, default="")  # the region's DKUPP's note to the institution
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    renewal_of_id: Mapped[int | None] = mapped_column(ForeignKey("service_request.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # first sent: the clock starts
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # issued or declined: the clock stops
    reminded_60_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_30_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    institution: Mapped[Institution] = relationship()
    service: Mapped[InstitutionService] = relationship()
    business: Mapped[Business] = relationship()
    products: Mapped[list[Product]] = relationship(secondary=request_product, order_by="Product.name")
    documents: Mapped[list[RequestDocument]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestDocument.id")
    recommended_by: Mapped[User | None] = relationship(foreign_keys=[recommended_by_id])
    # a cooperative's group request (a cluster application): the member producers it is for, each decided apart
    members: Mapped[list[RequestMember]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestMember.id")

    @property
    def is_group(self) -> bool:
        return bool(self.members)

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def due_on(self) -> date | None:
        """The day the service standard runs out (working days from the first sending, holidays skipped)."""
        return add_working_days(self.submitted_at, self.service.standard_days) if self.submitted_at else None

    def documents_of(self, kind: DocumentKind) -> list[RequestDocument]:
        return [document for document in self.documents if document.kind is kind]


class MemberOutcome(LabelledEnum):
    PENDING = "pending", _l("waiting for the institution's decision")
    ISSUED = "issued", _l("certificate issued")
    DECLINED = "declined", _l("declined")


class RequestMember(db.Model):
    """One member producer named in a cooperative's group request, with the institution's decision for that member:
    a certificate of their own (number, valid until, document) covering their chosen products, or a reason."""

    __table_args__ = (UniqueConstraint("request_id", "member_id", name="one_member_once_per_request"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("cooperative_member.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[MemberOutcome] = mapped_column(str_enum(MemberOutcome), default=MemberOutcome.PENDING)
    certificate_number: Mapped[str] = mapped_column(String(80), default="")
    certificate_valid_until: Mapped[date | None] = mapped_column(Date)
    certificate_document: Mapped[str | None] = mapped_column(String(80))  # under UPLOAD_DIR/documents
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    request: Mapped[ServiceRequest] = relationship(back_populates="members")
    member: Mapped[CooperativeMember] = relationship()

    @property
    def products(self) -> list[Product]:
        """The request's chosen products this member produced."""
        return [product for product in self.request.products if product.member_id == self.member_id]


class RequestDocument(db.Model):
    """A document the owner added to a request: a PDF rewritten page by page or a photo re-encoded, kept private."""

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind))
    name: Mapped[str] = mapped_column(String(80))  # under UPLOAD_DIR/documents
    filename: Mapped[str] = mapped_column(String(200), default="")  # as the owner called it, shown only
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[ServiceRequest] = relationship(back_populates="documents")


@refers_to_files
def _request_files() -> set[str]:
    names = set(db.session.scalars(db.select(RequestDocument.name)))
    names |= set(db.session.scalars(db.select(ServiceRequest.certificate_document)
                                    .where(ServiceRequest.certificate_document.is_not(None))))
    names |= set(db.session.scalars(db.select(RequestMember.certificate_document)
                                    .where(RequestMember.certificate_document.is_not(None))))
    return {document_name(name) for name in names}

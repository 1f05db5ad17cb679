"""Read-side selects, each scoped to the user it is given: an owner's own requests, an institution's staff's own
institution, a moderator's own region (read only). Anything outside is a 404."""

from __future__ import annotations

from datetime import date

from flask import abort
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Role
from marketplace.businesses.models import Business
from marketplace.extensions import db
from marketplace.institutions.models import Institution, InstitutionService
from marketplace.institutions.request_models import RequestState, ServiceRequest
from marketplace.institutions.training_models import Cohort, Enrolment

_REQUEST_LOADS = (selectinload(ServiceRequest.business).selectinload(Business.region),
                  selectinload(ServiceRequest.service), selectinload(ServiceRequest.institution),
                  selectinload(ServiceRequest.products), selectinload(ServiceRequest.documents))


def active_institutions() -> list[Institution]:
    return list(db.session.scalars(
        db.select(Institution).where(Institution.active).options(selectinload(Institution.services),
                                                                selectinload(Institution.region))
        .order_by(Institution.name)))


def institution_of(user) -> Institution:
    """The institution a staff account acts for (404 for anyone else)."""
    if user.role is not Role.INSTITUTION_STAFF or user.institution_id is None:
        abort(404)
    return db.get_or_404(Institution, user.institution_id)


def offered_service_or_404(service_id: int) -> InstitutionService:
    service = db.session.get(InstitutionService, service_id)
    if service is None or not service.active or not service.institution.active:
        abort(404)
    return service


# --- owners ---------------------------------------------------------------------------------------------

def owned_request_or_404(owner, request_id: int) -> ServiceRequest:
    request = db.session.scalar(db.select(ServiceRequest).join(ServiceRequest.business)
                                .where(ServiceRequest.id == request_id, Business.owner_id == owner.id))
    if request is None:
        abort(404)
    return request


def owned_requests(owner) -> list[ServiceRequest]:
    return list(db.session.scalars(
        db.select(ServiceRequest).join(ServiceRequest.business).where(Business.owner_id == owner.id)
        .options(*_REQUEST_LOADS).order_by(ServiceRequest.created_at.desc())))


def owned_enrolments(owner) -> list[Enrolment]:
    return list(db.session.scalars(
        db.select(Enrolment).where(Enrolment.user_id == owner.id)
        .options(selectinload(Enrolment.cohort).selectinload(Cohort.institution),
                 selectinload(Enrolment.cohort).selectinload(Cohort.organiser_region))
        .order_by(Enrolment.created_at.desc())))


def owned_enrolment_or_404(owner, enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.user_id != owner.id:
        abort(404)
    return enrolment


# --- institution staff --------------------------------------------------------------------------------

def institution_request_or_404(staff, request_id: int) -> ServiceRequest:
    """A request sent to the staff's institution (a draft is the owner's alone: 404 like another institution's)."""
    request = db.session.get(ServiceRequest, request_id)
    if (staff.role is not Role.INSTITUTION_STAFF or request is None or request.institution_id != staff.institution_id
            or request.state is RequestState.DRAFT):
        abort(404)
    return request


def institution_queue(staff) -> list[ServiceRequest]:
    """Requests waiting for the institution (sent, accepted, in progress), the oldest first."""
    return list(db.session.scalars(
        db.select(ServiceRequest)
        .where(ServiceRequest.institution_id == institution_of(staff).id,
               ServiceRequest.state.in_([RequestState.SUBMITTED, RequestState.ACCEPTED, RequestState.IN_PROGRESS]))
        .options(*_REQUEST_LOADS).order_by(ServiceRequest.submitted_at, ServiceRequest.id)))


def institution_requests(staff, states) -> list[ServiceRequest]:
    return list(db.session.scalars(
        db.select(ServiceRequest)
        .where(ServiceRequest.institution_id == institution_of(staff).id, ServiceRequest.state.in_(states))
        .options(*_REQUEST_LOADS).order_by(ServiceRequest.state_changed_at.desc()).limit(100)))


def institution_cohort_or_404(staff, cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if (staff.role is not Role.INSTITUTION_STAFF or cohort is None or cohort.institution_id is None
            or cohort.institution_id != staff.institution_id):
        abort(404)
    return cohort


def institution_cohorts(staff) -> list[Cohort]:
    return list(db.session.scalars(db.select(Cohort).where(Cohort.institution_id == institution_of(staff).id)
                                   .order_by(Cohort.starts_on.desc())))


# --- the cohorts a region's DKUPP organises (its moderators; admins: every region's) ---------------------

def _dkupp_scope(user):
    if user.role is Role.ADMIN:
        return Cohort.organiser_region_code.is_not(None)
    if user.role is Role.MODERATOR and user.region_code:
        return Cohort.organiser_region_code == user.region_code
    abort(404)


def dkupp_cohort_or_404(user, cohort_id: int) -> Cohort:
    """A cohort the user's DKUPP organises; an institution's or another region's DKUPP's is a 404."""
    return db.first_or_404(db.select(Cohort).where(Cohort.id == cohort_id, _dkupp_scope(user)))


def dkupp_cohorts(user) -> list[Cohort]:
    return list(db.session.scalars(db.select(Cohort).where(_dkupp_scope(user))
                                   .options(selectinload(Cohort.organiser_region)).order_by(Cohort.starts_on.desc())))


def cohort_or_404(user, cohort_id: int, scope: str) -> Cohort:
    """The cohort in the scope of the page: "institution" (its staff) or "dkupp" (a region's DKUPP)."""
    return dkupp_cohort_or_404(user, cohort_id) if scope == "dkupp" else institution_cohort_or_404(user, cohort_id)


# --- the region's DKUPP (read only) ------------------------------------------------------------------

def region_requests(moderator) -> list[ServiceRequest]:
    """Every sent request of the moderator's region's businesses, newest first."""
    if moderator.role is not Role.MODERATOR:
        abort(404)
    return list(db.session.scalars(
        db.select(ServiceRequest).join(ServiceRequest.business)
        .where(Business.region_code == moderator.region_code, ServiceRequest.state != RequestState.DRAFT)
        .options(*_REQUEST_LOADS).order_by(ServiceRequest.submitted_at.desc()).limit(200)))


def region_request_or_404(moderator, request_id: int) -> ServiceRequest:
    request = db.session.get(ServiceRequest, request_id)
    if (moderator.role is not Role.MODERATOR or request is None or request.state is RequestState.DRAFT
            or request.business.region_code != moderator.region_code):
        abort(404)
    return request


# --- public -------------------------------------------------------------------------------------------

def upcoming_cohorts(on: date, institution_id: int | None = None) -> list[Cohort]:
    stmt = (db.select(Cohort).outerjoin(Cohort.institution)
            .where(Institution.active.is_(True) | Cohort.institution_id.is_(None), Cohort.ends_on >= on)
            .options(selectinload(Cohort.institution), selectinload(Cohort.organiser_region),
                     selectinload(Cohort.region)).order_by(Cohort.starts_on))
    if institution_id is not None:
        stmt = stmt.where(Cohort.institution_id == institution_id)
    return list(db.session.scalars(stmt))


def public_cohort_or_404(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not cohort.organiser_active:
        abort(404)
    return cohort


def completed_training(business_id: int) -> list[Enrolment]:
    """Trainings attended with a certificate that the owner chose to show on the business page."""
    return list(db.session.scalars(
        db.select(Enrolment).where(Enrolment.business_id == business_id, Enrolment.show_on_business,
                                   Enrolment.certificate_code.is_not(None))
        .options(selectinload(Enrolment.cohort).selectinload(Cohort.institution)).order_by(Enrolment.id)))

"""Training cohorts: institution staff (or, for their region's DKUPP, moderators and admins) publish them, owners
enrol (a seat or the waiting list), the organisers confirm, record attendance and issue certificates of attendance.
Seats are taken and given back only by conditional UPDATEs of the cohort row (and a CHECK constraint bounds them), so
the database keeps the capacity under any concurrency; a withdrawal moves the first person on the waiting list up in
the same transaction. They flush."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from marketplace.accounts.models import Role
from marketplace.audit import record
from marketplace.catalog.models import Category, Product
from marketplace.domain import AlreadyDecided, DomainError, OutsideRegion
from marketplace.extensions import db
from marketplace.i18n import long_date
from marketplace.institutions.attendance import new_code, render_certificate
from marketplace.institutions.models import Institution
from marketplace.institutions.training_models import SEATED, Cohort, Eligibility, Enrolment, EnrolmentState
from marketplace.media.documents import document_name
from marketplace.media.services import store_files
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify
from marketplace.regions.models import Region


class EnrolmentClosed(DomainError):
    status = 409
    message = _l("Enrolment for this training has closed.")


class NotEligible(DomainError):
    status = 422
    message = _l("This training is not open to your business.")


class AlreadyEnrolled(DomainError):
    status = 409
    message = _l("You are already enrolled in this training.")


class NotAMemberOfThisCooperative(DomainError):
    status = 422
    message = _l("Choose members of this cooperative whose consent is in force.")


def organises(user, cohort: Cohort) -> bool:
    """Who runs a cohort: its institution's staff; for a DKUPP's cohort, its region's moderators and admins."""
    if cohort.institution_id is not None:
        return user.role is Role.INSTITUTION_STAFF and user.institution_id == cohort.institution_id
    return user.role is Role.ADMIN or (user.role is Role.MODERATOR and user.region_code == cohort.organiser_region_code)


def _staff_check(staff, cohort: Cohort) -> None:
    if not organises(staff, cohort):
        raise OutsideRegion


def create_cohort(staff, institution: Institution | None, *, organiser_region_code: str | None = None,
                  **fields) -> Cohort:
    """A cohort of the staff's institution, or (institution None) of the DKUPP of organiser_region_code."""
    if institution is not None:
        allowed = staff.role is Role.INSTITUTION_STAFF and staff.institution_id == institution.id
        organiser_region_code = None
    else:
        allowed = (organiser_region_code is not None and db.session.get(Region, organiser_region_code) is not None
                   and (staff.role is Role.ADMIN or (staff.role is Role.MODERATOR
                                                     and staff.region_code == organiser_region_code)))
    if not allowed:
        raise OutsideRegion
    cohort = Cohort(institution=institution, organiser_region_code=organiser_region_code, seats_taken=0, **fields)
    db.session.add(cohort)
    db.session.flush()
    record(staff, "cohort.create", cohort, region_code=cohort.audit_region_code, label=cohort.topic[:200],
           changes={"capacity": [None, cohort.capacity]})
    return cohort


def _eligible(cohort: Cohort, business, young: bool) -> bool:
    if cohort.eligibility is Eligibility.REGION:
        return business is not None and business.region_code == cohort.eligible_region_code
    if cohort.eligibility is Eligibility.SECTOR:
        if business is None or cohort.eligible_category_id is None:
            return False
        in_sector = db.select(Category.id).where((Category.id == cohort.eligible_category_id)
                                                 | (Category.parent_id == cohort.eligible_category_id))
        return db.session.scalar(db.select(Product.id).where(Product.business_id == business.id,
                                                             Product.category_id.in_(in_sector)).limit(1)) is not None
    if cohort.eligibility is Eligibility.YOUTH:
        return young
    return True


def _take_seat(cohort_id: int) -> bool:
    """One seat, if one is left: the database decides (a second UPDATE waits for the first and sees its count)."""
    result = db.session.execute(update(Cohort).where(Cohort.id == cohort_id, Cohort.seats_taken < Cohort.capacity)
                                .values(seats_taken=Cohort.seats_taken + 1).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _give_back_seat(cohort_id: int) -> None:
    db.session.execute(update(Cohort).where(Cohort.id == cohort_id, Cohort.seats_taken > 0)
                       .values(seats_taken=Cohort.seats_taken - 1).execution_options(synchronize_session=False))


def enrol(owner, cohort: Cohort, business, *, young: bool = False, show_name: bool = False,
          on: date, member=None) -> Enrolment:
    """A seat if one is left, else a place on the waiting list; for the owner, or (member) for a member producer of
    the owner's cooperative whose consent is in force (eligibility is the cooperative's, youth the member's)."""
    if business is not None and business.owner_id != owner.id:
        raise OutsideRegion
    if member is not None and (business is None or not business.is_cooperative or member.business_id != business.id
                               or not member.active):
        raise NotAMemberOfThisCooperative
    if on > cohort.enrol_by or not cohort.organiser_active:
        raise EnrolmentClosed
    if not _eligible(cohort, business, young):
        raise NotEligible
    same = (Enrolment.member_id == member.id) if member is not None else \
        ((Enrolment.user_id == owner.id) & Enrolment.member_id.is_(None))
    enrolment = db.session.scalar(db.select(Enrolment).where(Enrolment.cohort_id == cohort.id, same))
    if enrolment is not None and enrolment.state is not EnrolmentState.WITHDRAWN:
        raise AlreadyEnrolled(_l("This member is already enrolled in this training.") if member is not None else None)
    seated = _take_seat(cohort.id)
    state = EnrolmentState.ENROLLED if seated else EnrolmentState.WAITLISTED
    if enrolment is None:
        enrolment = Enrolment(cohort_id=cohort.id, user_id=owner.id, member=member, state=state)
        db.session.add(enrolment)
    enrolment.state, enrolment.business, enrolment.show_name, enrolment.created_at = state, business, show_name, utcnow()
    db.session.flush()
    db.session.expire(cohort, ["seats_taken"])
    return enrolment


def withdraw(owner, enrolment: Enrolment, *, link: str, inbox_url: str) -> Enrolment | None:
    """Leave the cohort; a freed seat goes to the first on the waiting list, who is told. Returns who moved up."""
    if enrolment.user_id != owner.id:
        raise OutsideRegion
    if enrolment.state is EnrolmentState.WITHDRAWN or enrolment.attended:
        raise AlreadyDecided
    was_seated = enrolment.state in SEATED
    enrolment.state = EnrolmentState.WITHDRAWN
    db.session.flush()
    promoted = None
    if was_seated:
        _give_back_seat(enrolment.cohort_id)  # locks the cohort row until the commit: promotions happen one by one
        promoted = db.session.scalar(
            db.select(Enrolment).where(Enrolment.cohort_id == enrolment.cohort_id,
                                       Enrolment.state == EnrolmentState.WAITLISTED)
            .order_by(Enrolment.created_at, Enrolment.id).limit(1))
        if promoted is not None and _take_seat(enrolment.cohort_id):
            promoted.state = EnrolmentState.ENROLLED
            notify(promoted.user, "enrolment.promoted", link=link, inbox_url=inbox_url, topic=enrolment.cohort.topic)
        else:
            promoted = None
    db.session.flush()
    db.session.expire(enrolment.cohort, ["seats_taken"])
    return promoted


def confirm(staff, enrolment: Enrolment) -> None:
    _staff_check(staff, enrolment.cohort)
    if enrolment.state is not EnrolmentState.ENROLLED:
        raise AlreadyDecided
    enrolment.state = EnrolmentState.CONFIRMED
    record(staff, "enrolment.confirm", enrolment, region_code=enrolment.cohort.audit_region_code,
           label=f"{enrolment.cohort.topic[:150]}: {enrolment.participant_name[:40]}")
    db.session.flush()


def record_attendance(staff, cohort: Cohort, attended_ids: set[int]) -> None:
    """Mark who attended among the seated participants (the others as absent)."""
    _staff_check(staff, cohort)
    changes = {}
    for enrolment in cohort.enrolments:
        if enrolment.state in SEATED and enrolment.certificate_code is None:
            attended = enrolment.id in attended_ids
            if attended != enrolment.attended:
                enrolment.attended = attended
                changes[str(enrolment.id)] = [not attended, attended]
    record(staff, "cohort.attendance", cohort, region_code=cohort.audit_region_code, label=cohort.topic[:200], changes=changes)
    db.session.flush()


def issue_certificates(staff, cohort: Cohort, *, verify_url_for: Callable[[str], str], link: str,
                       inbox_url: str) -> int:
    """A certificate of attendance (PDF, private, with a verification code) for each attendee without one."""
    _staff_check(staff, cohort)
    issued = 0
    dates = long_date(cohort.starts_on) if cohort.starts_on == cohort.ends_on else \
        f"{long_date(cohort.starts_on)} - {long_date(cohort.ends_on)}"
    for enrolment in cohort.enrolments:
        if not enrolment.attended or enrolment.state not in SEATED or enrolment.certificate_code:
            continue
        code = new_code()
        with force_locale(enrolment.user.locale):
            lines = {"given_to": _("This certificate is given to"), "for_attending": _("for attending the training"),
                     "code": _("Verification code"), "check_at": _("Check it at")}
            name, pdf = render_certificate(title=_("Certificate of attendance"), participant=enrolment.participant_name,
                                           topic=cohort.topic, dates=dates, institution=cohort.organiser_name,
                                           code=code, verify_url=verify_url_for(code), lines=lines)
        store_files([(document_name(name), pdf)])
        enrolment.certificate_code, enrolment.certificate_document = code, name
        enrolment.certificate_issued_at = utcnow()
        notify(enrolment.user, "enrolment.certificate", link=link, inbox_url=inbox_url, topic=cohort.topic)
        issued += 1
    record(staff, "cohort.certificates", cohort, region_code=cohort.audit_region_code, label=cohort.topic[:200],
           changes={"issued": [None, issued]})
    db.session.flush()
    return issued


def set_choices(owner, enrolment: Enrolment, *, show_name: bool, show_on_business: bool) -> None:
    """What the participant agrees to show: the name on the verification page, the training on the business page."""
    if enrolment.user_id != owner.id:
        raise OutsideRegion
    enrolment.show_name, enrolment.show_on_business = show_name, show_on_business
    db.session.flush()

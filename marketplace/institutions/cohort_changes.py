"""Changing a published training cohort. What people enrolled in stays: the topic and who may enrol are fixed once
published. The schedule (dates, enrolment deadline), the venue (place, region or online), the description and the
capacity may change; the capacity never below the seats already taken, which the database decides (a conditional
UPDATE, and the seats_within_capacity CHECK behind it), so an enrolment at the same moment cannot slip under it. A
larger capacity moves the waiting list up at once. Everyone enrolled or waiting is told of a new schedule or venue
(app and mail, in their own language); each change is audited. Flushes; the unit of work commits."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from marketplace.audit import record
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.institutions.training import _staff_check, _take_seat
from marketplace.institutions.training_models import Cohort, Enrolment, EnrolmentState
from marketplace.notifications.services import notify

SCHEDULE = ("starts_on", "ends_on")
VENUE = ("online", "venue", "region_code")
EDITABLE = (*SCHEDULE, *VENUE, "description", "enrol_by")


class CapacityBelowSeatsTaken(DomainError):
    status = 409
    message = _l("The capacity cannot be lower than the seats already taken.")


class CohortFinished(DomainError):
    status = 409
    message = _l("Certificates of attendance have been issued for this training: it can no longer be changed.")


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def update_cohort(staff, cohort: Cohort, *, capacity: int, link: str, inbox_url: str, **fields) -> list[Enrolment]:
    """Apply the changes; returns who moved up from the waiting list (a larger capacity)."""
    _staff_check(staff, cohort)
    if any(enrolment.certificate_code for enrolment in cohort.enrolments):
        raise CohortFinished
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable after publication: {sorted(unknown)}")
    changes = {name: [_plain(getattr(cohort, name)), _plain(value)] for name, value in fields.items()
               if getattr(cohort, name) != value}
    if capacity != cohort.capacity:
        # the database decides against the seats taken at this moment, not the count this page read
        result = db.session.execute(update(Cohort).where(Cohort.id == cohort.id, Cohort.seats_taken <= capacity)
                                    .values(capacity=capacity).execution_options(synchronize_session=False))
        db.session.expire(cohort, ["capacity", "seats_taken"])
        if result.rowcount != 1:
            raise CapacityBelowSeatsTaken(_l("The capacity cannot be lower than the %(n)d seats already taken.",
                                             n=cohort.seats_taken))
        changes["capacity"] = [None, capacity]
    for name, value in fields.items():
        setattr(cohort, name, value)
    db.session.flush()
    promoted = _fill_new_seats(cohort, link=link, inbox_url=inbox_url)
    if changes:
        record(staff, "cohort.update", cohort, region_code=cohort.audit_region_code, label=cohort.topic[:200],
               changes=changes)
    if set(changes) & set(SCHEDULE + VENUE):
        _tell_participants(cohort, link=link, inbox_url=inbox_url)
    db.session.flush()
    return promoted


def _fill_new_seats(cohort: Cohort, *, link: str, inbox_url: str) -> list[Enrolment]:
    waiting = db.session.scalars(db.select(Enrolment).where(Enrolment.cohort_id == cohort.id,
                                                            Enrolment.state == EnrolmentState.WAITLISTED)
                                 .order_by(Enrolment.created_at, Enrolment.id)).all()
    promoted = []
    for enrolment in waiting:
        if not _take_seat(cohort.id):
            break
        enrolment.state = EnrolmentState.ENROLLED
        notify(enrolment.user, "enrolment.promoted", link=link, inbox_url=inbox_url, topic=cohort.topic)
        promoted.append(enrolment)
    db.session.expire(cohort, ["seats_taken"])
    return promoted


def _tell_participants(cohort: Cohort, *, link: str, inbox_url: str) -> None:
    """Dates travel as ISO dates and are written in the reader's language when the notification is shown."""
    place = "" if cohort.online else ", ".join(p for p in (cohort.venue, cohort.region.full_name if cohort.region else "") if p)
    kind = "cohort.changed_online" if cohort.online else "cohort.changed"
    for enrolment in cohort.enrolments:
        if enrolment.state is not EnrolmentState.WITHDRAWN:
            notify(enrolment.user, kind, link=link, inbox_url=inbox_url, topic=cohort.topic,
                   starts_on=cohort.starts_on.isoformat(), ends_on=cohort.ends_on.isoformat(), place=place)

"""Training cohorts and enrolments. Seats are counted in the cohort row (seats_taken), changed only by conditional
UPDATEs and bounded by a CHECK constraint: two enrolments at the same moment cannot both take the last seat."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.institutions.models import Institution
from marketplace.media.documents import document_name
from marketplace.media.references import refers_to_files
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from marketplace.accounts.models import User
    from marketplace.businesses.models import Business
    from marketplace.catalog.models import Category
    from marketplace.cooperatives.models import CooperativeMember
    from marketplace.regions.models import Region

YOUNG_MAX_AGE = 30  # "young people": the participant declares being 30 or younger


class Eligibility(LabelledEnum):
    ANY = "any", _l("any UMKM")
    REGION = "region", _l("UMKM of one region")
    SECTOR = "sector", _l("UMKM of one sector")
    YOUTH = "youth", _l("young people (30 or younger)")


class EnrolmentState(LabelledEnum):
    ENROLLED = "enrolled", _l("has a seat")
    WAITLISTED = "waitlisted", _l("on the waiting list")
    CONFIRMED = "confirmed", _l("confirmed")
    WITHDRAWN = "withdrawn", _l("withdrawn")


SEATED = (EnrolmentState.ENROLLED, EnrolmentState.CONFIRMED)


class Cohort(db.Model):
    """One run of a training: topic, dates, venue or online, capacity and who may enrol."""

    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
        # organised by an institution or by a region's DKUPP, never both, never neither
        CheckConstraint("(institution_id IS NULL) <> (organiser_region_code IS NULL)", name="one_organiser"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    organiser_region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)  # its DKUPP
    topic: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    venue: Mapped[str] = mapped_column(String(200), default="")
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))  # where it takes place
    capacity: Mapped[int] = mapped_column()
    seats_taken: Mapped[int] = mapped_column(default=0)
    eligibility: Mapped[Eligibility] = mapped_column(str_enum(Eligibility), default=Eligibility.ANY)
    eligible_region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    eligible_category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="SET NULL"))
    enrol_by: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    institution: Mapped[Institution | None] = relationship()
    organiser_region: Mapped[Region | None] = relationship(foreign_keys=[organiser_region_code])
    region: Mapped[Region | None] = relationship(foreign_keys=[region_code])
    eligible_region: Mapped[Region | None] = relationship(foreign_keys=[eligible_region_code])
    eligible_category: Mapped[Category | None] = relationship()
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="cohort", cascade="all, delete-orphan",
                                                        order_by="Enrolment.id")

    @property
    def organiser_name(self) -> str:
        """The institution, or "DKUPP Kabupaten Probolinggo" for a cohort its region's DKUPP organises."""
        if self.institution is not None:
            return self.institution.name
        return f"DKUPP {self.organiser_region.full_name}"

    @property
    def organiser_display_name(self) -> str:
        return self.institution.display_name if self.institution is not None else self.organiser_name

    @property
    def audit_region_code(self) -> str | None:
        """The region whose audit log shows the cohort's changes: its DKUPP's, else where it takes place."""
        return self.organiser_region_code or self.region_code

    @property
    def organiser_active(self) -> bool:
        """An inactive institution's cohorts are hidden and closed; a DKUPP is always there."""
        return self.institution is None or self.institution.active

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


class Enrolment(db.Model):
    """An owner's place in a cohort (a seat or the waiting list), attendance and certificate of attendance; or, when
    member_id is set, the place a cooperative's owner took for one of its member producers (the participant)."""

    __table_args__ = (
        # once per cohort: an owner for themselves, and each member producer (whoever enrolled them)
        Index("one_enrolment_per_person", "cohort_id", "user_id", unique=True,
              sqlite_where=text("member_id IS NULL"), postgresql_where=text("member_id IS NULL")),
        Index("one_enrolment_per_member", "cohort_id", "member_id", unique=True,
              sqlite_where=text("member_id IS NOT NULL"), postgresql_where=text("member_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    business_id: Mapped[int | None] = mapped_column(ForeignKey("business.id", ondelete="SET NULL"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative_member.id", ondelete="CASCADE"), index=True)
    state: Mapped[EnrolmentState] = mapped_column(str_enum(EnrolmentState), index=True)
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)  # name shown on the public verification page
    show_on_business: Mapped[bool] = mapped_column(Boolean, default=False)  # listed on the business page
    certificate_code: Mapped[str | None] = mapped_column(String(24), unique=True)
    certificate_document: Mapped[str | None] = mapped_column(String(80))
    certificate_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="enrolments")
    user: Mapped[User] = relationship()
    business: Mapped[Business | None] = relationship()
    member: Mapped[CooperativeMember | None] = relationship()

    @property
    def participant_name(self) -> str:
        return self.member.name if self.member is not None else self.user.name

    @property
    def name_may_be_shown(self) -> bool:
        """On the public verification page: the participant chose so, and a member's consent covers their name."""
        if self.member is not None:
            attribution = self.member.attribution()
            if attribution is None or attribution.name is None:
                return False
        return self.show_name


@refers_to_files
def _certificate_files() -> set[str]:
    return {document_name(name) for name in db.session.scalars(
        db.select(Enrolment.certificate_document).where(Enrolment.certificate_document.is_not(None)))}

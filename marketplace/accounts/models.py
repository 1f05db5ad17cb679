"""User accounts, roles and server-side login sessions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow
from marketplace.regions.models import Region

if TYPE_CHECKING:
    from marketplace.belabeli.models import Office
    from marketplace.institutions.models import Institution


class Role(LabelledEnum):
    BUYER = "buyer", _l("Buyer")
    OWNER = "owner", _l("UMKM owner")
    MODERATOR = "moderator", _l("Moderator (DKUPP)")
    ADMIN = "admin", _l("Administrator")
    INSTITUTION_STAFF = "institution_staff", _l("Institution staff")
    OFFICE_COORDINATOR = "office_coordinator", _l("Office coordinator (bela beli)")
    FIELD_OFFICER = "field_officer", _l("Field officer (DKUPP)")
    CIVIL_SERVANT = "civil_servant", _l("Civil servant (bela beli)")


# The roles that act for the platform or a region: shorter sessions and longer passwords than owners and buyers
# (accounts/sessions.py, accounts/passwords.py). A staff role that a later feature adds joins this set.
STAFF_ROLES = frozenset({Role.MODERATOR, Role.ADMIN, Role.INSTITUTION_STAFF, Role.OFFICE_COORDINATOR, Role.FIELD_OFFICER})

# The roles whose accounts are made by invitation (accounts/invitations.py): staff, and the civil servants an office
# coordinator invites. A civil servant logs their own purchases with a personal account: owner-like sessions and
# passwords (not a staff role), since the account reaches only its own purchases and its office's name.
INVITED_ROLES = STAFF_ROLES | {Role.CIVIL_SERVANT}

# A password hash that no password matches (argon2 hashes start with "$"): an invited staff account that has not
# chosen its password yet (accounts/invitations.py). The random rest changes with each invitation sent.
UNUSABLE_PASSWORD_PREFIX = "!"  # noqa: S105 (a marker, not a password)


class User(db.Model):
    """A person with one role; a moderator or a field officer is bound to exactly one region, institution staff to one
    institution."""

    __table_args__ = (
        CheckConstraint("role <> 'moderator' OR region_code IS NOT NULL", name="moderator_has_region"),
        CheckConstraint("role <> 'institution_staff' OR institution_id IS NOT NULL", name="institution_staff_has_institution"),
        CheckConstraint("role <> 'office_coordinator' OR office_id IS NOT NULL", name="office_coordinator_has_office"),
        CheckConstraint("role <> 'field_officer' OR region_code IS NOT NULL", name="field_officer_has_region"),
        CheckConstraint("role <> 'civil_servant' OR (office_id IS NOT NULL AND rank_band IS NOT NULL)",
                        name="civil_servant_has_office"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(20))  # normalised 62…
    role: Mapped[Role] = mapped_column(str_enum(Role))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    # institution staff: the one institution they act for (institutions.models.Institution)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    # office coordinators (bela beli): the one office they keep (belabeli.models.Office)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("bela_beli_office.id"), index=True)
    # civil servants (bela beli): their rank band, a belabeli.models.RankBand value (the monthly minimum they owe)
    rank_band: Mapped[str | None] = mapped_column(String(24))
    locale: Mapped[str] = mapped_column(String(5), default="id")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region | None] = relationship()
    institution: Mapped[Institution | None] = relationship("Institution")
    office: Mapped[Office | None] = relationship("Office", foreign_keys=[office_id])
    sessions: Mapped[list[UserSession]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def invitation_pending(self) -> bool:
        """An invited account that has not chosen its password yet (it cannot log in)."""
        return self.password_hash.startswith(UNUSABLE_PASSWORD_PREFIX)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class UserSession(db.Model):
    """One logged-in browser; deleting the row ends that session even for a copied cookie."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(back_populates="sessions")

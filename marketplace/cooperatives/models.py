"""Member producers of a cooperative and the consent recorded for them (UU PDP: personal data shown only as consented)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.businesses.models import Business
from marketplace.extensions import db
from marketplace.media.documents import document_name
from marketplace.media.references import refers_to_files
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow


class ConsentScope(LabelledEnum):
    """What the member agreed may be shown publicly."""

    NAME_AND_DESA = "name_and_desa", _l("their name and desa/kelurahan")
    DESA_ONLY = "desa_only", _l("only their desa/kelurahan, not their name")
    NOTHING = "nothing", _l("nothing: not shown publicly")


class ConsentMethod(LabelledEnum):
    """How the consent was given."""

    SIGNED_FORM = "signed_form", _l("a signed consent form (photo)")
    MEMBER_CONFIRMATION = "member_confirmation", _l("the member's own confirmation (e.g. by WhatsApp or in person)")


@dataclass(frozen=True)
class Attribution:
    """What the public may read of a member who produced something: name None when the consent does not cover it."""

    name: str | None
    desa: str
    kecamatan: str


class CooperativeMember(db.Model):
    """A member producer of a cooperative (often an informal producer without a legal entity of their own)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("business.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    desa: Mapped[str] = mapped_column(String(80))
    kecamatan: Mapped[str] = mapped_column(String(80))
    commodities: Mapped[str] = mapped_column(String(300), default="")  # as typed: "jagung pipilan, kedelai"
    nib: Mapped[str | None] = mapped_column(String(13))
    # the consent in force: what may be shown, how it was given, who recorded it and when; a new consent replaces it
    # (the audit log keeps every one)
    consent_scope: Mapped[ConsentScope] = mapped_column(str_enum(ConsentScope))
    consent_method: Mapped[ConsentMethod] = mapped_column(str_enum(ConsentMethod))
    consent_note: Mapped[str] = mapped_column(Text, default="")  # how the member confirmed, or what the form says
    consent_document: Mapped[str | None] = mapped_column(String(80))  # photo of the signed form: private, like certificates
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    consent_recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # consent withdrawn: the member is shown nowhere publicly from that moment, and chosen for nothing new
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    business: Mapped[Business] = relationship()
    consent_recorded_by: Mapped[User | None] = relationship()

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def public_scope(self) -> ConsentScope:
        """What may be shown now: nothing once the consent is withdrawn."""
        return self.consent_scope if self.active else ConsentScope.NOTHING

    def attribution(self) -> Attribution | None:
        """What the public may read of this member, or None when nothing may be shown."""
        scope = self.public_scope
        if scope is ConsentScope.NOTHING:
            return None
        return Attribution(name=self.name if scope is ConsentScope.NAME_AND_DESA else None, desa=self.desa,
                           kecamatan=self.kecamatan)


@refers_to_files
def _consent_documents() -> set[str]:
    """Photos of signed consent forms, by their whole stored name."""
    return {document_name(name) for name in db.session.scalars(
        db.select(CooperativeMember.consent_document).where(CooperativeMember.consent_document.is_not(None)))}

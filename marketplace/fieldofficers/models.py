"""An owner account a field officer created on the owner's behalf: who did it, the owner's consent (who, when, how)
and when the owner claimed the account (after which the officer's access ends)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db
from marketplace.media.documents import document_name
from marketplace.media.references import refers_to_files
from marketplace.models_base import LabelledEnum, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from marketplace.accounts.models import User


class ConsentMethod(LabelledEnum):
    """How the owner gave their consent to being onboarded by a field officer."""

    SIGNED_FORM = "signed_form", _l("Photo of the signed consent form")
    EMAIL = "email", _l("Confirmation link sent by email")
    WHATSAPP = "whatsapp", _l("Confirmation link sent by WhatsApp or SMS")


class AssistedOwner(db.Model):
    """One owner account created by a field officer. Consent is recorded when consent_given_at is set; until then
    nothing of the owner's can be submitted for review. claimed_at set: the owner chose a password, the officer
    no longer reaches the account's businesses."""

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    officer_name: Mapped[str] = mapped_column(String(120))  # kept readable after the officer's account is gone
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # consent: how, who (the owner's name as they gave it), when; a link's nonce (a new link voids the earlier one)
    consent_method: Mapped[ConsentMethod | None] = mapped_column(str_enum(ConsentMethod))
    consent_name: Mapped[str | None] = mapped_column(String(120))
    consent_document: Mapped[str | None] = mapped_column(String(80))  # the signed form, as media/documents stores it
    consent_nonce: Mapped[str | None] = mapped_column(String(32))
    consent_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None

    @property
    def claimed(self) -> bool:
        return self.claimed_at is not None


@refers_to_files
def _consent_files() -> set[str]:
    return {document_name(name) for name in db.session.scalars(
        db.select(AssistedOwner.consent_document).where(AssistedOwner.consent_document.is_not(None)))}

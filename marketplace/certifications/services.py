"""Certification state changes, shared by the views and moderation. They flush; the unit of work commits.

A claim's document is stored when the claim is made and deleted again if the claim is rolled back; a deleted claim's
document goes once the deletion is committed, unless another claim uses the same file."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.certifications.models import Certification, CertStatus, CertType
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.media.documents import document_name, process_document
from marketplace.media.services import delete_files, store_files

if TYPE_CHECKING:
    from marketplace.businesses.models import Business
    from marketplace.catalog.models import Product


class ProductOfAnotherBusiness(DomainError):
    """A claim for a product names a product that is not the business's."""

    status = 422
    message = _l("Choose a product from the list.")


def claim_certification(
    business: Business, *, cert_type: CertType, number: str, issuer: str, valid_until: date | None,
    document: bytes, product: Product | None = None,
) -> Certification:
    """Record an owner's claim with its document (raises ImageRejected for a bad file, StorageError when it cannot be
    stored; nothing is saved then)."""
    if product is not None and product.business_id != business.id:
        raise ProductOfAnotherBusiness
    name, clean = process_document(document, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    store_files([(document_name(name), clean)])
    certification = Certification(
        business=business, product=product, cert_type=cert_type, number=number, issuer=issuer,
        valid_until=valid_until, document=name, status=CertStatus.CLAIMED,
    )
    db.session.add(certification)
    db.session.flush()
    return certification


def delete_certification(certification: Certification) -> None:
    """Delete a claim; its document file goes after the commit, unless another claim uses the same file."""
    name = certification.document
    db.session.delete(certification)
    db.session.flush()
    if not db.session.scalar(db.select(Certification.id).where(Certification.document == name).limit(1)):
        delete_files([document_name(name)])

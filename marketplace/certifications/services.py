"""Certification state changes, shared by the views and the moderation of the next issue; each function commits."""

from datetime import date

from flask import current_app

from marketplace.businesses.models import Business
from marketplace.catalog.models import Product
from marketplace.certifications.models import Certification, CertStatus, CertType
from marketplace.extensions import db
from marketplace.media.documents import document_name, process_document, store_document
from marketplace.media.storage import storage


def claim_certification(
    business: Business, *, cert_type: CertType, number: str, issuer: str, valid_until: date | None,
    document: bytes, product: Product | None = None,
) -> Certification:
    """Record an owner's claim with its document (raises ImageRejected for a bad file; nothing is saved then)."""
    if product is not None and product.business_id != business.id:
        raise ValueError("the product belongs to another business")
    name, clean = process_document(document, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    written = store_document(name, clean)
    certification = Certification(
        business=business, product=product, cert_type=cert_type, number=number, issuer=issuer,
        valid_until=valid_until, document=name, status=CertStatus.CLAIMED,
    )
    try:
        db.session.add(certification)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if written:
            storage().delete([document_name(name)])
        raise
    return certification


def delete_certification(certification: Certification) -> None:
    """Delete a claim and its document file, unless another claim uses the same file."""
    name = certification.document
    db.session.delete(certification)
    db.session.commit()
    if not db.session.scalar(db.select(Certification.id).where(Certification.document == name).limit(1)):
        storage().delete([document_name(name)])

"""What issuing a certificate stores and creates, for a single request and for each member of a group request: the
certificate's document kept privately, and the verified certifications (with their badges) in the same unit of work."""

from __future__ import annotations

from datetime import date

from flask import current_app

from marketplace.certifications.models import Certification, CertStatus
from marketplace.extensions import db
from marketplace.institutions.request_models import ServiceRequest
from marketplace.media.documents import document_name, process_document
from marketplace.media.services import store_files
from marketplace.models_base import utcnow


def store_certificate(document: bytes) -> str:
    """Check, clean and store the certificate's document privately; its stored name."""
    name, clean = process_document(document, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    store_files([(document_name(name), clean)])
    return name


def certify(staff, request: ServiceRequest, products, *, number: str, valid_until: date,
            document: str) -> list[Certification]:
    """The verified certifications of an issued certificate: one per product (None: the whole business), verified by
    the issuing institution's staff. Testing and consultation end with a report, not a badge: none."""
    cert_type = request.service.kind.cert_type
    if cert_type is None:
        return []
    institution = request.institution
    issuer = f"{institution.display_name} ({institution.accreditation})" if institution.accreditation else institution.display_name
    now = utcnow()
    certifications = [
        Certification(business=request.business, product=product, cert_type=cert_type, number=number,
                      issuer=issuer[:160], valid_until=valid_until, document=document, status=CertStatus.VERIFIED,
                      verified_at=now, verified_by_id=staff.id, institution_id=institution.id)
        for product in products
    ]
    db.session.add_all(certifications)
    db.session.flush()
    return certifications

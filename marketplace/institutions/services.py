"""Institutions and their services: admins create and edit them (audited); reference data loads them. They flush;
the unit of work commits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.audit import diff, record
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.institutions.models import Institution, InstitutionKind, InstitutionService, ServiceKind
from marketplace.institutions.reference import INSTITUTIONS
from marketplace.slugs import unique_slug

FIELDS = ("name", "short_name", "kind", "region_code", "accreditation", "description", "address", "phone", "email",
          "website", "active")


class ServiceAlreadyOffered(DomainError):
    status = 409
    message = _l("The institution already offers this service: edit it instead.")


def _plain(value):
    return value.value if hasattr(value, "value") else value


def save_institution(actor, institution: Institution | None, **values) -> Institution:
    """Create (institution None) or change an institution; audited with what changed."""
    before = {name: _plain(getattr(institution, name)) for name in FIELDS} if institution else {}
    if institution is None:
        institution = Institution(slug=unique_slug(values.get("short_name") or values["name"], Institution.slug, max_length=70))
        db.session.add(institution)
    for name in FIELDS:
        if name in values:
            setattr(institution, name, values[name])
    db.session.flush()
    after = {name: _plain(getattr(institution, name)) for name in FIELDS}
    record(actor, "institution.update" if before else "institution.create", institution,
           region_code=institution.region_code, changes=diff(before, after))
    return institution


def save_service(actor, institution: Institution, kind: ServiceKind, *, standard_days: int, description: str,
                 active: bool = True, service: InstitutionService | None = None) -> InstitutionService:
    """Add a service to an institution or change one; one service of each kind per institution."""
    if service is None:
        if any(s.kind is kind for s in institution.services):
            raise ServiceAlreadyOffered
        service = InstitutionService(institution=institution, kind=kind)
        db.session.add(service)
    before = {"standard_days": service.standard_days, "description": service.description, "active": service.active}
    service.standard_days, service.description, service.active = standard_days, description, active
    db.session.flush()
    record(actor, "institution.service", institution, region_code=institution.region_code,
           changes={"service": [None, kind.value], **diff(before, {"standard_days": standard_days,
                                                                   "description": description, "active": active})})
    return service


def load_reference_institutions() -> int:
    """Add the shipped institutions that are missing (an admin's edits of existing ones are kept)."""
    added = 0
    for slug, data in INSTITUTIONS.items():
        if db.session.scalar(db.select(Institution.id).where(Institution.slug == slug)) is not None:
            continue
        fields = {k: v for k, v in data.items() if k != "services"}
        institution = Institution(slug=slug, **fields)
        institution.kind = InstitutionKind(fields["kind"])
        institution.services = [InstitutionService(kind=kind, standard_days=days, description=text)
                                for kind, days, text in data["services"]]
        db.session.add(institution)
        added += 1
    db.session.flush()
    return added

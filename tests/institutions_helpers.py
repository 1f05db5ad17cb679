"""Shared set-up of the institutions tests: seeded institutions, their staff, documents, a request ready to send."""

from io import BytesIO

from pypdf import PdfWriter

from marketplace.extensions import db
from marketplace.institutions.models import Institution, InstitutionService, ServiceKind
from marketplace.institutions.request_models import ServiceRequest


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def institution(slug: str) -> Institution:
    return db.session.scalar(db.select(Institution).where(Institution.slug == slug))


def service(slug: str, kind: ServiceKind) -> InstitutionService:
    return next(s for s in institution(slug).services if s.kind is kind)


def latest_request() -> ServiceRequest:
    return db.session.scalar(db.select(ServiceRequest).order_by(ServiceRequest.id.desc()).limit(1))


def upload(client, request_id: int, kind: str, data: bytes, name: str):
    return client.submit(f"/my/services/{request_id}/documents", {"kind": kind, "document": (BytesIO(data), name)},
                         page=f"/my/services/{request_id}", content_type="multipart/form-data")


def start(client, business, svc, products=(), ingredients: str = ""):
    return client.submit("/my/services/new", {"business": str(business.id), "service": str(svc.id),
                                              "products": [str(p.id) for p in products], "ingredients": ingredients,
                                              "note": ""})


def decide(client, request_id: int, action: str, **fields):
    """Send one of the staff's decision forms (prefixed by its action) with the token and version of the page."""
    page = f"/institution/requests/{request_id}"
    token = client.csrf_token(page)
    db.session.expire_all()
    version = db.session.get(ServiceRequest, request_id).version
    data = {f"{action}-csrf_token": token, f"{action}-version": str(version)}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(f"{page}/{action}", data=data, content_type="multipart/form-data")

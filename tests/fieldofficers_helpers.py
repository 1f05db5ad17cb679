"""Shared setup of the field officers' tests: an officer, an owner they onboarded (with or without consent), a
business and products of that owner."""

import io
import re

from marketplace.accounts.models import Role
from marketplace.businesses.services import create_business
from marketplace.fieldofficers import services
from marketplace.fieldofficers.models import AssistedOwner
from marketplace.unit_of_work import unit_of_work
from tests.conftest import jpeg_bytes

LINK_RE = re.compile(r"https?://[^/\s]+(/assisted/(?:consent|claim)/[A-Za-z0-9_.\-]+)")


def make_officer(make_user, region="35.74", **kwargs):
    kwargs.setdefault("name", "Petugas Lapangan Uji")
    return make_user(role=Role.FIELD_OFFICER, region=region, **kwargs)


def onboard(app, officer, *, name="Bu Sulastri", email=None, phone="6281234500001", consent=True) -> AssistedOwner:
    """An owner account the officer created; consent recorded by a signed-form photo unless consent=False."""
    email = email or f"umkm.{officer.id}.{name.split()[-1].lower()}@example.id"
    with app.test_request_context(), unit_of_work():
        assisted = services.register_owner(officer, name=name, email=email, phone=phone)
        if consent:
            services.record_signed_form(officer, assisted, consent_name=name, document=jpeg_bytes())
    return assisted


def assisted_business(app, assisted, **fields):
    """A business of the assisted owner in the owner's region, made with the owner's service (no checks of ours)."""
    fields.setdefault("name", "Kerupuk Ikan Mayangan")
    fields.setdefault("whatsapp", "6281234500001")
    with app.test_request_context(), unit_of_work():
        return create_business(assisted.owner, region_code=assisted.region_code, **fields)


def upload(data: bytes | None = None, name: str = "foto.jpg"):
    return io.BytesIO(data if data is not None else jpeg_bytes()), name


def path_of_link(text: str) -> str:
    match = LINK_RE.search(text)
    assert match, f"no assisted link in {text!r}"
    return match.group(1)

"""Loading and changing regions and agreements; shared by the CLI, the seeding and the admin views. Nothing here
commits: the request or command that calls it does."""

from marketplace.audit import diff, record
from marketplace.extensions import db
from marketplace.regions.models import (
    Agreement,
    AgreementParty,
    AgreementPartyBusiness,
    AgreementScope,
    Region,
    RegionKind,
    Scope,
)
from marketplace.regions.reference import AGREEMENTS, KABUPATEN, KOTA, OFFICE_NAMES
from marketplace.slugs import make_slug


def load_reference_regions() -> int:
    """Insert or update the 38 regions; returns how many were added. An office name known for sure fills an empty
    one; what an admin entered is kept."""
    existing = {r.code: r for r in db.session.scalars(db.select(Region))}
    added = 0
    for kind, rows in ((RegionKind.KABUPATEN, KABUPATEN), (RegionKind.KOTA, KOTA)):
        for code, name in rows:
            region = existing.get(code)
            if region is None:
                region = Region(code=code, name=name, kind=kind)
                db.session.add(region)
                added += 1
            else:
                region.name, region.kind = name, kind
            if not region.office_name:
                region.office_name = OFFICE_NAMES.get(code)
    db.session.flush()
    return added


OFFICE_FIELDS = ("office_name", "office_address", "office_phone", "office_email", "office_website")


def save_office(actor, region: Region, **fields: str) -> bool:
    """Change the region's office details (admin), with one audit entry of what changed; False if nothing did."""
    before = {name: getattr(region, name) for name in OFFICE_FIELDS}
    for name in OFFICE_FIELDS:
        setattr(region, name, (fields.get(name) or "").strip() or None)
    changes = diff(before, {name: getattr(region, name) for name in OFFICE_FIELDS})
    if not changes:
        return False
    db.session.flush()
    record(actor, "region.office_update", region, region_code=region.code, changes=changes, label=region.full_name)
    return True


def load_reference_agreements() -> int:
    """Insert the seeded agreements that are missing (keyed by `key`); returns how many were added."""
    keys = set(db.session.scalars(db.select(Agreement.key)))
    added = 0
    for data in AGREEMENTS:
        if data["key"] in keys:
            continue
        agreement = Agreement(
            key=data["key"], title=data["title"], number=data["number"], signed_on=data["signed_on"],
            valid_from=data["valid_from"], valid_until=data["valid_until"], description=data["description"],
        )
        agreement.scopes = [AgreementScope(scope=Scope(s)) for s in data["scopes"]]
        agreement.parties = [AgreementParty(region_code=code, institution=inst) for code, inst in data["parties"]]
        db.session.add(agreement)
        added += 1
    db.session.flush()
    return added


def save_agreement(
    actor, agreement: Agreement | None, *, title: str, number: str | None, signed_on, valid_from, valid_until,
    scopes: list[str], region_codes: list[str], business_ids: list[int] = (),
    institutions: list[tuple[str, str | None]] | None = None, description: str = "",
) -> Agreement:
    """Create or change an agreement (admin or CLI), with one audit entry of what changed. Parties: regions and
    businesses (cooperatives) by record; institutions are free-text notes kept from before parties were records
    (name, region code): None keeps the agreement's notes as they are."""
    def state(a: Agreement | None) -> dict:
        if a is None:
            return {}
        return {
            "title": a.title, "number": a.number, "signed_on": str(a.signed_on), "valid_from": str(a.valid_from),
            "valid_until": str(a.valid_until) if a.valid_until else None, "scopes": sorted(s.scope.value for s in a.scopes),
            "parties": sorted(f"{p.institution or ''}|{p.region_code or ''}" for p in a.parties),
            "businesses": sorted(p.business_id for p in a.business_parties),
        }

    before = state(agreement)
    creating = agreement is None
    if creating:
        agreement = Agreement(key=f"{make_slug(title, 40)}-{signed_on:%Y%m%d}")
        db.session.add(agreement)
    agreement.title, agreement.number, agreement.description = title.strip(), (number or "").strip() or None, description
    agreement.signed_on, agreement.valid_from, agreement.valid_until = signed_on, valid_from, valid_until
    agreement.scopes = [AgreementScope(scope=Scope(s)) for s in sorted(set(scopes))]
    if institutions is None:
        institutions = [(p.institution, p.region_code) for p in agreement.note_parties]
    agreement.parties = [AgreementParty(region_code=code) for code in region_codes] + [
        AgreementParty(institution=name, region_code=code) for name, code in institutions
    ]
    kept = {p.business_id: p for p in agreement.business_parties}
    agreement.business_parties = [kept.get(business_id) or AgreementPartyBusiness(business_id=business_id)
                                  for business_id in sorted(set(business_ids))]
    db.session.flush()
    record(actor, "agreement.create" if creating else "agreement.update", agreement, region_code=None,
           changes=diff(before, state(agreement)), label=agreement.title)
    return agreement

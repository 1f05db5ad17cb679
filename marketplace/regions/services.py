"""Loading and changing regions and agreements; shared by the CLI and (later) the admin views."""

from marketplace.extensions import db
from marketplace.regions.models import Agreement, AgreementParty, AgreementScope, Region, RegionKind, Scope
from marketplace.regions.reference import AGREEMENTS, KABUPATEN, KOTA


def load_reference_regions() -> int:
    """Insert or update the 38 regions; returns how many were added."""
    existing = {r.code: r for r in db.session.scalars(db.select(Region))}
    added = 0
    for kind, rows in ((RegionKind.KABUPATEN, KABUPATEN), (RegionKind.KOTA, KOTA)):
        for code, name in rows:
            region = existing.get(code)
            if region is None:
                db.session.add(Region(code=code, name=name, kind=kind))
                added += 1
            else:
                region.name, region.kind = name, kind
    db.session.commit()
    return added


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
    db.session.commit()
    return added

"""Programme set-up by the region's DKUPP (programme, bands, offices, coordinators) and the office's headcount kept by
its coordinator. They flush; the unit of work commits. Every change is audited."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from marketplace.accounts import invitations
from marketplace.accounts.models import Role, User
from marketplace.audit import record
from marketplace.belabeli.models import (
    DEFAULT_MINIMUMS,
    BandMinimum,
    Headcount,
    Office,
    OfficeKind,
    Programme,
    RankBand,
)
from marketplace.domain import DomainError, OutsideRegion
from marketplace.extensions import db


@dataclass(frozen=True)
class Links:
    """Where a notification points (services build no URLs): the page it is about and the absolute inbox address."""

    page: str
    inbox_url: str


class BelaBeliRefused(DomainError):
    """A change the programme's rules refuse; .message says why."""

    status = 422


def check_runs(actor: User, programme: Programme) -> None:
    """Only the region's moderators and admins run a programme; anyone else gets a 404."""
    if not programme.run_by(actor):
        raise OutsideRegion


def check_office(actor: User, office: Office) -> None:
    """An office is kept by its own coordinator and by those who run its programme; anyone else gets a 404."""
    if not (actor.role is Role.OFFICE_COORDINATOR and actor.office_id == office.id) and not office.programme.run_by(actor):
        raise OutsideRegion


def save_programme(actor: User, region_code: str, *, legal_basis: str, starts_on: date, ends_on: date | None,
                   purchase_points: str, flag_after_days: int, minimums: dict[RankBand, int]) -> Programme:
    """Create or update the region's programme with its band minimums."""
    if actor.role is not Role.ADMIN and actor.region_code != region_code:
        raise OutsideRegion
    if ends_on is not None and ends_on < starts_on:
        raise BelaBeliRefused(_l("The programme cannot end before it starts."))
    programme = db.session.scalar(db.select(Programme).where(Programme.region_code == region_code))
    created = programme is None
    if created:
        programme = Programme(region_code=region_code)
        db.session.add(programme)
    programme.legal_basis, programme.starts_on, programme.ends_on = legal_basis.strip(), starts_on, ends_on
    programme.purchase_points, programme.flag_after_days = purchase_points.strip(), flag_after_days
    existing = {row.band: row for row in programme.bands}
    for band in RankBand:
        amount = minimums.get(band, DEFAULT_MINIMUMS[band])
        if band in existing:
            existing[band].minimum = amount
        else:
            programme.bands.append(BandMinimum(band=band, minimum=amount))
    db.session.flush()
    record(actor, "bela_beli.programme_create" if created else "bela_beli.programme_update", programme,
           region_code=region_code, label=programme.legal_basis[:200],
           changes={band.value: [None, minimums.get(band, DEFAULT_MINIMUMS[band])] for band in RankBand})
    return programme


def add_office(actor: User, programme: Programme, *, name: str, kind: OfficeKind) -> Office:
    check_runs(actor, programme)
    name = " ".join(name.split())
    if db.session.scalar(db.select(Office.id).where(Office.programme_id == programme.id, Office.name == name)):
        raise BelaBeliRefused(_l("This programme has an office of this name already."))
    office = Office(programme=programme, name=name, kind=kind)
    db.session.add(office)
    db.session.flush()
    record(actor, "bela_beli.office_create", office, region_code=programme.region_code, label=name)
    return office


def set_headcount(actor: User, office: Office, counts: dict[RankBand, int]) -> None:
    """The office's civil servants per rank band (numbers only)."""
    check_office(actor, office)
    rows = {row.band: row for row in office.headcounts}
    changes = {}
    for band, count in counts.items():
        if count < 0:
            raise BelaBeliRefused(_l("A headcount cannot be negative."))
        before = rows[band].count if band in rows else 0
        if band in rows:
            rows[band].count = count
        else:
            office.headcounts.append(Headcount(band=band, count=count))
        if before != count:
            changes[band.value] = [before, count]
    db.session.flush()
    if changes:
        record(actor, "bela_beli.headcount", office, region_code=office.programme.region_code, label=office.name,
               changes=changes)


def invite_coordinator(actor: User, office: Office, *, email: str, name: str, locale: str,
                       invite_url: Callable[[str], str]) -> User:
    """An account for the office's coordinator, through the staff invitation (they choose their own password)."""
    check_runs(actor, office.programme)
    return invitations.invite_staff(email=email, name=name, role=Role.OFFICE_COORDINATOR, actor=actor, locale=locale,
                                    region_code=office.programme.region_code, invite_url=invite_url,
                                    office_id=office.id)


def invite_civil_servant(actor: User, office: Office, *, email: str, name: str, band: RankBand, locale: str,
                         invite_url: Callable[[str], str]) -> User:
    """An account for one of the office's civil servants, bound to the office with their rank band, through the
    invitation flow (they choose their own password). Their coordinator invites into their own office only."""
    check_office(actor, office)
    return invitations.invite_staff(email=email, name=name, role=Role.CIVIL_SERVANT, actor=actor, locale=locale,
                                    region_code=office.programme.region_code, invite_url=invite_url,
                                    office_id=office.id, rank_band=band.value)

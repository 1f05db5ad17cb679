"""Deals and deliveries. A deal is proposed by one side of a match and becomes active when the other confirms; its
remaining quantity is drawn down by each delivery with ONE conditional UPDATE (`remaining >= quantity`), and a CHECK
keeps it between 0 and the volume: two deliveries logged at the same moment can never take more than remains,
whatever the order the database runs them in. Status changes are conditional UPDATEs too, so a double click or two
people acting at once change a deal once."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from marketplace.audit import record
from marketplace.domain import AlreadyDecided, DomainError, OutsideRegion, ReasonRequired
from marketplace.extensions import db
from marketplace.media.documents import document_name, process_document
from marketplace.media.services import store_files
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify
from marketplace.staples.matching import matches
from marketplace.staples.models import Deal, DealStatus, Delivery, DeliveryStatus, DeliveryTerms, StaplesPost, Transport


class DealRefused(DomainError):
    status = 422


class ExceedsRemaining(DealRefused):
    message = _l("This delivery is more than what remains of the deal.")


def _label(deal: Deal) -> str:
    return f"{deal.commodity.name_id}: {deal.seller.name} → {deal.buyer.name}"


def propose_deal(actor, proposer_ids: set[int], offer: StaplesPost, need: StaplesPost, *, volume: int, unit_price: int,
                 starts_on: date, ends_on: date, delivery_terms: DeliveryTerms, transport_by: Transport, on: date,
                 link_for=None, inbox_url: str = "") -> Deal:
    """One side of a current match proposes the deal's terms (volume in base units, price per base unit). A deal
from an offer a cooperative posted for one of its members names that member (while their consent is in force)."""
    if offer.business_id not in proposer_ids and need.business_id not in proposer_ids:
        raise OutsideRegion
    if not matches(on, offer_id=offer.id, need_id=need.id, limit=1):
        raise DealRefused(_l("These two posts no longer match, so no deal can be proposed."))
    if volume <= 0 or unit_price <= 0 or ends_on < starts_on:
        raise DealRefused(_l("Give a volume and a price above 0, and a period that ends on or after its first day."))
    proposer = offer.business if offer.business_id in proposer_ids else need.business
    deal = Deal(offer=offer, need=need, commodity_id=offer.commodity_id, seller=offer.business, buyer=need.business,
                seller_region_code=offer.region_code, buyer_region_code=need.region_code, proposed_by_id=proposer.id,
                member_id=offer.member_id if offer.member is not None and offer.member.active else None,
                volume=volume, remaining=volume, unit_price=unit_price, starts_on=starts_on, ends_on=ends_on,
                delivery_terms=delivery_terms, transport_by=transport_by, status=DealStatus.PROPOSED)
    db.session.add(deal)
    db.session.flush()
    record(actor, "deal.propose", deal, region_code=proposer.region_code, label=_label(deal),
           changes={"volume": [None, volume], "unit_price": [None, unit_price], "member": [None, deal.member_id]})
    _tell(deal, "seller" if proposer.id == deal.seller_id else "buyer", "deal.propose", inbox_url,
          link_for(deal.id) if link_for else "")
    return deal


def _tell(deal: Deal, side: str, kind: str, inbox_url: str, link: str) -> None:
    """Notify the owner of the other side of the deal (nothing when the view gave no inbox address: CLI, demo)."""
    if not inbox_url:
        return
    actor_business, other = (deal.seller, deal.buyer) if side == "seller" else (deal.buyer, deal.seller)
    notify(other.owner, kind, link=link, inbox_url=inbox_url, business=actor_business.name,
           commodity=deal.commodity.name_id)


def _move(deal: Deal, before: DealStatus, after: DealStatus, **values) -> None:
    """Change the deal's status only if it still is `before` (one UPDATE); someone else's change first: refused."""
    done = db.session.execute(
        update(Deal).where(Deal.id == deal.id, Deal.status == before).values(status=after, **values)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise AlreadyDecided
    db.session.refresh(deal)


def confirm_deal(actor, actor_ids: set[int], deal: Deal, *, link: str = "", inbox_url: str = "") -> None:
    """The side that did not propose confirms: the deal becomes active."""
    side = deal.side_of(actor_ids)
    if side is None:
        raise OutsideRegion
    if deal.proposed_by_id in actor_ids:
        raise DealRefused(_l("The other side confirms the deal you proposed."))
    _move(deal, DealStatus.PROPOSED, DealStatus.ACTIVE, confirmed_at=utcnow())
    record(actor, "deal.confirm", deal, region_code=getattr(deal, f"{side}_region_code"), label=_label(deal))
    _tell(deal, side, "deal.confirm", inbox_url, link)


def close_deal(actor, actor_ids: set[int], deal: Deal, reason: str) -> None:
    """Either side ends a proposed or active deal early, with a reason."""
    side = deal.side_of(actor_ids)
    if side is None:
        raise OutsideRegion
    if not reason.strip():
        raise ReasonRequired(_l("Say why the deal ends early."))
    before = deal.status
    if before not in (DealStatus.PROPOSED, DealStatus.ACTIVE):
        raise AlreadyDecided
    _move(deal, before, DealStatus.CLOSED if before is DealStatus.ACTIVE else DealStatus.DECLINED,
          close_reason=reason.strip())
    record(actor, "deal.close", deal, region_code=getattr(deal, f"{side}_region_code"), reason=reason,
           label=_label(deal))


def log_delivery(actor, actor_ids: set[int], deal: Deal, *, delivered_on: date, quantity: int, quality: str,
                 received_by: str, note_photo: bytes | None = None, link: str = "", inbox_url: str = "") -> Delivery:
    """Either side logs a delivery: the remaining quantity goes down at once, in the database, and only if enough
    remains (ExceedsRemaining otherwise). The logging side's confirmation is given; the other side's is awaited."""
    side = deal.side_of(actor_ids)
    if side is None:
        raise OutsideRegion
    if quantity <= 0:
        raise DealRefused(_l("The quantity must be more than 0."))
    photo = None
    if note_photo:
        photo, clean = process_document(note_photo, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
        store_files([(document_name(photo), clean)])
    drawn = db.session.execute(
        update(Deal).where(Deal.id == deal.id, Deal.status == DealStatus.ACTIVE, Deal.remaining >= quantity)
        .values(remaining=Deal.remaining - quantity).execution_options(synchronize_session=False))
    if drawn.rowcount != 1:
        db.session.refresh(deal)
        if deal.status is not DealStatus.ACTIVE:
            raise DealRefused(_l("Deliveries are logged only against an active deal."))
        raise ExceedsRemaining
    delivery = Delivery(deal_id=deal.id, delivered_on=delivered_on, quantity=quantity, quality=quality.strip(),
                        received_by=received_by.strip(), note_photo=photo, logged_by_id=(
                            deal.seller_id if side == "seller" else deal.buyer_id),
                        seller_confirmed=side == "seller", buyer_confirmed=side == "buyer")
    db.session.add(delivery)
    db.session.flush()
    db.session.refresh(deal)
    record(actor, "delivery.log", deal, region_code=getattr(deal, f"{side}_region_code"), label=_label(deal),
           changes={"delivery": [None, delivery.id], "quantity": [None, quantity], "remaining": [None, deal.remaining]})
    _tell(deal, side, "delivery.log", inbox_url, link)
    return delivery


def confirm_delivery(actor, actor_ids: set[int], delivery: Delivery) -> None:
    """The other side confirms the delivery: confirmed by both. A deal with nothing remaining is then completed."""
    deal = delivery.deal
    side = deal.side_of(actor_ids)
    if side is None:
        raise OutsideRegion
    column = Delivery.seller_confirmed if side == "seller" else Delivery.buyer_confirmed
    done = db.session.execute(
        update(Delivery).where(Delivery.id == delivery.id, Delivery.status == DeliveryStatus.LOGGED, column.is_(False))
        .values({column.key: True}).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise AlreadyDecided
    db.session.execute(
        update(Delivery).where(Delivery.id == delivery.id, Delivery.seller_confirmed, Delivery.buyer_confirmed)
        .values(status=DeliveryStatus.CONFIRMED).execution_options(synchronize_session=False))
    db.session.refresh(delivery)
    record(actor, "delivery.confirm", deal, region_code=getattr(deal, f"{side}_region_code"), label=_label(deal),
           changes={"delivery": [None, delivery.id]})
    if delivery.status is DeliveryStatus.CONFIRMED and deal.remaining == 0 and not any(
            d.status is DeliveryStatus.LOGGED for d in deal.deliveries):
        _move(deal, DealStatus.ACTIVE, DealStatus.COMPLETED)


def dispute_delivery(actor, actor_ids: set[int], delivery: Delivery, reason: str) -> None:
    """The other side disputes an unconfirmed delivery: its quantity goes back to the deal."""
    deal = delivery.deal
    side = deal.side_of(actor_ids)
    if side is None:
        raise OutsideRegion
    if delivery.logged_by_id in actor_ids:
        raise DealRefused(_l("The side that did not log the delivery disputes it."))
    if not reason.strip():
        raise ReasonRequired(_l("Say what is wrong with the delivery."))
    done = db.session.execute(
        update(Delivery).where(Delivery.id == delivery.id, Delivery.status == DeliveryStatus.LOGGED)
        .values(status=DeliveryStatus.DISPUTED).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise AlreadyDecided
    db.session.execute(update(Deal).where(Deal.id == deal.id).values(remaining=Deal.remaining + delivery.quantity)
                       .execution_options(synchronize_session=False))
    db.session.refresh(delivery)
    db.session.refresh(deal)
    record(actor, "delivery.dispute", deal, region_code=getattr(deal, f"{side}_region_code"), reason=reason,
           label=_label(deal), changes={"delivery": [None, delivery.id]})

"""Staple goods under an agreement: posts, matches taken up, deals and the volumes agreed against those delivered.

A deal counts under the agreement when its seller and buyer regions are two different party regions (matching
offers deals across regions only under an active staples agreement). Matches: the conversations opened on a match
between posts of two party regions. Delivered: deliveries confirmed by both sides. Volumes in the commodity's base
unit."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from marketplace.extensions import db
from marketplace.reports.tables import Table, share
from marketplace.staples.models import (
    Commodity,
    Deal,
    DealStatus,
    Delivery,
    DeliveryStatus,
    MatchConversation,
    PostKind,
    PostStatus,
    StaplesPost,
)

AGREED = (DealStatus.ACTIVE, DealStatus.COMPLETED, DealStatus.CLOSED)  # confirmed by both sides


def _across(scope):
    return (Deal.seller_region_code.in_(scope.codes), Deal.buyer_region_code.in_(scope.codes),
            Deal.seller_region_code != Deal.buyer_region_code)


def volumes(scope, period) -> list[Table]:
    """Per commodity: offers and needs published, matches taken up, deals agreed, volume agreed and delivered."""
    locale = str(get_locale() or "id")
    names = {c.id: (c.name_en if locale == "en" else c.name_id, c.base_unit) for c in db.session.scalars(select(Commodity))}
    posts = db.session.execute(
        select(StaplesPost.commodity_id, StaplesPost.kind, func.count(StaplesPost.id))
        .where(StaplesPost.region_code.in_(scope.codes), StaplesPost.status == PostStatus.PUBLISHED,
               period.contains(StaplesPost.created_at))
        .group_by(StaplesPost.commodity_id, StaplesPost.kind)).all()
    offer, need = aliased(StaplesPost), aliased(StaplesPost)
    matches = dict(db.session.execute(
        select(offer.commodity_id, func.count()).select_from(MatchConversation)
        .join(offer, offer.id == MatchConversation.offer_id).join(need, need.id == MatchConversation.need_id)
        .where(offer.region_code.in_(scope.codes), need.region_code.in_(scope.codes),
               offer.region_code != need.region_code, period.contains(MatchConversation.created_at))
        .group_by(offer.commodity_id)).all())
    deals = {cid: (n, int(v)) for cid, n, v in db.session.execute(
        select(Deal.commodity_id, func.count(Deal.id), func.sum(Deal.volume))
        .where(*_across(scope), Deal.status.in_(AGREED), period.contains(Deal.confirmed_at))
        .group_by(Deal.commodity_id))}
    delivered = {cid: int(q) for cid, q in db.session.execute(
        select(Deal.commodity_id, func.sum(Delivery.quantity)).join(Deal, Deal.id == Delivery.deal_id)
        .where(*_across(scope), Delivery.status == DeliveryStatus.CONFIRMED, period.contains_day(Delivery.delivered_on))
        .group_by(Deal.commodity_id))}
    counts: dict = {}
    for cid, kind, n in posts:
        counts.setdefault(cid, {})[kind] = n
    commodities = sorted(set(counts) | set(matches) | set(deals) | set(delivered), key=lambda cid: names[cid][0])
    rows = []
    for cid in commodities:
        name, unit = names[cid]
        n_deals, agreed = deals.get(cid, (0, 0))
        rows.append([name, unit, counts.get(cid, {}).get(PostKind.OFFER, 0), counts.get(cid, {}).get(PostKind.NEED, 0),
                     matches.get(cid, 0), n_deals, agreed, delivered.get(cid, 0), share(delivered.get(cid, 0), agreed)])
    return [Table("staples", _l("Staple goods: posts, matches, deals and deliveries"),
                  [_l("Commodity"), _l("Unit"), _l("Offers"), _l("Needs"), _l("Matches taken up"), _l("Deals"),
                   _l("Volume agreed"), _l("Volume delivered"), _l("Delivered of agreed (%)")], rows,
                  chart=(0, (6, 7)))]

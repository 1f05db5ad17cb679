"""Announces a change of what buyers see of a product's offer (its price, its availability, or whether it is public),
whoever made it: an owner's direct edit (price and availability are not reviewed), an approval, an archive, or its
business's verification changing (which turns its products' visibility by a bulk UPDATE). A blinker signal sent after
the flush that wrote the change, with the product's id and the session; features above the catalogue (favourites)
subscribe from their own package, so the catalogue imports none of them."""

from blinker import Namespace
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from marketplace.businesses.models import Business
from marketplace.catalog.models import Product

signals = Namespace()
# offer_changed.send(product_id, session=session): connect with `@offer_changed.connect`; a receiver must not flush
# (it runs inside the flush): register work with unit_of_work.after_commit instead.
offer_changed = signals.signal("catalog.offer-changed")

WATCHED = ("price_min", "price_max", "availability", "public")


@event.listens_for(Session, "after_flush")
def _announce(session: Session, _context) -> None:
    if not offer_changed.receivers:
        return
    changed: set[int] = set()
    for obj in session.dirty:  # still the flush's objects, with their attribute history, in after_flush
        if isinstance(obj, Product):
            attrs = inspect(obj).attrs
            if any(attrs[name].history.has_changes() for name in WATCHED):
                changed.add(obj.id)
        elif isinstance(obj, Business) and inspect(obj).attrs["verification"].history.has_changes():
            changed.update(session.execute(select(Product.id).where(Product.business_id == obj.id)).scalars())
    for product_id in sorted(changed):
        offer_changed.send(product_id, session=session)

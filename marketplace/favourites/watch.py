"""Hooks favourites onto the catalogue's `offer_changed` signal: a change of a saved product's price, availability or
visibility queues the job `check_saved_product` once the change is committed (nothing if it rolls back, nor for a
product nobody saved). The job compares the product with what each user who saved it last saw
(favourites.services.tell_savers), so running it twice, or for a change that is not news, tells nobody anything."""

from contextlib import nullcontext

from flask import current_app, has_request_context, url_for
from sqlalchemy.orm import Session

from marketplace.catalog.models import Product
from marketplace.catalog.offers import offer_changed
from marketplace.extensions import db
from marketplace.favourites.models import SavedProduct
from marketplace.favourites.services import tell_savers
from marketplace.jobs import job, jobs
from marketplace.unit_of_work import after_commit, on_rollback

PENDING = "favourites_to_check"  # Session.info: ids of products whose offer changed in this transaction


@offer_changed.connect
def _check_after_commit(product_id: int, session: Session, **_) -> None:
    saved = session.execute(db.select(db.exists().where(SavedProduct.product_id == product_id))).scalar()
    if not saved:  # nobody to tell: no job
        return
    pending = session.info.get(PENDING)
    if pending is None:
        pending = session.info[PENDING] = set()
        after_commit(_queue_checks, session)
        on_rollback(session.info.pop, PENDING, None)
    pending.add(product_id)


def _queue_checks(session: Session) -> None:
    for product_id in sorted(session.info.pop(PENDING, ())):
        jobs().check_saved_product(product_id)


@job(retries=3)
def check_saved_product(product_id: int) -> int:
    """Tell the users who saved the product what changed for them (one unit of work)."""
    product = db.session.get(Product, product_id)
    if product is None:
        return 0
    # links outside a request (the worker): built for BASE_URL, or for localhost in development
    context = nullcontext() if has_request_context() else current_app.test_request_context(
        "/", base_url=current_app.config.get("BASE_URL") or "http://localhost")
    with context:
        link = url_for("catalog.product", product_id=product.id, slug=product.slug)
        inbox_url = url_for("notifications.index", _external=True)
    return tell_savers(product, link=link, inbox_url=inbox_url)

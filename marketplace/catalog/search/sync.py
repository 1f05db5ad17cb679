"""Keep the index in step with the catalogue without services having to ask.

Session events note, at every flush, which products, businesses and categories changed in a way search can see;
just before the transaction commits, the affected products' index rows are rewritten through the session's own
connection, so the index commits or rolls back together with the change that caused it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import Connection, event, inspect, or_, select
from sqlalchemy.orm import Session, SessionTransaction

from marketplace.businesses.models import Business
from marketplace.catalog.attributes.models import AttributeOption, ProductAttributeValue
from marketplace.catalog.models import Category, Product
from marketplace.catalog.search import index
from marketplace.catalog.search.documents import chunks

# The attributes whose change can change a product's document or whether it is public.
WATCHED: dict[type, tuple[str, ...]] = {
    Product: ("name", "description", "status", "category_id", "category", "business_id", "business"),
    Business: ("name", "verification", "archived_at"),
    Category: ("name_id", "name_en", "parent_id", "parent"),
    ProductAttributeValue: ("value", "option_id"),
    AttributeOption: ("label_id", "label_en"),
}
_CHANGES = "search.changes"
_COMMITTING = "search.committing"
# normalise_query()'s answers, kept for the rest of the transaction (the vocabulary changes only by commits)
TERMS_MEMO = "search.terms"


@dataclass
class Changes:
    """Ids of changed objects, collected over the flushes of one transaction."""

    products: set[int] = field(default_factory=set)
    businesses: set[int] = field(default_factory=set)
    categories: set[int] = field(default_factory=set)
    options: set[int] = field(default_factory=set)

    def add(self, obj: object) -> None:
        state = inspect(obj)
        pk = state.identity[0] if state.identity else state.dict.get("id")
        if pk is None:
            return
        {Product: self.products, Business: self.businesses, Category: self.categories,
         ProductAttributeValue: self.products, AttributeOption: self.options}[type(obj)].add(pk)

    def __bool__(self) -> bool:
        return bool(self.products or self.businesses or self.categories or self.options)


def affected_products(conn: Connection, changes: Changes) -> set[int]:
    """Changed products, plus every product of a changed business or of a changed category or its children."""
    ids = set(changes.products)
    for chunk in chunks(changes.businesses):
        ids.update(conn.scalars(select(Product.id).where(Product.business_id.in_(chunk))))
    for chunk in chunks(changes.categories):
        categories = select(Category.id).where(or_(Category.id.in_(chunk), Category.parent_id.in_(chunk)))
        ids.update(conn.scalars(select(Product.id).where(Product.category_id.in_(categories))))
    for chunk in chunks(changes.options):
        ids.update(conn.scalars(select(ProductAttributeValue.product_id).where(ProductAttributeValue.option_id.in_(chunk))))
    return ids


def _is_watched_change(obj: object) -> bool:
    attrs = WATCHED.get(type(obj))
    if attrs is None:
        return False
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attrs)


def _after_flush(session: Session, _flush_context) -> None:
    # Attribute history still shows what this flush wrote (it is reset only after this event).
    changes: Changes = session.info.setdefault(_CHANGES, Changes())
    for obj in chain(session.new, session.deleted):
        if type(obj) in WATCHED:
            changes.add(obj)
    for obj in session.dirty:
        if _is_watched_change(obj):
            changes.add(obj)


def _sync(session: Session) -> None:
    changes: Changes | None = session.info.pop(_CHANGES, None)
    if changes:
        conn = session.connection()
        index.reindex(conn, affected_products(conn, changes))


def _before_commit(session: Session) -> None:
    # Commit flushes only after this event, so flush here to see everything, and sync once per transaction.
    session.flush()
    _sync(session)
    if not session.in_nested_transaction():
        session.info[_COMMITTING] = True


def _after_flush_postexec(session: Session, _flush_context) -> None:
    # Something flushed after our before_commit (another listener, or the commit's own flush): sync it now.
    if session.info.get(_COMMITTING):
        _sync(session)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        for key in (_CHANGES, _COMMITTING, TERMS_MEMO):
            session.info.pop(key, None)


LISTENERS = {
    "after_flush": _after_flush,
    "after_flush_postexec": _after_flush_postexec,
    "before_commit": _before_commit,
    "after_transaction_end": _after_transaction_end,
}


def listen() -> None:
    """Register the session listeners on every ORM session (idempotent)."""
    for name, listener in LISTENERS.items():
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)

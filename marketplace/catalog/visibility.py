"""Keeps Product.public and Product.region_code true on every flush, whoever changes a product or its business,
and bumps the catalogue generation whenever something buyers could count changes.

"Public" is defined here once: published, and the business verified (not unverified, not suspended) and not archived
(no longer trading: coach/)."""

from sqlalchemy import event, insert, update
from sqlalchemy.orm import Session

from marketplace.businesses.models import Business, Verification
from marketplace.catalog.attributes.models import AttributeOption, CategoryAttribute, ProductAttributeValue
from marketplace.catalog.models import CatalogueState, Category, Product, ProductStatus
from marketplace.certifications.models import Certification
from marketplace.cooperatives.models import CooperativeMember
from marketplace.media.models import Photo
from marketplace.regions.models import Agreement, AgreementParty, AgreementPartyBusiness, AgreementScope, Region

# attribute values and definitions too: the catalogue's facets within a category count them; photos and regions
# because the rendered parts cached under the generation show them; agreements (with their parties, scopes and business
# parties) because they make the partner regions whose products a product page offers as related and a region page
# lists them; cooperative members because the product and business pages' cached parts name a product's producer as
# the member's consent allows (withdrawn: at once nowhere) (catalog/page_cache.py)
COUNTED = (Product, Business, Category, Certification, ProductAttributeValue, CategoryAttribute, AttributeOption,
           Photo, Region, Agreement, AgreementParty, AgreementScope, AgreementPartyBusiness, CooperativeMember)
_watched: tuple[type, ...] = COUNTED


_watched_tables = {model.__table__ for model in COUNTED}


def watch(*models: type) -> None:
    """Bump the generation on changes to these models too: for features above the catalogue (which it may not
    import) whose rows a cached part shows, e.g. the showcases a product page names (showcases/models.py)."""
    global _watched  # a registry filled once, at import time
    _watched = tuple(dict.fromkeys((*_watched, *models)))
    _watched_tables.update(model.__table__ for model in models)


def bump_generation(session: Session) -> None:
    """Invalidate every cached catalogue count and rendered part (also for bulk changes that skip the ORM)."""
    result = session.execute(update(CatalogueState).where(CatalogueState.id == 1)
                             .values(generation=CatalogueState.generation + 1))
    if result.rowcount == 0:
        session.execute(insert(CatalogueState).values(id=1, generation=1))


def is_public(product: Product, business: Business) -> bool:
    return (product.status is ProductStatus.PUBLISHED and business.verification is Verification.VERIFIED
            and business.archived_at is None)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_statements(state) -> None:
    """An INSERT, UPDATE or DELETE statement on a watched table, run without the ORM's objects (a conditional UPDATE
    that takes a booth, a bulk change), bumps the generation as a flush of such objects does."""
    if (state.is_insert or state.is_update or state.is_delete) and getattr(state.statement, "table", None) in _watched_tables:
        bump_generation(state.session)


@event.listens_for(Session, "before_flush")
def _keep_visibility(session: Session, _context, _instances) -> None:
    changed = [obj for obj in (*session.new, *session.dirty, *session.deleted) if isinstance(obj, _watched)]
    if any(obj in session.new or obj in session.deleted or session.is_modified(obj) for obj in changed):
        bump_generation(session)
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Product) and obj.business is not None:
            obj.public = is_public(obj, obj.business)
            obj.region_code = obj.business.region_code
        elif isinstance(obj, Business) and obj.id is not None and session.is_modified(obj):
            # one UPDATE for all of the business's products; loaded ones are refreshed below
            public = obj.verification is Verification.VERIFIED and obj.archived_at is None
            session.execute(
                update(Product).where(Product.business_id == obj.id)
                .values(region_code=obj.region_code,
                        public=(Product.status == ProductStatus.PUBLISHED) if public else False)
                .execution_options(synchronize_session=False)
            )
            for product in session.identity_map.values():
                if isinstance(product, Product) and product.business_id == obj.id:
                    session.expire(product, ["public", "region_code"])

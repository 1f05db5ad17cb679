"""Category and product state changes, shared by the views, the CLI and the demo seed; each function commits."""

from marketplace.accounts.models import Role
from marketplace.businesses.models import Business
from marketplace.catalog.models import (
    CONTENT_FIELDS,
    Availability,
    Category,
    Product,
    ProductRevision,
    ProductStatus,
    RevisionStatus,
)
from marketplace.catalog.reference import CATEGORIES
from marketplace.catalog.status import TransitionRefused, check_transition
from marketplace.extensions import db
from marketplace.media import services as photos
from marketplace.media.models import Photo
from marketplace.media.storage import storage
from marketplace.models_base import utcnow
from marketplace.moderation.audit import diff, record
from marketplace.slugs import make_slug, unique_slug


def load_reference_categories() -> int:
    """Insert or rename the shipped category tree (keyed by slug); returns how many were added."""
    existing = {c.slug: c for c in db.session.scalars(db.select(Category))}
    added = 0

    def upsert(rows, parent):
        nonlocal added
        for position, (slug, name_id, name_en, children) in enumerate(rows):
            category = existing.get(slug)
            if category is None:
                category = Category(slug=slug)
                db.session.add(category)
                added += 1
            category.name_id, category.name_en, category.parent, category.position = name_id, name_en, parent, position
            upsert(children, category)

    upsert(CATEGORIES, None)
    db.session.commit()
    return added


def save_category(actor, category: Category | None, *, name_id: str, name_en: str, parent: Category | None) -> Category:
    """Create or rename/move a category (admin or CLI), with one audit entry."""
    def state(c: Category | None) -> dict:
        return {} if c is None else {"name_id": c.name_id, "name_en": c.name_en, "parent": c.parent.slug if c.parent else None}

    before = state(category)
    creating = category is None
    if creating:
        category = Category(slug=unique_slug(name_id, Category.slug, 80), position=999)
        db.session.add(category)
    if parent is not None and (parent.id == category.id or parent.parent_id is not None):
        raise ValueError("categories are two levels deep: a parent must be a top-level category")
    category.name_id, category.name_en, category.parent = name_id.strip(), name_en.strip(), parent
    db.session.flush()
    record(actor, "category.create" if creating else "category.update", category, region_code=None,
           changes=diff(before, state(category)), label=category.name_id)
    db.session.commit()
    return category


def create_product(
    business: Business, *, category: Category, name: str, description: str = "", price_min: int | None = None,
    price_max: int | None = None, unit: str = "pcs", min_order: int = 1,
    availability: Availability = Availability.READY, attributes: dict | None = None, new_photos: list[Photo] = (),
) -> Product:
    """A new draft product of business, with the owner's staged photos attached."""
    product = Product(
        business=business, category=category, name=name.strip(), slug=make_slug(name, 150), description=description,
        price_min=price_min, price_max=price_max, unit=unit, min_order=min_order, availability=availability,
        attributes=attributes or {}, status=ProductStatus.DRAFT,
    )
    db.session.add(product)
    db.session.flush()
    photos.attach_photos(product, list(new_photos))  # commits
    return product


def content_of(product: Product) -> dict:
    """The reviewable content: the pending revision's if there is one, else the product's own."""
    if product.revision is not None:
        return dict(product.revision.data)
    return {name: getattr(product, name) for name in CONTENT_FIELDS}


def update_product(
    product: Product, *, content: dict, price_min: int | None, price_max: int | None, availability: Availability,
) -> bool:
    """Save an owner's edit. Price and availability apply at once; content changes to a published product
    wait in a revision while the approved version stays public. Returns True when something awaits review."""
    if product.status is ProductStatus.ARCHIVED:
        raise TransitionRefused("restore the product before editing it")
    product.price_min, product.price_max, product.availability = price_min, price_max, availability
    content = {name: content[name] for name in CONTENT_FIELDS}
    content["slug"] = make_slug(content["name"], 150)
    awaits_review = False
    if product.status is ProductStatus.PUBLISHED:
        approved = {name: getattr(product, name) for name in CONTENT_FIELDS}
        if product.revision is not None or any(content[k] != approved[k] for k in CONTENT_FIELDS):
            _open_revision(product, content)
            awaits_review = True
    else:
        for name, value in content.items():
            setattr(product, name, value)
    db.session.commit()
    return awaits_review


def _open_revision(product: Product, content: dict | None = None) -> None:
    """Put (or keep) a published product's edit in the review queue."""
    data = content or content_of(product)
    data.setdefault("slug", product.slug)
    if product.revision is None:
        product.revision = ProductRevision(data=data)
    product.revision.data = data
    product.revision.status = RevisionStatus.PENDING
    product.revision.reason = ""
    product.revision.submitted_at = utcnow()


def add_photos(product: Product, new_photos: list[Photo]) -> bool:
    """Attach staged photos; on a published product they wait for review. Returns True when they do."""
    photos.attach_photos(product, new_photos)
    if product.status is ProductStatus.PUBLISHED and new_photos:
        _open_revision(product)
        db.session.commit()
        return True
    return False


def change_status(product: Product, target: ProductStatus, role: Role, reason: str = "") -> None:
    """Move product through the status machine (catalog.status decides what is allowed)."""
    apply_status(product, target, role, reason)
    db.session.commit()


def apply_status(product: Product, target: ProductStatus, role: Role, reason: str = "") -> None:
    """change_status without the commit, for services that record more in the same transaction."""
    check_transition(product.status, target, role, reason)
    now = utcnow()
    product.status = target
    product.review_reason = reason.strip() if target in (ProductStatus.CHANGES_REQUESTED, ProductStatus.REJECTED) else ""
    if target is ProductStatus.PENDING:
        product.submitted_at = now
    if target is ProductStatus.PUBLISHED:
        product.published_at = product.published_at or now
        for photo in product.photos:
            photo.approved = True
    if target in (ProductStatus.ARCHIVED, ProductStatus.REJECTED) and product.revision is not None:
        db.session.delete(product.revision)
        product.revision = None


def submit_product(product: Product) -> None:
    """The owner sends a draft (or a product sent back) for review; it needs at least one photo."""
    if not product.photos:
        raise TransitionRefused("a product needs at least one photo")
    change_status(product, ProductStatus.PENDING, Role.OWNER)


REVIEW_TARGETS = {
    "approve": (ProductStatus.PUBLISHED, None),
    "request_changes": (ProductStatus.CHANGES_REQUESTED, RevisionStatus.CHANGES_REQUESTED),
    "reject": (ProductStatus.REJECTED, RevisionStatus.REJECTED),
}


def review_product(product: Product, action: str, role: Role, reason: str = "") -> None:
    """A moderator's decision on a pending product or on a published product's pending revision."""
    apply_review(product, action, role, reason)
    db.session.commit()


def under_review(product: Product) -> ProductRevision | Product | None:
    """What a decision would apply to now: the pending revision, the pending product, or nothing."""
    if product.status is ProductStatus.PUBLISHED and product.revision is not None:
        return product.revision if product.revision.status is RevisionStatus.PENDING else None
    return product if product.status is ProductStatus.PENDING else None


def apply_review(product: Product, action: str, role: Role, reason: str = "") -> None:
    """review_product without the commit, for services that record more in the same transaction."""
    product_target, revision_target = REVIEW_TARGETS[action]
    revision = product.revision
    if product.status is ProductStatus.PUBLISHED and revision is not None:
        if revision.status is not RevisionStatus.PENDING:
            raise TransitionRefused("this edit has already been decided")
        check_transition(ProductStatus.PENDING, product_target, role, reason)
        if action == "approve":
            for name, value in revision.data.items():
                setattr(product, name, value)
            for photo in product.photos:
                photo.approved = True
            db.session.delete(revision)
            product.revision = None
        else:
            revision.status, revision.reason = revision_target, reason.strip()
        return
    apply_status(product, product_target, role, reason)


def delete_product(product: Product) -> None:
    """Delete a product with its photos, and their files once no other photo uses them."""
    names = photos.files_of(list(product.photos))
    db.session.delete(product)
    db.session.commit()
    storage().delete(names)

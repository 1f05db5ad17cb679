"""Category and product state changes, shared by the views, the CLI and the demo seed. They change objects and
flush; the unit of work of the request or command commits (marketplace/unit_of_work.py)."""

from collections.abc import Iterable

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Role
from marketplace.audit import diff, record
from marketplace.businesses.models import Business
from marketplace.catalog.attributes.definitions import missing_required
from marketplace.catalog.attributes.services import set_values
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
from marketplace.cooperatives.services import check_member
from marketplace.domain import AlreadyDecided, DomainError
from marketplace.extensions import db
from marketplace.media import services as photos
from marketplace.media.models import Photo
from marketplace.models_base import utcnow
from marketplace.slugs import make_slug, unique_slug
from marketplace.unit_of_work import flush


class CategoryTooDeep(DomainError):
    """Categories are two levels deep: a parent must be a top-level category other than the category itself."""

    status = 422
    message = _l("A parent must be a top-level category other than this one.")


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
    db.session.flush()
    return added


def save_category(actor, category: Category | None, *, name_id: str, name_en: str, parent: Category | None) -> Category:
    """Create or rename/move a category (admin or CLI), with one audit entry; raises CategoryTooDeep."""
    def state(c: Category | None) -> dict:
        return {} if c is None else {"name_id": c.name_id, "name_en": c.name_en, "parent": c.parent.slug if c.parent else None}

    if parent is not None and ((category is not None and parent.id == category.id) or parent.parent_id is not None):
        raise CategoryTooDeep
    before = state(category)
    creating = category is None
    if creating:
        category = Category(slug=unique_slug(name_id, Category.slug, 80), position=999)
        db.session.add(category)
    category.name_id, category.name_en, category.parent = name_id.strip(), name_en.strip(), parent
    db.session.flush()
    record(actor, "category.create" if creating else "category.update", category, region_code=None,
           changes=diff(before, state(category)), label=category.name_id)
    return category


def create_product(
    business: Business, *, category: Category, name: str, description: str = "", price_min: int | None = None,
    price_max: int | None = None, unit: str = "pcs", min_order: int = 1,
    availability: Availability = Availability.READY, attributes: dict | None = None, new_photos: Iterable[Photo] = (),
    member_id: int | None = None,
) -> Product:
    """A new draft product of business, with the owner's staged photos attached (raises PhotoLimitReached); member_id
    names the cooperative's member who produced it (raises NotAMember unless an active member of business)."""
    check_member(business, member_id)
    product = Product(member_id=member_id,
        business=business, category=category, name=name.strip(), slug=make_slug(name, 150), description=description,
        price_min=price_min, price_max=price_max, unit=unit, min_order=min_order, availability=availability,
        status=ProductStatus.DRAFT,
    )
    db.session.add(product)
    db.session.flush()
    set_values(product, attributes)
    photos.attach_photos(product, list(new_photos))
    db.session.flush()
    return product


def content_of(product: Product) -> dict:
    """The reviewable content: the pending revision's if there is one, else the product's own."""
    if product.revision is not None:
        return dict(product.revision.data)
    return {name: getattr(product, name) for name in CONTENT_FIELDS}


def apply_content(product: Product, content: dict) -> None:
    """Write reviewable content into the product row: the fields, then the attributes (checked against the category
    the content names, so the category goes first)."""
    for name, value in content.items():
        if name != "attributes":
            setattr(product, name, value)
    if "attributes" in content:
        set_values(product, content["attributes"])


def update_product(
    product: Product, *, content: dict, price_min: int | None, price_max: int | None, availability: Availability,
    new_photos: Iterable[Photo] = (),
) -> bool:
    """Save an owner's edit, with staged photos to add. Price and availability apply at once; content changes and new
    photos of a published product wait in a revision while the approved version stays public. Returns True when
    something awaits review."""
    if product.status is ProductStatus.ARCHIVED:
        raise TransitionRefused(_l("Restore the product before editing it."))
    product.price_min, product.price_max, product.availability = price_min, price_max, availability
    content = {name: content[name] if name in content else getattr(product, name) for name in CONTENT_FIELDS}
    if content["member_id"] != product.member_id:
        check_member(product.business, content["member_id"])
    content["slug"] = make_slug(content["name"], 150)
    awaits_review = False
    if product.status is ProductStatus.PUBLISHED:
        approved = {name: getattr(product, name) for name in CONTENT_FIELDS}
        if product.revision is not None or any(content[k] != approved[k] for k in CONTENT_FIELDS):
            _open_revision(product, content)
            awaits_review = True
    else:
        apply_content(product, content)
    awaits_review = _add_photos(product, list(new_photos)) or awaits_review
    db.session.flush()
    return awaits_review


def update_photos(product: Product, *, alt_texts: dict[int, str], order: list[int], delete: Iterable[int],
                  new: list[Photo]) -> tuple[bool, int]:
    """The photos page: describe, reorder (the first is the cover) and delete the product's photos, then attach as
    many staged photos as fit (the rest are deleted). On a published product new photos wait for review.
    Returns (whether something awaits review, how many new photos were refused for want of room)."""
    alt_in_review = _set_alt_texts(product, alt_texts)
    photos.reorder_photos(product, order)
    doomed = set(delete)
    photos.delete_photos([photo for photo in product.photos if photo.id in doomed])
    room = max(0, photos.MAX_PHOTOS - len(product.photos))
    refused = new[room:]
    photos.delete_photos(refused)
    in_review = _add_photos(product, new[:room])
    db.session.flush()
    return in_review or alt_in_review, len(refused)


def _set_alt_texts(product: Product, alt_texts: dict[int, str]) -> bool:
    """Describe the photos. Buyers read an approved photo's alt text on a published product, so a change of it waits in
    the product's revision (approving copies it in); other photos are not public and change at once. Returns True
    when this opened or changed the edit awaiting review."""
    if product.status is not ProductStatus.PUBLISHED:
        photos.set_alt_texts(product, alt_texts)
        return False
    public = {photo.id: photo for photo in product.photos if photo.approved}
    photos.set_alt_texts(product, {i: text for i, text in alt_texts.items() if i not in public})
    before = dict(product.revision.data.get("alt_texts", {})) if product.revision is not None else {}
    proposed = dict(before)
    for photo_id, text in alt_texts.items():
        if photo_id in public:
            text = text.strip()[:200]
            if text == public[photo_id].alt_text:
                proposed.pop(str(photo_id), None)
            else:
                proposed[str(photo_id)] = text
    if proposed == before:
        return False
    _open_revision(product)
    product.revision.data = {**product.revision.data, "alt_texts": proposed}
    return True


def _add_photos(product: Product, new_photos: list[Photo]) -> bool:
    """Attach staged photos; on a published product they wait for review. Returns True when they do."""
    photos.attach_photos(product, new_photos)
    if product.status is ProductStatus.PUBLISHED and new_photos:
        _open_revision(product)
        return True
    return False


def _open_revision(product: Product, content: dict | None = None) -> None:
    """Put (or keep) a published product's edit in the review queue."""
    data = content or content_of(product)
    data.setdefault("slug", product.slug)
    if product.revision is not None and "alt_texts" in product.revision.data:  # an edit of the content keeps them
        data.setdefault("alt_texts", product.revision.data["alt_texts"])
    if product.revision is None:
        product.revision = ProductRevision(data=data)
    product.revision.data = data
    product.revision.status = RevisionStatus.PENDING
    product.revision.reason = ""
    product.revision.submitted_at = utcnow()


def change_status(product: Product, target: ProductStatus, role: Role, reason: str = "") -> None:
    """Move product through the status machine (catalog.status decides what is allowed; raises TransitionRefused,
    or AlreadyDecided when someone changed the product at the same moment)."""
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
    flush()


def submit_product(product: Product) -> None:
    """The owner sends a draft (or a product sent back) for review; it needs at least one photo."""
    if not product.photos:
        raise TransitionRefused(_l("Add at least one photo, then send it for review."))
    missing = missing_required(product.category_id, product.attributes)
    if missing:
        raise TransitionRefused(_l("Fill in what the category requires, then send it for review: %(names)s.",
                                   names=", ".join(a.name(str(get_locale() or "id")) for a in missing)))
    change_status(product, ProductStatus.PENDING, Role.OWNER)


REVIEW_TARGETS = {
    "approve": (ProductStatus.PUBLISHED, None),
    "request_changes": (ProductStatus.CHANGES_REQUESTED, RevisionStatus.CHANGES_REQUESTED),
    "reject": (ProductStatus.REJECTED, RevisionStatus.REJECTED),
}


def under_review(product: Product) -> ProductRevision | Product | None:
    """What a decision would apply to now: the pending revision, the pending product, or nothing."""
    if product.status is ProductStatus.PUBLISHED and product.revision is not None:
        return product.revision if product.revision.status is RevisionStatus.PENDING else None
    return product if product.status is ProductStatus.PENDING else None


def review_product(product: Product, action: str, role: Role, reason: str = "") -> None:
    """A moderator's decision on a pending product or on a published product's pending revision."""
    product_target, revision_target = REVIEW_TARGETS[action]
    revision = product.revision
    if product.status is ProductStatus.PUBLISHED and revision is not None:
        if revision.status is not RevisionStatus.PENDING:
            raise TransitionRefused(AlreadyDecided.message)
        check_transition(ProductStatus.PENDING, product_target, role, reason)
        if action == "approve":
            content = dict(revision.data)
            alt_texts = content.pop("alt_texts", {})  # photo id (as text) -> proposed alt text
            apply_content(product, content)
            for photo in product.photos:
                photo.approved = True
                photo.alt_text = alt_texts.get(str(photo.id), photo.alt_text)
            db.session.delete(revision)
            product.revision = None
        else:
            revision.status, revision.reason = revision_target, reason.strip()
        flush()
        return
    change_status(product, product_target, role, reason)


def delete_product(product: Product) -> None:
    """Delete a product with its photos; their files go once the deletion is committed and no other photo uses them."""
    names = photos.files_of(list(product.photos))
    db.session.delete(product)
    db.session.flush()
    photos.delete_files(names)

"""The listing coach's quality score, computed here and nowhere else: 0-100 per product, with the next best actions
in plain words, most valuable first. Private: shown to the product's owner and the region's moderators, never to
buyers, and never used to order anything buyers see.

What counts (points): photos (20: one 10, two 15, three or more 20); their size (10: every photo at least
MIN_PHOTO_SIDE px on its longer side); their light (10: none too dark) and focus (10: none blurred), from the hints
the photo job measured on the 320 px rendition (media/hints.py; a photo not yet measured costs nothing); the
description (20: GOOD_WORDS words, 10 from SHORT_WORDS); the category's attributes filled (10); a price and a unit
(10); a verified halal or P-IRT certificate where the category is food (10). The owner is scored on what they are
working on: a published product's pending edit, when there is one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

from marketplace.catalog.attributes.models import CategoryAttribute, ProductAttributeValue
from marketplace.catalog.models import Category, ProductRevision
from marketplace.certifications.models import Certification, CertType
from marketplace.certifications.queries import badge_worthy
from marketplace.coach.attributes import expects_food_certificate, required_by_category
from marketplace.extensions import db
from marketplace.media.models import Photo

MIN_PHOTO_SIDE = 800
DARK_BELOW = 50.0  # mean luminance (0-255) of the 320 px rendition
BLURRED_BELOW = 50.0  # variance of the Laplacian of the 320 px rendition; sharp photos measure in the hundreds
GOOD_WORDS, SHORT_WORDS = 40, 15
FOOD_CERTIFICATES = (CertType.HALAL, CertType.PIRT)


@dataclass(frozen=True)
class Hint:
    """One next best action: a code (stable, for tests and logs) and the sentence, translated when shown."""

    code: str
    text: LazyString

    def __str__(self) -> str:
        return str(self.text)


@dataclass
class Quality:
    score: int = 0
    hints: list[Hint] = field(default_factory=list)

    @property
    def level(self) -> str:
        """"good", "fair" or "poor": the badge's colour class."""
        return "good" if self.score >= 80 else "fair" if self.score >= 50 else "poor"

    def codes(self) -> list[str]:
        return [hint.code for hint in self.hints]


def score_products(products, on: date) -> dict[int, Quality]:
    """Product id -> Quality for every product given, in a fixed number of queries whatever their number (photos,
    categories, pending edits, food certificates: one each)."""
    products = list(products)
    if not products:
        return {}
    ids = [product.id for product in products]
    photos = defaultdict(list)
    for photo in db.session.scalars(db.select(Photo).where(Photo.product_id.in_(ids))
                                    .order_by(Photo.product_id, Photo.position, Photo.id)):
        photos[photo.product_id].append(photo)
    edits = dict(db.session.execute(db.select(ProductRevision.product_id, ProductRevision.data)
                                    .where(ProductRevision.product_id.in_(ids))).all())
    tops = _top_category_slugs()
    required = required_by_category()
    values = defaultdict(dict)  # product id -> attribute code -> value, for all of them in one query
    for product_id, code, value in db.session.execute(
            db.select(ProductAttributeValue.product_id, CategoryAttribute.code, ProductAttributeValue.value)
            .join(CategoryAttribute, CategoryAttribute.id == ProductAttributeValue.attribute_id)
            .where(ProductAttributeValue.product_id.in_(ids))):
        values[product_id][code] = value
    certified = _food_certified({product.business_id for product in products}, on)
    return {
        product.id: _score(product, photos[product.id], {"attributes": values[product.id], **(edits.get(product.id) or {})},
                           tops, required, certified)
        for product in products
    }


def score_product(product, on: date) -> Quality:
    """The Quality of one product (score_products for a single one)."""
    return score_products([product], on)[product.id]


def _top_category_slugs() -> dict[int, str]:
    """Category id -> the slug of its top category (the tree has two levels; the table is small)."""
    rows = db.session.execute(db.select(Category.id, Category.parent_id, Category.slug)).all()
    slug_of = {row.id: row.slug for row in rows}
    return {row.id: slug_of.get(row.parent_id, row.slug) if row.parent_id else row.slug for row in rows}


def _food_certified(business_ids: set[int], on: date) -> set[tuple[int, int | None]]:
    """(business id, product id or None for the whole business) of every badge-worthy halal or P-IRT certificate."""
    rows = db.session.execute(
        db.select(Certification.business_id, Certification.product_id)
        .where(Certification.business_id.in_(business_ids), Certification.cert_type.in_(FOOD_CERTIFICATES),
               badge_worthy(on)))
    return {(business_id, product_id) for business_id, product_id in rows}


def _score(product, photos: list[Photo], edit: dict, tops: dict[int, str], required: dict, certified: set) -> Quality:
    quality = Quality()
    content = {name: edit[name] if name in edit else getattr(product, name)
               for name in ("description", "category_id", "unit", "attributes")}
    top = tops.get(content["category_id"], "")

    def earn(points: int, hint: Hint | None = None) -> None:
        quality.score += points
        if hint is not None:
            quality.hints.append(hint)

    count = len(photos)
    earn(*{0: (0, Hint("photo.none", _l("Add a photo of the product: listings without one are rarely opened."))),
           1: (10, Hint("photo.second", _l("Add a second photo: another side, the packaging or the product in use."))),
           2: (15, Hint("photo.third", _l("Add a third photo that shows a detail: texture, size or label.")))}
         .get(count, (20,)))
    if count:
        small = [n for n, photo in enumerate(photos, 1) if max(photo.width, photo.height) < MIN_PHOTO_SIDE]
        dark = [n for n, photo in enumerate(photos, 1) if photo.mean_luminance is not None
                and photo.mean_luminance < DARK_BELOW]
        blurred = [n for n, photo in enumerate(photos, 1) if photo.sharpness is not None
                   and photo.sharpness < BLURRED_BELOW]
        photo_hints = [
            (dark, Hint("photo.dark", _l("Photo %(n)d is too dark: take it again in daylight, near a window.",
                                         n=dark[0] if dark else 0))),
            (blurred, Hint("photo.blurred", _l(
                "Photo %(n)d looks blurred: hold the phone still and tap the product on the screen to focus.",
                n=blurred[0] if blurred else 0))),
            (small, Hint("photo.small", _l("Photo %(n)d is small: use one at least %(side)d pixels wide.",
                                           n=small[0] if small else 0, side=MIN_PHOTO_SIDE))),
        ]
        for found, hint in photo_hints:
            earn(0, hint) if found else earn(10)
    words = len((content["description"] or "").split())
    if words >= GOOD_WORDS:
        earn(20)
    else:
        earn(10 if words >= SHORT_WORDS else 0, Hint("description.short", _l(
            "Write a longer description (%(words)d words now, aim for %(target)d): material, size, taste or how it "
            "is used.", words=words, target=GOOD_WORDS)))
    attributes = content["attributes"] or {}
    missing = [attribute for attribute in required.get(content["category_id"], [])
               if not str(attributes.get(attribute.code) or "").strip()]
    if missing:
        labels = LazyString(lambda: ", ".join(a.name(str(get_locale() or "id")) for a in missing))
        earn(0, Hint("attributes.missing", _l("Fill in the details buyers of this category look for: %(fields)s.",
                                              fields=labels)))
    else:
        earn(10)
    if product.price_min is None or not content["unit"]:
        earn(0, Hint("price.missing", _l("Give a price and a unit: buyers skip products without one.")))
    else:
        earn(10)
    if expects_food_certificate(top) and not ({(product.business_id, None), (product.business_id, product.id)}
                                              & certified):
        earn(0, Hint("certificate.food", _l(
            "Add your halal or P-IRT certificate and have it verified: buyers of food look for the badge.")))
    else:
        earn(10)
    return quality

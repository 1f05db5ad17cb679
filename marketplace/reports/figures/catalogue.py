"""Businesses by size class and verification state, products by category and state, and certification coverage."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, union
from sqlalchemy.orm import aliased

from marketplace.businesses.models import Business, SizeClass, Verification
from marketplace.catalog.models import Category, Product, ProductStatus
from marketplace.certifications.models import Certification, CertType
from marketplace.certifications.queries import badge_worthy
from marketplace.extensions import db
from marketplace.reports.tables import Table, share
from marketplace.timeutil import today

# the top categories whose products the coverage counts, and the certificates that cover them
COVERAGE = (
    ("food", _l("Food and drink with a verified halal or P-IRT certificate"), ("makanan-olahan", "minuman"),
     (CertType.HALAL, CertType.PIRT)),
    ("batik", _l("Batik with a verified SNI certificate or Batikmark"), ("batik",), (CertType.SNI, CertType.BATIK_MARK)),
)


def businesses(scope, period) -> list[Table]:
    """Businesses of the region(s) now (not archived), by size class and verification state."""
    counts = dict(((size, state), n) for size, state, n in db.session.execute(
        select(Business.size_class, Business.verification, func.count(Business.id))
        .where(Business.region_code.in_(scope.codes), Business.archived_at.is_(None))
        .group_by(Business.size_class, Business.verification)))
    states = list(Verification)
    rows = [[str(size.label), *[counts.get((size, state), 0) for state in states],
             sum(counts.get((size, state), 0) for state in states)] for size in SizeClass]
    return [Table("businesses", _l("Businesses by size class and verification"),
                  [_l("Size class"), *[state.label for state in states], _l("Total")], rows,
                  chart=(0, tuple(range(1, len(states) + 1))))]


def products(scope, period) -> list[Table]:
    """Products of the region(s) now, by top category and state: counted per category and state from the index
    (region, status, category) alone, then the few grouped rows added up under their top category."""
    counts = db.session.execute(
        select(Product.category_id, Product.status, func.count())
        .where(Product.region_code.in_(scope.codes)).group_by(Product.category_id, Product.status)).all()
    locale = str(get_locale() or "id")
    categories = list(db.session.scalars(select(Category)))
    top_of = {c.id: c.parent_id or c.id for c in categories}
    names = {c.id: c.name(locale) for c in categories if c.parent_id is None}
    by_category: dict[int, dict] = {}
    for category_id, status, n in counts:
        cells = by_category.setdefault(top_of.get(category_id, category_id), {})
        cells[status] = cells.get(status, 0) + n
    states = list(ProductStatus)
    rows = [[names.get(category_id, "?"), *[cells.get(state, 0) for state in states], sum(cells.values())]
            for category_id, cells in sorted(by_category.items(), key=lambda item: names.get(item[0], ""))]
    return [Table("products", _l("Products by category and state"),
                  [_l("Category"), *[state.label for state in states], _l("Total")], rows,
                  chart=(0, (states.index(ProductStatus.PUBLISHED) + 1,)))]


def coverage(scope, period) -> list[Table]:
    """Of the public products in the food and batik categories, the share with a certificate that shows a badge (of
    the product itself, or of its business as a whole). The public products are counted per category in one query
    that reads an index (public, region, category); the certified ones are found from the certificates (far fewer
    than the products), not by looking up each product's business."""
    on = today()
    parent = aliased(Category)
    slugs_of = {category_id: {slug, parent_slug} for category_id, slug, parent_slug in db.session.execute(
        select(Category.id, Category.slug, parent.slug).outerjoin(parent, parent.id == Category.parent_id))}
    public = (Product.public, Product.region_code.in_(scope.codes))
    per_category = dict(db.session.execute(
        select(Product.category_id, func.count()).where(*public).group_by(Product.category_id)).all())
    rows = []
    for _key, label, slugs, types in COVERAGE:
        categories = [category_id for category_id, names in slugs_of.items() if names & set(slugs)]
        total = sum(per_category.get(category_id, 0) for category_id in categories)
        badge = (badge_worthy(on), Certification.cert_type.in_(types))
        certified = union(
            select(Product.id).join(Certification, Certification.business_id == Product.business_id)
            .where(*badge, Certification.product_id.is_(None)),
            select(Certification.product_id).where(*badge, Certification.product_id.is_not(None)))
        covered = db.session.scalar(select(func.count(Product.id)).where(
            *public, Product.category_id.in_(categories), Product.id.in_(certified)))
        rows.append([str(label), total, covered, share(covered, total)])
    return [Table("coverage", _l("Certification coverage"),
                  [_l("Products"), _l("Public products"), _l("Certified"), _l("Share certified (%)")], rows,
                  chart=(0, (3,)))]

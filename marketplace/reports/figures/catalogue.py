"""Businesses by size class and verification state, products by category and state, and certification coverage."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
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


def _top_category():
    return func.coalesce(Category.parent_id, Category.id)


def products(scope, period) -> list[Table]:
    """Products of the region(s) now, by top category and state."""
    top = _top_category()
    counts = db.session.execute(
        select(top, Product.status, func.count(Product.id)).join(Category, Category.id == Product.category_id)
        .where(Product.region_code.in_(scope.codes)).group_by(top, Product.status)).all()
    locale = str(get_locale() or "id")
    names = {c.id: c.name(locale) for c in db.session.scalars(select(Category).where(Category.parent_id.is_(None)))}
    by_category: dict[int, dict] = {}
    for category_id, status, n in counts:
        by_category.setdefault(category_id, {})[status] = n
    states = list(ProductStatus)
    rows = [[names.get(category_id, "?"), *[cells.get(state, 0) for state in states], sum(cells.values())]
            for category_id, cells in sorted(by_category.items(), key=lambda item: names.get(item[0], ""))]
    return [Table("products", _l("Products by category and state"),
                  [_l("Category"), *[state.label for state in states], _l("Total")], rows,
                  chart=(0, (states.index(ProductStatus.PUBLISHED) + 1,)))]


def coverage(scope, period) -> list[Table]:
    """Of the public products in the food and batik categories, the share with a certificate that shows a badge (of
    the product itself, or of its business as a whole)."""
    on = today()
    rows = []
    parent = aliased(Category)
    for _key, label, slugs, types in COVERAGE:
        certified = exists().where(
            Certification.business_id == Product.business_id, Certification.cert_type.in_(types), badge_worthy(on),
            or_(Certification.product_id.is_(None), Certification.product_id == Product.id))
        in_categories = or_(Category.slug.in_(slugs), parent.slug.in_(slugs))
        total, covered = db.session.execute(
            select(func.count(Product.id), func.count(Product.id).filter(certified))
            .join(Category, Category.id == Product.category_id).outerjoin(parent, parent.id == Category.parent_id)
            .where(Product.region_code.in_(scope.codes), Product.public, and_(in_categories))).one()
        rows.append([str(label), total, covered, share(covered, total)])
    return [Table("coverage", _l("Certification coverage"),
                  [_l("Products"), _l("Public products"), _l("Certified"), _l("Share certified (%)")], rows,
                  chart=(0, (3,)))]

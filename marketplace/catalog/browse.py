"""The public catalogue: filters, sorting, paging and facet counts over public products, in a fixed number of queries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date

from flask import current_app
from sqlalchemy import func, union_all
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from marketplace.businesses.models import Business
from marketplace.catalog.models import CatalogueState, Category, Product
from marketplace.catalog.queries import public_products
from marketplace.certifications.models import Certification, CertType
from marketplace.certifications.queries import badge_worthy
from marketplace.extensions import cache, db

PAGE_SIZE = 24
MAX_PAGE = 500
SORTS = ("relevance", "newest", "price_asc", "price_desc")


def _int(value: str | None, low: int = 0, high: int = 10**12) -> int | None:
    """A lenient int from a query argument: anything unusable is simply no filter, and a huge number is the highest."""
    digits = (value or "").replace(".", "").strip()
    if not digits.isascii() or not digits.isdigit():  # "²" is a digit to isdigit() but not to int()
        return None
    digits = digits.lstrip("0") or "0"
    return high if len(digits) > len(str(high)) else max(low, min(int(digits), high))


@dataclass(frozen=True)
class Filters:
    q: str = ""
    region: str = ""
    category: str = ""
    cert: str = ""
    min_price: int | None = None
    max_price: int | None = None
    sort: str = "newest"
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> Filters:
        """Read the catalogue's query string; unknown or malformed values are ignored, never an error."""
        q = " ".join((args.get("q") or "").split())[:1000]
        sort = args.get("sort") if args.get("sort") in SORTS else ("relevance" if q else "newest")
        cert = args.get("cert") if args.get("cert") in {t.value for t in CertType} else ""
        return cls(
            q=q, region=(args.get("region") or "")[:5], category=(args.get("category") or "")[:80], cert=cert,
            min_price=_int(args.get("min_price")), max_price=_int(args.get("max_price")), sort=sort,
            page=_int(args.get("page"), 1, MAX_PAGE) or 1,
        )

    def args(self, **changes) -> dict:
        """The query arguments of these filters with some changed (None removes one): for links that keep the rest."""
        values = {**self.__dict__, **changes}
        default_sort = "relevance" if values["q"] else "newest"
        return {k: v for k, v in values.items()
                if v not in (None, "") and not (k == "page" and v == 1) and not (k == "sort" and v == default_sort)}

    @property
    def active(self) -> bool:
        return bool(self.q or self.region or self.category or self.cert or self.min_price is not None
                    or self.max_price is not None)


def badged_products(on: date, cert_type: str | CertType | None = None):
    """(cert_type, product_id) of every product showing a badge (certifications.queries.badge_worthy): of the
    product itself or of its business. Read from the few certificates outward, never by testing every product."""
    valid = [badge_worthy(on)]
    if cert_type:
        valid.append(Certification.cert_type == CertType(cert_type))
    own = db.select(Certification.cert_type, Certification.product_id.label("product_id")).where(
        Certification.product_id.is_not(None), *valid)
    of_business = (
        db.select(Certification.cert_type, Product.id.label("product_id"))
        .join(Product, Product.business_id == Certification.business_id)
        .where(Certification.product_id.is_(None), *valid)
    )
    return union_all(own, of_business).subquery()


def category_ids(slug: str) -> list[int]:
    """The category with this slug and its subcategories (empty when there is no such category)."""
    category = db.session.scalar(db.select(Category).where(Category.slug == slug))
    if category is None:
        return []
    return [category.id] + list(db.session.scalars(db.select(Category.id).where(Category.parent_id == category.id)))


@dataclass
class Catalogue:
    filters: Filters
    items: list[Product] = field(default_factory=list)
    total: int = 0
    facets: dict[str, dict] = field(default_factory=dict)
    per_page: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _match(q: str, ranked: bool = True):
    if not q:
        return None
    from marketplace.catalog import search

    return search.match(q, ranked=ranked)


def _filtered(filters: Filters, on: date, match, skip: str = "", categories: list[int] | None = None):
    stmt = public_products()
    if match is not None:
        stmt = stmt.join(match, match.c.product_id == Product.id)
    if filters.region and skip != "region":
        stmt = stmt.where(Product.region_code == filters.region)
    if filters.category and skip != "category":
        stmt = stmt.where(Product.category_id.in_(categories or [-1]))
    if filters.cert and skip != "cert":
        stmt = stmt.where(Product.id.in_(db.select(badged_products(on, filters.cert).c.product_id)))
    if filters.min_price is not None:
        stmt = stmt.where(Product.price_min >= filters.min_price)
    if filters.max_price is not None:
        stmt = stmt.where(Product.price_min <= filters.max_price)
    return stmt


def _order(stmt, filters: Filters, match):
    if filters.sort == "relevance" and match is not None:
        return stmt.order_by(match.c.rank, Product.id.desc())
    if filters.sort == "price_asc":
        return stmt.order_by(Product.price_min.is_(None), Product.price_min, Product.id.desc())
    if filters.sort == "price_desc":
        return stmt.order_by(Product.price_min.is_(None), Product.price_min.desc(), Product.id.desc())
    return stmt.order_by(Product.published_at.desc(), Product.id.desc())


def browse(filters: Filters, on: date, per_page: int | None = None) -> Catalogue:
    """One page of results (PAGE_SIZE of them unless per_page says) with facet counts that respect the other active
    filters."""
    per_page = per_page or PAGE_SIZE
    catalogue = Catalogue(filters=filters, per_page=per_page)
    match = _match(filters.q)
    if filters.q and match is None:
        return catalogue  # nothing searchable in q
    categories = category_ids(filters.category) if filters.category else None
    catalogue.total, catalogue.facets = _counts(filters, on, categories, _generation())
    page = (
        _order(_filtered(filters, on, match, categories=categories), filters, match)
        .options(selectinload(Product.photos), selectinload(Product.business).selectinload(Business.region))
        .limit(per_page).offset((filters.page - 1) * per_page)
    )
    catalogue.items = list(db.session.scalars(page))
    return catalogue


def region_total(region_code: str, on: date) -> int:
    """How many public products a region has, from the catalogue's cached counts (for region pages)."""
    return _counts(Filters(region=region_code), on, None, _generation())[0]


def _generation() -> int:
    return db.session.scalar(db.select(CatalogueState.generation).where(CatalogueState.id == 1))


def _cached(key, compute):
    """A count grid from the cache (see _counts), or computed and stored there.

    Exact, not time-based: any change buyers could count bumps the generation that every key holds
    (catalog/visibility.py), and the generation is read from the database on every request. A cache that is
    down costs only speed."""
    name = "counts:" + hashlib.sha256(repr(key).encode()).hexdigest()
    try:
        value = cache.get(name)
    except Exception:  # Redis away: count without it
        current_app.logger.warning("catalogue cache unavailable", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(name, value)
        except Exception:
            current_app.logger.warning("catalogue cache unavailable", exc_info=True)
    return value


def _counts(filters: Filters, on: date, categories: list[int] | None, generation: int) -> tuple[int, dict[str, dict]]:
    """The total and the facets (per region, top-level category and certificate type, each without its own filter).

    All of them are sums over two small grids of counts per (region, category), which leave the region and category
    filters out: so the grids are shared by every region and category a buyer clicks through for the same words,
    certificate and prices, and counted once per catalogue generation."""
    base = replace(filters, region="", category="", page=1, sort="")
    grid = _cached(("grid", generation, on, base), lambda: _grid(base, on))
    cert_grid = _cached(("cert grid", generation, on, replace(base, cert="")), lambda: _cert_grid(replace(base, cert=""), on))
    top_of = _cached(("top categories", generation), lambda: dict(db.session.execute(
        db.select(Category.id, func.coalesce(Category.parent_id, Category.id))).all()))
    wanted = set(categories or [])

    def in_region(region: str) -> bool:
        return not filters.region or region == filters.region

    def in_category(category_id: int) -> bool:
        return not filters.category or category_id in wanted

    total, by_region, by_category, by_cert = 0, {}, {}, {}
    for (region, category_id), count in grid.items():
        if in_category(category_id):
            by_region[region] = by_region.get(region, 0) + count
            if in_region(region):
                total += count
        if in_region(region):
            top = top_of[category_id]
            by_category[top] = by_category.get(top, 0) + count
    for (region, category_id, cert_type), count in cert_grid.items():
        if in_region(region) and in_category(category_id):
            by_cert[cert_type] = by_cert.get(cert_type, 0) + count
    return total, {"region": by_region, "category": by_category, "cert": by_cert}


def _grid(filters: Filters, on: date) -> dict[tuple[str, int], int]:
    """Matching public products per (region, category), under the filters given (not region or category)."""
    # counting needs the matching rows, not their rank: the unranked match is cheaper
    stmt = _filtered(filters, on, _match(filters.q, ranked=False)).with_only_columns(
        Product.region_code, Product.category_id, func.count(Product.id)).group_by(
        Product.region_code, Product.category_id).order_by(None)
    return {(region, category_id): count for region, category_id, count in db.session.execute(stmt)}


def _cert_grid(filters: Filters, on: date) -> dict[tuple[str, int, CertType], int]:
    """Matching public products per (region, category, certificate type) they show a badge of (the type keys the
    facet, its .label names it)."""
    badged = badged_products(on)
    stmt = (
        _filtered(filters, on, _match(filters.q, ranked=False))
        .join(badged, badged.c.product_id == Product.id)
        .with_only_columns(Product.region_code, Product.category_id, badged.c.cert_type, func.count(func.distinct(Product.id)))
        .group_by(Product.region_code, Product.category_id, badged.c.cert_type).order_by(None)
    )
    return {(region, category_id, CertType(cert)): count for region, category_id, cert, count in db.session.execute(stmt)}


def loosen(filters: Filters) -> list[tuple[str, dict]]:
    """For an empty result: each active filter with the arguments of the same search without it."""
    options = []
    for name in ("q", "region", "category", "cert", "min_price", "max_price"):
        if getattr(filters, name) not in (None, ""):
            options.append((name, replace(filters, **{name: None if "price" in name else "", "page": 1}).args()))
    return options

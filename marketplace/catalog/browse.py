"""The public catalogue: filters, sorting, paging and facet counts over public products, in a fixed number of queries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date

from flask import current_app
from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.orm import selectinload

from marketplace.businesses.models import Business
from marketplace.caching import cached_or_computed
from marketplace.catalog.attributes.definitions import facet_attributes
from marketplace.catalog.attributes.models import AttributeOption, CategoryAttribute, ProductAttributeValue
from marketplace.catalog.filters import PAGE_SIZE, Filters
from marketplace.catalog.models import Category, Product
from marketplace.catalog.page_cache import generation as catalogue_generation
from marketplace.catalog.queries import public_products
from marketplace.catalog.selection import badged_products, category_ids, filtered, has_option, resolve_attrs, search_match
from marketplace.certifications.models import CertType
from marketplace.extensions import db


@dataclass
class Catalogue:
    filters: Filters
    items: list[Product] = field(default_factory=list)
    total: int = 0
    facets: dict[str, dict] = field(default_factory=dict)
    per_page: int = PAGE_SIZE
    # the chosen category's choice attributes, each with (option, count) of the options to offer
    attribute_facets: list[tuple[CategoryAttribute, list[tuple[AttributeOption, int]]]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))



def _order(stmt, filters: Filters, match):
    if filters.sort == "relevance" and match is not None:
        return stmt.order_by(match.c.rank, Product.id.desc())
    if filters.sort == "price_asc":
        # unpriced last, as PostgreSQL's ascending indexes keep NULLs: ix_product_public_region_price reads a region's
        # category in this order and stops after a page, where `price_min IS NULL, price_min` sorted every row
        return stmt.order_by(Product.price_min.asc().nulls_last(), Product.id.desc())
    if filters.sort == "price_desc":
        # the same, highest first: ix_product_public_region_price_desc and ix_product_public_price_desc (PostgreSQL)
        return stmt.order_by(Product.price_min.desc().nulls_last(), Product.id.desc())
    return stmt.order_by(Product.published_at.desc(), Product.id.desc())


def browse(filters: Filters, on: date, per_page: int | None = None) -> Catalogue:
    """One page of results (PAGE_SIZE of them unless per_page says) with facet counts that respect the other active
    filters."""
    per_page = per_page or PAGE_SIZE
    catalogue = Catalogue(filters=filters, per_page=per_page)
    match = search_match(filters.q)
    if filters.q and match is None:
        return catalogue  # nothing searchable in q
    categories = category_ids(filters.category) if filters.category else None
    attributes = facet_attributes(db.session.get(Category, categories[0])) if categories else []
    filters = catalogue.filters = resolve_attrs(filters, attributes)
    generation = catalogue_generation()
    catalogue.total, catalogue.facets = _counts(filters, on, categories, generation)
    if attributes:
        counts = _attribute_facets(filters, on, categories, attributes, generation)
        chosen = dict(filters.attrs)
        catalogue.attribute_facets = [
            (a, [(o, counts.get((a.id, o.id), 0)) for o in a.options
                 if counts.get((a.id, o.id)) or chosen.get(a.code) == o.code])
            for a in attributes]
    candidates = current_app.config.get("SEARCH_RANK_CANDIDATES", 0)
    if filters.sort == "relevance" and match is not None and 0 < candidates < catalogue.total:
        page = _candidates_page(filters, on, categories, candidates, per_page)
    else:
        page = (_order(filtered(filters, on, match, categories=categories), filters, match)
                .limit(per_page).offset((filters.page - 1) * per_page))
    page = page.options(selectinload(Product.photos), selectinload(Product.business).selectinload(Business.region))
    catalogue.items = list(db.session.scalars(page))
    return catalogue


def _candidates_page(filters: Filters, on: date, categories: list[int] | None, candidates: int, per_page: int):
    """The page of a search with more matches than `candidates` (SEARCH_RANK_CANDIDATES), in one query.

    The newest `candidates` matches (by id, after every filter) are ranked, best first; the other matches follow
    them newest first. So ranking costs the same for "kopi" at a million products as for a rare word, every match
    is still on some page exactly once, and the total stays the exact one. Only this page's ids are picked inside
    the query; the products are then read by primary key."""
    from marketplace.catalog import search

    offset = (filters.page - 1) * per_page
    narrowed = bool(filters.region or filters.category or filters.cert or filters.min_price is not None
                    or filters.max_price is not None or filters.attr_ids)

    def matching(below=None, document: bool = False):
        """(id) of the matches after the filters, newest first, with their document when asked (for ranking them);
        ids below `below` only, when given. A new CTE per use: PostgreSQL inlines a CTE read once (so the filters
        reach the scan), and would materialise every match of one read twice."""
        m = search.match(filters.q, ranked=False, document=document)
        columns = [m.c.product_id.label("id"), *([m.c.document] if document else [])]
        # unfiltered, nothing to read from product: the index holds the public products only
        stmt = filtered(filters, on, m, categories=categories).with_only_columns(*columns) if narrowed else select(*columns)
        if below is not None:
            stmt = stmt.where(m.c.product_id < below)
        return stmt.order_by(m.c.product_id.desc())

    newest = matching(document=True).limit(candidates).cte("candidates")
    parts = []
    ranked_rows = max(0, min(per_page, candidates - offset))
    if ranked_rows:
        ranked = search.rank(filters.q, newest).subquery("ranked")
        top = (select(ranked.c.product_id, ranked.c.rank).order_by(ranked.c.rank, ranked.c.product_id.desc())
               .limit(ranked_rows).offset(offset).subquery())
        parts.append(select(top.c.product_id, literal(0).label("part"), top.c.rank))
    if per_page > ranked_rows:
        rest = (matching(below=select(func.min(newest.c.id)).scalar_subquery())
                .limit(per_page - ranked_rows).offset(max(0, offset - candidates)).subquery())
        parts.append(select(rest.c.id.label("product_id"), literal(1).label("part"), literal(0).label("rank")))
    # each part's ORDER BY and LIMIT inside a subquery of its own: SQLite refuses them on a member of a UNION
    shown = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("shown")
    return (public_products().join(shown, shown.c.product_id == Product.id)
            .order_by(shown.c.part, shown.c.rank, Product.id.desc()))


def region_total(region_code: str, on: date) -> int:
    """How many public products a region has, from the catalogue's cached counts (for region pages)."""
    return _counts(Filters(region=region_code), on, None, catalogue_generation())[0]


def _cached(key, compute):
    """A count grid from the cache (see _counts), or computed and stored there.

    Exact, not time-based: any change buyers could count bumps the generation that every key holds
    (catalog/visibility.py), and the generation is read from the database on every request. A cache that is
    down costs only speed."""
    return cached_or_computed("counts:" + hashlib.sha256(repr(key).encode()).hexdigest(), compute, "catalogue")


def _counts(filters: Filters, on: date, categories: list[int] | None, generation: int) -> tuple[int, dict[str, dict]]:
    """The total and the facets (per region, top-level category and certificate type, each without its own filter).

    All of them are sums over two small grids of counts per (region, category), which leave the region and category
    filters out: so the grids are shared by every region and category a buyer clicks through for the same words,
    certificate and prices, and counted once per catalogue generation."""
    base = replace(filters, region="", category="", page=1, sort="")
    grid = _cached(("grid", generation, on, base), lambda: _grid(base, on))
    # choosing another category drops the attribute facets: its count is what that gives
    plain = replace(base, attrs=(), attr_ids=())
    category_grid = _cached(("grid", generation, on, plain), lambda: _grid(plain, on)) if base.attr_ids else grid
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
    for (region, category_id), count in category_grid.items():
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
    stmt = filtered(filters, on, search_match(filters.q, ranked=False)).with_only_columns(
        Product.region_code, Product.category_id, func.count(Product.id)).group_by(
        Product.region_code, Product.category_id).order_by(None)
    return {(region, category_id): count for region, category_id, count in db.session.execute(stmt)}


def _cert_grid(filters: Filters, on: date) -> dict[tuple[str, int, CertType], int]:
    """Matching public products per (region, category, certificate type) they show a badge of (the type keys the
    facet, its .label names it)."""
    badged = badged_products(on)
    stmt = (
        filtered(filters, on, search_match(filters.q, ranked=False))
        .join(badged, badged.c.product_id == Product.id)
        .with_only_columns(Product.region_code, Product.category_id, badged.c.cert_type, func.count(func.distinct(Product.id)))
        .group_by(Product.region_code, Product.category_id, badged.c.cert_type).order_by(None)
    )
    return {(region, category_id, CertType(cert)): count for region, category_id, cert, count in db.session.execute(stmt)}


def _attribute_facets(filters: Filters, on: date, categories: list[int], attributes: list[CategoryAttribute],
                      generation: int) -> dict[tuple[int, int], int]:
    """Per (attribute, option), the matching public products of the chosen category and region: sums over a cached grid
    that, like the catalogue's, leaves region and category out (so clicking through them counts nothing again)."""
    base = replace(filters, region="", category="", page=1, sort="")
    ids = tuple(sorted(a.id for a in attributes))  # the same for sibling subcategories: they share the grid
    grid = _cached(("attribute grid", generation, on, base, ids), lambda: _attribute_grid(base, on, ids))
    wanted = set(categories)
    counts: dict[tuple[int, int], int] = {}
    for (region, category_id, attribute_id, option_id), count in grid.items():
        if category_id in wanted and (not filters.region or region == filters.region):
            counts[attribute_id, option_id] = counts.get((attribute_id, option_id), 0) + count
    return counts


def _attribute_grid(filters: Filters, on: date, attribute_ids: tuple[int, ...]) -> dict[tuple[str, int, int, int], int]:
    """Matching public products per (region, category, attribute, option) of these attributes, in one grouped query
    that reads only their values (through the values' index).

    A product counts for an option when it passes every active filter but the one on that option's own attribute,
    so each count is what choosing the option gives (the choice replaces the attribute's current one)."""
    value = ProductAttributeValue
    stmt = (
        filtered(filters, on, search_match(filters.q, ranked=False), skip="attrs")
        .join(value, value.product_id == Product.id)
        .where(value.attribute_id.in_(attribute_ids), value.option_id.is_not(None))
    )
    for attribute_id, option_id in filters.attr_ids:
        stmt = stmt.where(or_(value.attribute_id == attribute_id, has_option(attribute_id, option_id)))
    columns = (Product.region_code, Product.category_id, value.attribute_id, value.option_id)
    stmt = stmt.with_only_columns(*columns, func.count()).group_by(*columns).order_by(None)
    return {tuple(row[:4]): row[4] for row in db.session.execute(stmt)}


def loosen(filters: Filters) -> list[tuple[str, dict]]:
    """For an empty result: each active filter with the arguments of the same search without it."""
    options = []
    for name in ("q", "region", "category", "cert", "min_price", "max_price"):
        if getattr(filters, name) not in (None, ""):
            options.append((name, replace(filters, **{name: None if "price" in name else "", "page": 1}).args()))
    return options

"""What a service request reads about a product from the catalogue: its category and its attribute values. The one
place that knows how the catalogue exposes them (today: Product.category and the Product.attributes dict), so that
it can be switched when categories' attributes become data-driven."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProductFacts:
    category_slug: str
    top_category_slug: str
    attributes: dict = field(default_factory=dict)

    @property
    def ingredients(self) -> str:
        """The product's own ingredient list, if the catalogue holds one (empty otherwise)."""
        value = self.attributes.get("ingredients") or self.attributes.get("komposisi") or ""
        return ", ".join(value) if isinstance(value, list) else str(value).strip()


def product_facts(product) -> ProductFacts:
    """The category (and its top category) and the current attribute values of a product."""
    category = product.category
    top = category.parent if category is not None and category.parent is not None else category
    return ProductFacts(category_slug=category.slug if category else "", top_category_slug=top.slug if top else "",
                        attributes=dict(product.attributes or {}))

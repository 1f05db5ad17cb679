"""What is indexed for a product, read straight from the catalogue tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from marketplace.businesses.models import Business
from marketplace.catalog.attributes.models import AttributeOption, ProductAttributeValue
from marketplace.catalog.models import Category, Product
from marketplace.catalog.queries import public_products
from marketplace.catalog.search.text import words

# Keeps IN lists well under every driver's parameter limit.
CHUNK = 500
Key = TypeVar("Key", int, str)


@dataclass(frozen=True)
class Document:
    """The raw text of one public product's four indexed fields (attribute values go with the description)."""

    product_id: int
    name: str
    category: str
    description: str
    business: str


def chunks(keys: Iterable[Key]) -> Iterator[list[Key]]:
    """Product ids or terms in sorted lists of at most CHUNK (sorted, so concurrent writers lock rows in one order)."""
    ordered = iter(sorted(keys))
    while batch := list(islice(ordered, CHUNK)):
        yield batch


def public_ids(conn: Connection) -> list[int]:
    """Ids of every public product."""
    return list(conn.scalars(public_products().with_only_columns(Product.id).order_by(Product.id)))


def public_documents(conn: Connection, ids: Iterable[int]) -> Iterator[Document]:
    """The documents of those of ids that are public now (catalog.queries.public_products decides)."""
    category, parent = aliased(Category), aliased(Category)
    public = public_products().with_only_columns(Product.id)
    base = (
        select(Product.id, Product.name, Product.description, Business.name,
               category.name_id, category.name_en, parent.name_id, parent.name_en)
        .join(Business, Product.business_id == Business.id)
        .join(category, Product.category_id == category.id)
        .outerjoin(parent, category.parent_id == parent.id)
        .where(Product.id.in_(public))
    )
    for chunk in chunks(ids):
        extra = attribute_texts(conn, chunk)
        for pid, name, description, business, *category_names in conn.execute(base.where(Product.id.in_(chunk))):
            # the category's and its parent's names, each word once: "Batik tulis" under "Batik" is not batik twice
            category_words = dict.fromkeys(words(" ".join(n for n in category_names if n)))
            text = "\n".join(part for part in (description or "", extra.get(pid, "")) if part)
            yield Document(pid, name, " ".join(category_words), text, business)


def attribute_texts(conn: Connection, ids: list[int]) -> dict[int, str]:
    """What the products' attribute values say, searchable with the description: a choice by its labels in both
    languages, anything else as stored (one query per chunk)."""
    rows = conn.execute(
        select(ProductAttributeValue.product_id, ProductAttributeValue.value, AttributeOption.label_id,
               AttributeOption.label_en)
        .outerjoin(AttributeOption, AttributeOption.id == ProductAttributeValue.option_id)
        .where(ProductAttributeValue.product_id.in_(ids))
        .order_by(ProductAttributeValue.product_id, ProductAttributeValue.attribute_id)
    )
    texts: dict[int, list[str]] = {}
    for pid, value, label_id, label_en in rows:
        texts.setdefault(pid, []).extend(dict.fromkeys([label_id, label_en]) if label_id else [value])
    return {pid: " · ".join(parts) for pid, parts in texts.items()}

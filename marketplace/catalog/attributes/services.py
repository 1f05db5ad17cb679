"""Changing attribute definitions (admins, the CLI, the reference seed) and the values products give them. Services
flush; the request's or command's unit of work commits. Every admin change writes one audit entry."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from slugify import slugify

from marketplace.audit import diff, record
from marketplace.catalog.attributes.definitions import attributes_of, chain_of
from marketplace.catalog.attributes.models import AttributeKind, AttributeOption, CategoryAttribute, ProductAttributeValue
from marketplace.catalog.attributes.reference import ATTRIBUTES
from marketplace.catalog.attributes.values import AttributeValueError, check_value
from marketplace.catalog.models import Category, Product
from marketplace.domain import DomainError
from marketplace.extensions import db
from marketplace.models_base import utcnow


class AttributeValueRefused(DomainError):
    """A product's attribute value breaks its attribute's kind or format."""

    status = 422
    message = _l("An attribute value is not valid.")

    def __init__(self, attribute: CategoryAttribute, error: AttributeValueError):
        self.code = attribute.code
        super().__init__(_l("%(name)s: %(error)s", name=attribute.name(str(get_locale() or "id")), error=error.message))


def set_values(product: Product, values: dict[str, str] | None) -> None:
    """Make the product's attribute values these (code -> typed value) for its category's attributes (retired ones
    included: values kept from before stay). Values of attributes outside the category are dropped.
    Raises AttributeValueRefused."""
    values = values or {}
    attributes = attributes_of(product.category_id, retired=True)
    stored = {v.attribute_id: v for v in product.attribute_values}
    keep = []
    for attribute in attributes:
        current = stored.get(attribute.id)
        try:
            text, option = check_value(attribute, values.get(attribute.code), keep=current.value if current else None)
        except AttributeValueError as error:
            raise AttributeValueRefused(attribute, error) from None
        if not text:
            continue
        if current is None:
            current = ProductAttributeValue(attribute=attribute, attribute_id=attribute.id)
        current.value, current.option_id = text, option.id if option else None
        keep.append(current)
    product.attribute_values = keep
    db.session.flush()


def load_reference_attributes() -> int:
    """Add the shipped attributes (reference.py) that a category lacks, by code; returns how many were added. An
    attribute already there is left as an admin may have edited it."""
    categories = {c.slug: c for c in db.session.scalars(db.select(Category).where(Category.slug.in_(ATTRIBUTES)))}
    existing = {tuple(row) for row in db.session.execute(db.select(CategoryAttribute.category_id, CategoryAttribute.code))}
    added = 0
    for slug, definitions in ATTRIBUTES.items():
        category = categories.get(slug)
        if category is None:
            continue
        for position, spec in enumerate(definitions):
            if (category.id, spec["code"]) in existing:
                continue
            unit = spec.get("unit", ("", ""))
            attribute = CategoryAttribute(
                category_id=category.id, code=spec["code"], name_id=spec["name"][0], name_en=spec["name"][1],
                kind=AttributeKind(spec["kind"]), unit_id=unit[0], unit_en=unit[1], pattern=spec.get("pattern", ""),
                example=spec.get("example", ""), required=spec.get("required", False), position=position,
                options=[AttributeOption(code=code, label_id=label_id, label_en=label_en, position=n)
                         for n, (code, label_id, label_en) in enumerate(spec.get("options", []))],
            )
            db.session.add(attribute)
            added += 1
    db.session.flush()
    return added


# --- admins' changes ---------------------------------------------------------------------------------------------

def _state(attribute: CategoryAttribute | None) -> dict:
    if attribute is None:
        return {}
    return {name: getattr(attribute, name) for name in (
        "name_id", "name_en", "unit_id", "unit_en", "pattern", "example", "required")} | {"kind": attribute.kind.value}


def _codes_in_use(category: Category) -> set[str]:
    """Codes of the attributes of the category's chain and of its subcategories: a new code must differ from all."""
    ids = [c.id for c in chain_of(category)] + [c.id for c in category.children]
    return set(db.session.scalars(db.select(CategoryAttribute.code).where(CategoryAttribute.category_id.in_(ids))))


def _new_code(text: str, taken: set[str], max_length: int = 40) -> str:
    base = slugify(text, separator="_", max_length=max_length - 3, word_boundary=True) or "attribute"
    if not base[0].isalpha():
        base = f"a_{base}"[:max_length - 3]
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def save_attribute(actor, attribute: CategoryAttribute | None, *, category: Category | None = None, name_id: str,
                   name_en: str, kind: AttributeKind | None = None, unit_id: str = "", unit_en: str = "",
                   pattern: str = "", example: str = "", required: bool = False) -> CategoryAttribute:
    """Add an attribute to a category, or edit one (its kind and code never change: values and links rely on them)."""
    before = _state(attribute)
    creating = attribute is None
    if creating:
        siblings = db.session.scalars(db.select(CategoryAttribute.position)
                                      .where(CategoryAttribute.category_id == category.id)).all()
        attribute = CategoryAttribute(category=category, category_id=category.id, kind=kind or AttributeKind.TEXT,
                                      code=_new_code(name_en or name_id, _codes_in_use(category)),
                                      position=max(siblings, default=-1) + 1)
        db.session.add(attribute)
    attribute.name_id, attribute.name_en, attribute.required = name_id.strip(), name_en.strip(), required
    numeric, identifier = attribute.kind is AttributeKind.NUMBER, attribute.kind is AttributeKind.IDENTIFIER
    attribute.unit_id, attribute.unit_en = (unit_id.strip(), unit_en.strip()) if numeric else ("", "")
    attribute.pattern, attribute.example = (pattern.strip(), example.strip()) if identifier else ("", "")
    db.session.flush()
    record(actor, "attribute.create" if creating else "attribute.update", attribute, region_code=None,
           changes=diff(before, _state(attribute)), label=f"{attribute.category.name_id}: {attribute.name_id}")
    return attribute


def _move(items: list, item, direction: int) -> bool:
    """Swap item with its neighbour in direction (-1 up, 1 down) and renumber; False when it is already at the end."""
    index = items.index(item)
    other = index + direction
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items):
        each.position = position
    return True


def move_attribute(actor, attribute: CategoryAttribute, direction: int) -> None:
    """Move an attribute one place up or down among its category's own attributes."""
    siblings = list(db.session.scalars(db.select(CategoryAttribute).where(
        CategoryAttribute.category_id == attribute.category_id).order_by(CategoryAttribute.position, CategoryAttribute.id)))
    if _move(siblings, attribute, direction):
        db.session.flush()
        record(actor, "attribute.move", attribute, region_code=None, changes={"position": attribute.position},
               label=f"{attribute.category.name_id}: {attribute.name_id}")


def retire_attribute(actor, attribute: CategoryAttribute, retired: bool) -> None:
    """Stop (or start again) asking for an attribute; values already given stay and stay readable."""
    if attribute.retired == retired:
        return
    attribute.retired_at = utcnow() if retired else None
    db.session.flush()
    record(actor, "attribute.retire" if retired else "attribute.restore", attribute, region_code=None,
           label=f"{attribute.category.name_id}: {attribute.name_id}")


def save_option(actor, option: AttributeOption | None, *, attribute: CategoryAttribute | None = None,
                label_id: str, label_en: str) -> AttributeOption:
    """Add an option to a choice attribute, or relabel one (its code, the facet's query value, never changes)."""
    before = {} if option is None else {"label_id": option.label_id, "label_en": option.label_en}
    creating = option is None
    if creating:
        taken = {o.code for o in attribute.options}
        code = _new_code(label_id or label_en, taken).replace("_", "-")
        option = AttributeOption(code=code, position=len(attribute.options))
        attribute.options.append(option)
    option.label_id, option.label_en = label_id.strip(), label_en.strip()
    db.session.flush()
    record(actor, "attribute_option.create" if creating else "attribute_option.update", option, region_code=None,
           changes=diff(before, {"label_id": option.label_id, "label_en": option.label_en}),
           label=f"{option.attribute.name_id}: {option.label_id}")
    return option


def move_option(actor, option: AttributeOption, direction: int) -> None:
    """Move an option one place up or down in its attribute's list."""
    options = sorted(option.attribute.options, key=lambda o: (o.position, o.id))
    if _move(options, option, direction):
        db.session.flush()
        record(actor, "attribute_option.move", option, region_code=None, changes={"position": option.position},
               label=f"{option.attribute.name_id}: {option.label_id}")


def retire_option(actor, option: AttributeOption, retired: bool) -> None:
    """Stop (or start again) offering an option; products that have it keep it, and it stays readable."""
    if option.retired == retired:
        return
    option.retired_at = utcnow() if retired else None
    db.session.flush()
    record(actor, "attribute_option.retire" if retired else "attribute_option.restore", option, region_code=None,
           label=f"{option.attribute.name_id}: {option.label_id}")

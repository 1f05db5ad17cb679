"""The product form's attribute fields, built from the definitions: one field per attribute in use (`attr_<id>`),
grouped by the category that defines it; a field is checked only when the chosen category has its attribute."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

from marketplace.catalog.attributes.definitions import attributes_of
from marketplace.catalog.attributes.models import AttributeKind, CategoryAttribute
from marketplace.catalog.attributes.values import AttributeValueError, check_value
from marketplace.catalog.models import Category
from marketplace.forms_common import strip


def field_name(attribute: CategoryAttribute) -> str:
    return f"attr_{attribute.id}"


class ForCategories:
    """First check of an attribute field: when the chosen category does not have the attribute, the field is not
    checked at all (it is hidden, and values_for does not keep it). While no category is chosen, every field is."""

    def __init__(self, category_ids: set[str]):
        self.category_ids = category_ids

    def __call__(self, form, field):
        chosen = form.chosen_category_id
        if chosen is not None and chosen not in self.category_ids:
            field.errors[:] = []
            raise StopValidation()


class RequiredForReview:
    """A required attribute of a product whose edits go straight to review (a published one): it must be filled."""

    def __init__(self, attribute: CategoryAttribute, locale: str):
        self.message = _l("%(name)s is required: fill it in before the product goes to review.",
                          name=attribute.name(locale))

    def __call__(self, form, field):
        if form.strict and not (field.data or "").strip():
            field.errors[:] = []
            raise StopValidation(self.message)


class ValueCheck:
    """The value fits the attribute's kind and format (values.check_value), else its message beside the field."""

    def __init__(self, attribute: CategoryAttribute, keep: str | None):
        self.attribute, self.keep = attribute, keep

    def __call__(self, form, field):
        try:
            check_value(self.attribute, field.data, keep=self.keep)
        except AttributeValueError as error:
            raise ValidationError(error.message) from None


def form_data(category_id: int | None, values: dict[str, str]) -> dict[str, str]:
    """Form data (attr_<id> -> value) for a product's stored values of its category's attributes."""
    return {field_name(a): values[a.code] for a in attributes_of(category_id) if a.code in values}


def help_text(attribute: CategoryAttribute, locale: str) -> str:
    """The hint under a field: the unit, the expected format, and whether review needs it."""
    parts = []
    if attribute.kind is AttributeKind.NUMBER and attribute.unit(locale):
        parts.append(str(_l("In %(unit)s; a number only.", unit=attribute.unit(locale))))
    if attribute.kind is AttributeKind.IDENTIFIER and attribute.example:
        parts.append(str(_l("e.g. %(example)s", example=attribute.example)))
    if attribute.kind is AttributeKind.DATE:
        parts.append(str(_l("Day-month-year, e.g. 17-08-2026.")))
    if attribute.required:
        parts.append(str(_l("Required before review.")))
    return " ".join(parts)


def make_field(attribute: CategoryAttribute, locale: str, applies_to: set[str], current: str | None) -> Field:
    """The unbound field of one attribute; current is the product's stored value (a retired option it has stays
    offered)."""
    validators = [ForCategories(applies_to), ValueCheck(attribute, current)]
    if attribute.required:
        validators.insert(1, RequiredForReview(attribute, locale))
    label = attribute.name(locale)
    if attribute.kind is AttributeKind.CHOICE:
        choices = [SelectChoice("", "—")] + [SelectChoice(o.code, o.label(locale)) for o in attribute.options
                                            if not o.retired or o.code == current]
        return SelectField(label, choices=choices, validators=validators, validate_choice=False, default="")
    render_kw = {"maxlength": 200}
    if attribute.kind is AttributeKind.NUMBER:
        render_kw["inputmode"] = "decimal"
    if attribute.kind is AttributeKind.DATE:
        render_kw["placeholder"] = "17-08-2026"
    return StringField(label, filters=[strip], validators=validators, render_kw=render_kw)


@dataclass
class Group:
    """A fieldset of the form: the attributes one category defines, shown for it and its subcategories."""

    category: Category
    attributes: list[CategoryAttribute]
    applies_to: set[str]


def groups_of(attributes: list[CategoryAttribute], tops: list[Category]) -> list[Group]:
    """The attributes by the category defining them, in the category tree's order (a top category before its
    subcategories: inherited attributes come first)."""
    by_category: dict[int, list[CategoryAttribute]] = {}
    for attribute in sorted(attributes, key=lambda a: (a.position, a.id)):
        by_category.setdefault(attribute.category_id, []).append(attribute)
    groups = []
    for top in tops:
        if top.id in by_category:
            groups.append(Group(top, by_category[top.id], {str(top.id)} | {str(c.id) for c in top.children}))
        groups.extend(Group(child, by_category[child.id], {str(child.id)}) for child in top.children
                      if child.id in by_category)
    return groups

"""Categories' attributes (catalog/attributes/): list per category with the inherited ones, add, edit, reorder, retire
an attribute and its options. Every change goes through catalog.attributes.services, which audits it."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Role
from marketplace.admin.forms import AttributeForm, AttributeOptionForm
from marketplace.admin.views.blueprint import bp
from marketplace.authz import role_required
from marketplace.catalog.attributes import services
from marketplace.catalog.attributes.definitions import attributes_of
from marketplace.catalog.attributes.models import AttributeKind, AttributeOption, CategoryAttribute
from marketplace.catalog.models import Category
from marketplace.extensions import db


def _direction() -> int:
    """-1 (up) or 1 (down) from the posted button; anything else is a 400."""
    direction = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if direction is None:
        abort(400)
    return direction


def _attribute_or_404(attribute_id: int) -> CategoryAttribute:
    return db.session.scalar(db.select(CategoryAttribute).where(CategoryAttribute.id == attribute_id).options(
        selectinload(CategoryAttribute.options), selectinload(CategoryAttribute.category))) or abort(404)


@bp.route("/categories/<int:category_id>/attributes")
@role_required(Role.ADMIN)
def attributes(category_id: int):
    category = db.get_or_404(Category, category_id)
    listed = attributes_of(category, retired=True)
    return render_template("admin/attributes.html", category=category, attributes=listed,
                           own=[a for a in listed if a.category_id == category.id])


@bp.route("/categories/<int:category_id>/attributes/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_attribute(category_id: int):
    category = db.get_or_404(Category, category_id)
    form = AttributeForm()
    if form.validate_on_submit():
        attribute = services.save_attribute(
            current_user.user, None, category=category, kind=AttributeKind(form.kind.data), **_details(form))
        flash(_("Attribute saved.") if attribute.kind is not AttributeKind.CHOICE
              else _("Attribute saved. Now add its options."), "success")
        return redirect(url_for("admin.edit_attribute", attribute_id=attribute.id))
    return render_template("admin/attribute.html", form=form, category=category, attribute=None, option_form=None)


def _details(form: AttributeForm) -> dict:
    return {name: getattr(form, name).data or "" for name in ("name_id", "name_en", "unit_id", "unit_en", "pattern", "example")} \
        | {"required": bool(form.required.data)}


@bp.route("/attributes/<int:attribute_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_attribute(attribute_id: int):
    attribute = _attribute_or_404(attribute_id)
    form = AttributeForm(data={name: getattr(attribute, name) for name in (
        "name_id", "name_en", "unit_id", "unit_en", "pattern", "example", "required")} | {"kind": attribute.kind.value})
    if form.is_submitted():
        form.kind.data = attribute.kind.value  # the kind never changes: stored values rely on it
    if form.validate_on_submit():
        services.save_attribute(current_user.user, attribute, **_details(form))
        flash(_("Attribute saved."), "success")
        return redirect(url_for("admin.attributes", category_id=attribute.category_id))
    return render_template("admin/attribute.html", form=form, category=attribute.category, attribute=attribute,
                           option_form=AttributeOptionForm(formdata=None))


@bp.route("/attributes/<int:attribute_id>/move", methods=["POST"])
@role_required(Role.ADMIN)
def move_attribute(attribute_id: int):
    attribute = _attribute_or_404(attribute_id)
    services.move_attribute(current_user.user, attribute, _direction())
    flash(_("Order saved."), "success")
    return redirect(url_for("admin.attributes", category_id=attribute.category_id))


@bp.route("/attributes/<int:attribute_id>/retire", methods=["POST"])
@role_required(Role.ADMIN)
def retire_attribute(attribute_id: int):
    attribute = _attribute_or_404(attribute_id)
    retire = request.form.get("retire") == "1"
    services.retire_attribute(current_user.user, attribute, retire)
    flash(_("Attribute retired: owners are no longer asked for it; values already given stay visible.") if retire
          else _("Attribute in use again."), "success")
    return redirect(url_for("admin.attributes", category_id=attribute.category_id))


@bp.route("/attributes/<int:attribute_id>/options", methods=["POST"])
@role_required(Role.ADMIN)
def new_option(attribute_id: int):
    attribute = _attribute_or_404(attribute_id)
    if attribute.kind is not AttributeKind.CHOICE:
        abort(404)
    option_form = AttributeOptionForm()
    if option_form.validate_on_submit():
        services.save_option(current_user.user, None, attribute=attribute, label_id=option_form.label_id.data,
                             label_en=option_form.label_en.data)
        flash(_("Option added."), "success")
        return redirect(url_for("admin.edit_attribute", attribute_id=attribute.id))
    form = AttributeForm(formdata=None, data={name: getattr(attribute, name) for name in (
        "name_id", "name_en", "unit_id", "unit_en", "pattern", "example", "required")} | {"kind": attribute.kind.value})
    return render_template("admin/attribute.html", form=form, category=attribute.category, attribute=attribute,
                           option_form=option_form), 422


def _option_or_404(option_id: int) -> AttributeOption:
    return db.session.get(AttributeOption, option_id) or abort(404)


@bp.route("/attribute-options/<int:option_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_option(option_id: int):
    option = _option_or_404(option_id)
    form = AttributeOptionForm(data={"label_id": option.label_id, "label_en": option.label_en})
    if form.validate_on_submit():
        services.save_option(current_user.user, option, label_id=form.label_id.data, label_en=form.label_en.data)
        flash(_("Option saved."), "success")
        return redirect(url_for("admin.edit_attribute", attribute_id=option.attribute_id))
    return render_template("admin/attribute_option.html", form=form, option=option)


@bp.route("/attribute-options/<int:option_id>/move", methods=["POST"])
@role_required(Role.ADMIN)
def move_option(option_id: int):
    option = _option_or_404(option_id)
    services.move_option(current_user.user, option, _direction())
    flash(_("Order saved."), "success")
    return redirect(url_for("admin.edit_attribute", attribute_id=option.attribute_id))


@bp.route("/attribute-options/<int:option_id>/retire", methods=["POST"])
@role_required(Role.ADMIN)
def retire_option(option_id: int):
    option = _option_or_404(option_id)
    retire = request.form.get("retire") == "1"
    services.retire_option(current_user.user, option, retire)
    flash(_("Option retired: no longer offered; products that have it keep it.") if retire else _("Option offered again."),
          "success")
    return redirect(url_for("admin.edit_attribute", attribute_id=option.attribute_id))

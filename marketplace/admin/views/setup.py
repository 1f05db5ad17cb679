"""The admin's overview (regions, agreements, staff, categories) and the forms of agreements and categories."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.models import Role, User
from marketplace.admin.forms import AgreementForm, CategoryForm
from marketplace.admin.views.blueprint import bp
from marketplace.authz import role_required
from marketplace.catalog.models import Category
from marketplace.catalog.queries import top_categories
from marketplace.catalog.services import save_category
from marketplace.cooperatives.queries import cooperatives
from marketplace.domain import DomainError
from marketplace.errors import form_refusal
from marketplace.extensions import db
from marketplace.forms_common import as_integer
from marketplace.regions.models import Agreement
from marketplace.regions.queries import all_agreements, all_regions, partner_regions
from marketplace.regions.services import save_agreement
from marketplace.timeutil import today


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    staff = db.session.scalars(
        db.select(User)
        .options(selectinload(User.region))
        .where(User.role.in_([Role.MODERATOR, Role.ADMIN]))
        .order_by(User.region_code, User.email)
    ).all()
    on = today()
    return render_template(
        "admin/index.html", regions=all_regions(), agreements=all_agreements(), staff=staff,
        partner_codes={r.code for r in partner_regions(on)}, today=on, categories=top_categories(),
    )


def _save_agreement(form: AgreementForm, agreement: Agreement | None) -> Agreement:
    return save_agreement(
        current_user.user, agreement, title=form.title.data, number=form.number.data, signed_on=form.signed_on.data,
        valid_from=form.valid_from.data, valid_until=form.valid_until.data, scopes=form.scopes.data,
        region_codes=form.regions.data, business_ids=form.business_ids, institutions=form.kept_notes,
        description=form.description.data or "",
    )


@bp.route("/agreements/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_agreement():
    form = AgreementForm(businesses=cooperatives())
    if form.validate_on_submit():
        _save_agreement(form, None)
        flash(_("Agreement saved."), "success")
        return redirect(url_for("admin.index"))
    return render_template("admin/agreement.html", form=form, agreement=None)


@bp.route("/agreements/<int:agreement_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_agreement(agreement_id: int):
    agreement = db.get_or_404(Agreement, agreement_id)
    form = AgreementForm(data={
        "title": agreement.title, "number": agreement.number, "signed_on": agreement.signed_on,
        "valid_from": agreement.valid_from, "valid_until": agreement.valid_until, "description": agreement.description,
        "scopes": [s.scope.value for s in agreement.scopes],
        "regions": [p.region_code for p in agreement.parties if not p.institution],
        "businesses": [str(p.business_id) for p in agreement.business_parties],
    }, businesses=cooperatives(also=[p.business_id for p in agreement.business_parties]), notes=agreement.note_parties)
    if form.validate_on_submit():
        _save_agreement(form, agreement)
        flash(_("Agreement saved."), "success")
        return redirect(url_for("admin.index"))
    return render_template("admin/agreement.html", form=form, agreement=agreement)


def _parent_choices(exclude: Category | None = None) -> list[SelectChoice]:
    return [SelectChoice("", _l("— none: a top-level category —"))] + [
        SelectChoice(str(c.id), c.name_id) for c in top_categories() if c is not exclude
    ]


def _category_form(form: CategoryForm, category: Category | None):
    if form.validate_on_submit():
        parent_id = as_integer(form.parent.data)
        parent = db.session.get(Category, parent_id) if parent_id is not None else None
        try:
            save_category(current_user.user, category, name_id=form.name_id.data, name_en=form.name_en.data, parent=parent)
        except DomainError as error:
            form_refusal(form.parent, error)
        else:
            flash(_("Category saved."), "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/category.html", form=form, category=category)


@bp.route("/categories/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_category():
    form = CategoryForm()
    form.parent.choices = _parent_choices()
    return _category_form(form, None)


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_category(category_id: int):
    category = db.get_or_404(Category, category_id)
    form = CategoryForm(data={"name_id": category.name_id, "name_en": category.name_en,
                              "parent": str(category.parent_id or "")})
    form.parent.choices = _parent_choices(exclude=category)
    return _category_form(form, category)

"""Institutions and the services they offer (institutions.services.save_institution / save_service, audited)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role, User
from marketplace.admin.views.blueprint import bp
from marketplace.authz import role_required
from marketplace.errors import form_refusal
from marketplace.extensions import db
from marketplace.institutions.forms import InstitutionForm, ServiceForm
from marketplace.institutions.models import Institution, InstitutionKind, InstitutionService, ServiceKind
from marketplace.institutions.services import FIELDS, ServiceAlreadyOffered, save_institution, save_service


@bp.route("/institutions")
@role_required(Role.ADMIN)
def institutions():
    items = db.session.scalars(db.select(Institution).order_by(Institution.name)).all()
    return render_template("admin/institutions.html", institutions=items)


def _values(form: InstitutionForm) -> dict:
    values = {name: getattr(form, name).data for name in FIELDS if name not in ("kind", "region_code")}
    values.update(kind=InstitutionKind(form.kind.data), region_code=form.region.data)
    return {k: ("" if v is None and k != "active" else v) for k, v in values.items()}


@bp.route("/institutions/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_institution():
    form = InstitutionForm()
    if form.validate_on_submit():
        institution = save_institution(current_user.user, None, **_values(form))
        flash(_("Institution saved."), "success")
        return redirect(url_for("admin.edit_institution", institution_id=institution.id))
    return render_template("admin/institution.html", form=form, institution=None, service_form=None)


@bp.route("/institutions/<int:institution_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_institution(institution_id: int):
    institution = db.get_or_404(Institution, institution_id)
    data = {name: getattr(institution, name) for name in FIELDS}
    data.update(kind=institution.kind.value, region=institution.region_code)
    form = InstitutionForm(data=data)
    if form.validate_on_submit():
        save_institution(current_user.user, institution, **_values(form))
        flash(_("Institution saved."), "success")
        return redirect(url_for("admin.edit_institution", institution_id=institution.id))
    return _page(institution, form, ServiceForm(prefix="service"))


def _page(institution, form, service_form, status: int = 200):
    staff = db.session.scalars(db.select(User).where(User.institution_id == institution.id).order_by(User.email)).all()
    return render_template("admin/institution.html", form=form, institution=institution, service_form=service_form,
                           staff=staff), status


@bp.route("/institutions/<int:institution_id>/services", methods=["POST"])
@role_required(Role.ADMIN)
def save_institution_service(institution_id: int):
    """Add a service, or change the one of that kind the institution already offers."""
    institution = db.get_or_404(Institution, institution_id)
    service_form = ServiceForm(prefix="service")
    if service_form.validate_on_submit():
        kind = ServiceKind(service_form.kind.data)
        existing = db.session.scalar(db.select(InstitutionService).where(
            InstitutionService.institution_id == institution.id, InstitutionService.kind == kind))
        try:
            save_service(current_user.user, institution, kind, standard_days=service_form.standard_days.data,
                         description=service_form.description.data or "", active=service_form.active.data,
                         service=existing)
        except ServiceAlreadyOffered as error:
            form_refusal(service_form.kind, error)
        else:
            flash(_("Service saved."), "success")
            return redirect(url_for("admin.edit_institution", institution_id=institution.id))
    data = {name: getattr(institution, name) for name in FIELDS}
    data.update(kind=institution.kind.value, region=institution.region_code)
    return _page(institution, InstitutionForm(data=data), service_form, 422)

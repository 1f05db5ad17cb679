"""A region's cooperative and trade office: reference data the admin fills in (regions.services.save_office)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.admin.forms import RegionOfficeForm
from marketplace.admin.views.blueprint import bp
from marketplace.authz import role_required
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.regions.services import OFFICE_FIELDS, save_office


@bp.route("/regions/<code>/office", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_office(code: str):
    region = db.get_or_404(Region, code)
    form = RegionOfficeForm(data={name: getattr(region, name) for name in OFFICE_FIELDS})
    if form.validate_on_submit():
        if save_office(current_user.user, region, **{name: getattr(form, name).data for name in OFFICE_FIELDS}):
            flash(_("The office's details are saved."), "success")
        else:
            flash(_("Nothing changed."), "info")
        return redirect(url_for("regions.show", code=region.code))
    return render_template("admin/office.html", form=form, region=region)

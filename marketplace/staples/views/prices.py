"""Reference data pages: staff enter market prices and import PIHPS / panel harga CSV exports (a moderator for their
region, an admin for any region or the province); admins add commodities. Every change is audited."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.extensions import db
from marketplace.regions.queries import all_regions
from marketplace.staples import services
from marketplace.staples.models import Commodity, Level, ReferencePrice
from marketplace.staples.queries import commodities
from marketplace.staples.reference_forms import CommodityForm, ImportForm, PriceForm
from marketplace.staples.views.blueprint import bp
from marketplace.timeutil import today
from marketplace.unit_of_work import rollback

MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _regions(user) -> list[tuple[str, str]]:
    if user.role is Role.MODERATOR:
        region = next(r for r in all_regions() if r.code == user.region_code)
        return [(region.code, region.full_name)]
    return [("35", _("Jawa Timur (province)"))] + [(r.code, f"{r.full_name} ({r.code})") for r in all_regions()]


def _recent(user) -> list[ReferencePrice]:
    stmt = db.select(ReferencePrice).order_by(ReferencePrice.valid_on.desc(), ReferencePrice.id.desc()).limit(50)
    if user.role is Role.MODERATOR:
        stmt = stmt.where(ReferencePrice.region_code == user.region_code)
    return list(db.session.scalars(stmt))


def _page(user, form, import_form, errors=(), status=200):
    return render_template("staples/prices.html", form=form, import_form=import_form, prices=_recent(user),
                           import_errors=errors, columns=services.CSV_COLUMNS), status


@bp.route("/moderation/staples/prices", methods=["GET", "POST"])
@role_required(Role.MODERATOR, Role.ADMIN)
def prices():
    user = current_user.user
    form = PriceForm(commodities=commodities(), regions=_regions(user), data={"valid_on": today()})
    if form.validate_on_submit():
        commodity = form.commodities[form.commodity.data]
        factor = commodity.unit(form.unit.data).factor
        services.add_price(user, commodity=commodity, level=Level(form.level.data),
                           region_code=None if form.region.data == "35" else form.region.data, valid_on=form.valid_on.data,
                           price_min=round(form.price_min.data / factor),
                           price_max=round(form.price_max.data / factor) if form.price_max.data else None,
                           source=form.source.data)
        flash(_("Price saved."), "success")
        return redirect(url_for("staples.prices"))
    return _page(user, form, ImportForm(prefix="import"), status=422 if form.errors else 200)


@bp.route("/moderation/staples/prices/import", methods=["POST"])
@role_required(Role.MODERATOR, Role.ADMIN)
def import_prices():
    user = current_user.user
    form = ImportForm(prefix="import")
    errors = []
    if form.validate_on_submit():
        data = form.file.data.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            form.file.errors = [_("The file is larger than 2 MB: split it.")]
        else:
            result = services.import_prices_csv(user, data, source=form.source.data,
                                                region_code=user.region_code if user.role is Role.MODERATOR else None)
            if not result.errors:
                flash(_("%(n)d prices imported.", n=result.added), "success")
                return redirect(url_for("staples.prices"))
            rollback()
            errors = result.errors
    price_form = PriceForm(commodities=commodities(), regions=_regions(user), data={"valid_on": today()})
    return _page(user, price_form, form, errors, status=422)


@bp.route("/admin/commodities", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def admin_commodities():
    form = CommodityForm(data={"base_unit": "kg"})
    if form.validate_on_submit():
        if db.session.scalar(db.select(Commodity.id).where(Commodity.code == form.code.data)):
            form.code.errors = [_("A commodity with this code exists already.")]
        else:
            try:
                services.save_commodity(current_user.user, code=form.code.data, name_id=form.name_id.data,
                                        name_en=form.name_en.data, pihps_name=form.pihps_name.data or "",
                                        base_unit=form.base_unit.data, units=form.parsed_units(),
                                        grades=form.parsed_grades())
            except IntegrityError:
                rollback()
                form.grades.errors = [_("Two grades or units have the same code.")]
            else:
                flash(_("Commodity added."), "success")
                return redirect(url_for("staples.admin_commodities"))
    return render_template("staples/commodities.html", form=form, commodities=commodities()), 422 if form.errors else 200

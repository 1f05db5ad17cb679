"""Staff dashboards: a region's (its moderators, admins) and an agreement's (moderators of its party regions, admins),
each filterable by period and exported as CSV (one table) or XLSX (every table)."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.regions.models import Region
from marketplace.reports import queries, services
from marketplace.reports.charts import bar_chart
from marketplace.reports.export import XLSX_TYPE, csv_bytes, xlsx_bytes
from marketplace.reports.figures.scope import agreement_scope, region_scope
from marketplace.reports.forms import StandardForm
from marketplace.reports.period import Period
from marketplace.reports.sections import AGREEMENT_SECTIONS, REGION_SECTIONS, compute
from marketplace.reports.views.blueprint import bp


def _dashboard(template: str, sections, scope, file_stem: str, **context):
    period = Period.from_args(request.args)
    computed = compute(sections, scope, period, file_stem)
    tables = [table for _section, found in computed for table in found]
    wanted = request.args.get("format")
    if wanted == "xlsx":
        return Response(xlsx_bytes(tables, scope.regions), mimetype=XLSX_TYPE, headers={
            "Content-Disposition": f'attachment; filename="{file_stem}-{period.first_month}-{period.last_month}.xlsx"'})
    if wanted == "csv":
        table = next((t for t in tables if t.key == request.args.get("table")), None)
        if table is None:
            abort(404)
        return Response(csv_bytes(table, scope.regions), mimetype="text/csv", headers={
            "Content-Disposition":
                f'attachment; filename="{file_stem}-{table.key}-{period.first_month}-{period.last_month}.csv"'})
    charts = {table.key: bar_chart(table, f"chart-{table.key}") for table in tables}

    def export_url(key: str) -> str:
        return url_for(request.endpoint, **request.view_args, format="csv", table=key, **period.args())

    return render_template(template, computed=computed, charts=charts, period=period, scope=scope,
                           export_url=export_url, **context)


@bp.route("/reports/")
@login_required
def index():
    """The dashboards the user may open: a moderator's region and its agreements; every one for an admin."""
    if current_user.role is Role.MODERATOR:
        regions = [current_user.region]
    elif current_user.role is Role.ADMIN:
        regions = list(db.session.scalars(db.select(Region).order_by(Region.code)))
    else:
        abort(404)
    return render_template("reports/index.html", regions=regions, agreements=queries.agreements_for(current_user))


@bp.route("/reports/region/<code>")
@login_required
def region(code: str):
    found = queries.region_or_404(current_user, code)
    scope = region_scope(found)
    return _dashboard("reports/region.html", REGION_SECTIONS, scope, f"region-{found.code}", region=found,
                      agreements=queries.agreements_for(current_user) if current_user.role is Role.MODERATOR else [])


@bp.route("/reports/region/<code>/standard", methods=["GET", "POST"])
@login_required
def standard(code: str):
    """The region's service standard: hours from a product's submission to a decision."""
    found = queries.region_or_404(current_user, code)
    form = StandardForm(data={"hours": region_scope(found).review_standard_hours} if request.method == "GET" else None)
    if form.validate_on_submit():
        services.set_review_standard(current_user.user, found, form.hours.data)
        flash(_("Service standard saved."), "success")
        return redirect(url_for("reports.region", code=found.code))
    return render_template("reports/standard.html", region=found, form=form)


@bp.route("/reports/agreement/<reference>")
@login_required
def agreement(reference: str):
    found = queries.agreement_or_404(current_user, reference)
    return _dashboard("reports/agreement.html", AGREEMENT_SECTIONS, agreement_scope(found), f"agreement-{found.id}",
                      agreement=found)

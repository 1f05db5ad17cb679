"""The moderator's area for their own region: the queue, review pages, decisions, the audit log."""

import csv
import io
import json
from datetime import datetime, time, timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.catalog.models import CONTENT_FIELDS, Category
from marketplace.extensions import db
from marketplace.media.documents import send_document
from marketplace.models_base import utcnow
from marketplace.moderation import queries, services
from marketplace.moderation.forms import (
    REPORT_REASONS,
    AuditFilterForm,
    BusinessDecisionForm,
    CertificationDecisionForm,
    ProductDecisionForm,
    ReportDecisionForm,
)
from marketplace.timeutil import JAKARTA

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

FIELD_LABELS = {
    "name": _l("Product name"), "description": _l("Description"), "category_id": _l("Category"), "unit": _l("Unit"),
    "min_order": _l("Minimum order"), "attributes": _l("Attributes"), "technique": _l("Batik technique"),
    "motif": _l("Motif"), "fabric": _l("Fabric"), "dye": _l("Dye"), "size": _l("Size"), "net_weight": _l("Net weight"),
    "shelf_life": _l("Shelf life"), "pirt": _l("P-IRT number"), "grade": _l("Grade"),
    "supply_capacity": _l("Supply capacity per period"),
}


@bp.app_context_processor
def inject_moderation_labels():
    return {"field_labels": FIELD_LABELS, "report_reason_labels": {c.value: c.label for c in REPORT_REASONS}}


@bp.app_context_processor
def inject_queue_count():
    if current_user.is_authenticated and current_user.role is Role.MODERATOR:
        return {"moderation_queue_count": queries.queue_count(current_user.region_code)}
    return {}


@bp.route("/")
@role_required(Role.MODERATOR)
def index():
    return render_template("moderation/index.html", region=current_user.region, queue=queries.queue(current_user.region_code),
                           now=utcnow())


def _decide(form, decide, obj, done: str, back: str):
    """On a valid POST, run a decision service and turn its refusals into messages; None means: show the page
    (again), with the form keeping what was typed."""
    if not form.validate_on_submit():
        return None
    try:
        decide(current_user.user, obj, form.action.data, form.full_reason, form.seen_version)
    except services.ReasonRequired:
        form.reason.errors = [_("Give a reason the owner can act on.")]
        return None
    except services.AlreadyDecided:
        flash(_("This was already decided by someone else (or changed meanwhile). Nothing was changed; here is how it stands now."),
              "error")
        return redirect(request.path)
    flash(done, "success")
    return redirect(back)


@bp.route("/products/<int:product_id>", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def product(product_id: int):
    product = queries.product_in_region_or_404(product_id)
    subject = services.catalog.under_review(product)
    form = ProductDecisionForm(version=subject.version if subject is not None else "")
    response = _decide(form, services.decide_product, product, _("Decision saved; the owner has been told."),
                           url_for("moderation.index"))
    if response is not None:
        return response
    return render_template("moderation/product.html", product=product, subject=subject, form=form,
                           changes=_revision_changes(product))


def _revision_changes(product) -> list[tuple[str, str, str]]:
    """(field, approved value, proposed value) for each field a pending edit changes, as text to show."""
    revision = product.revision
    if revision is None:
        return []
    locale = str(get_locale() or "id")
    categories = {c.id: c.name(locale) for c in db.session.scalars(
        db.select(Category).where(Category.id.in_({product.category_id, revision.data.get("category_id")})))}

    def shown(field, value):
        if field == "category_id":
            return categories.get(value, "")
        if field == "attributes":
            return "; ".join(f"{FIELD_LABELS.get(k, k)}: {v}" for k, v in (value or {}).items())
        return "" if value is None else str(value)

    return [(field, shown(field, getattr(product, field)), shown(field, revision.data.get(field)))
            for field in CONTENT_FIELDS if getattr(product, field) != revision.data.get(field)]


@bp.route("/businesses/<int:business_id>", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def business(business_id: int):
    business = queries.business_in_region_or_404(business_id)
    form = BusinessDecisionForm(version=business.version)
    response = _decide(form, services.decide_business, business, _("Decision saved; the owner has been told."),
                           url_for("moderation.business", business_id=business.id))
    if response is not None:
        return response
    return render_template("moderation/business.html", business=business, form=form)


@bp.route("/certifications/<int:certification_id>", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def certification(certification_id: int):
    certification = queries.certification_in_region_or_404(certification_id)
    form = CertificationDecisionForm(version=certification.version)
    response = _decide(form, services.decide_certification, certification,
                           _("Decision saved; the owner has been told."), url_for("moderation.index"))
    if response is not None:
        return response
    return render_template("moderation/certification.html", certification=certification, form=form)


@bp.route("/certifications/<int:certification_id>/document")
@role_required(Role.MODERATOR)
def certification_document(certification_id: int):
    certification = queries.certification_in_region_or_404(certification_id)
    return send_document(certification.document)


@bp.route("/reports/<int:report_id>", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def report(report_id: int):
    report = queries.report_in_region_or_404(report_id)
    form = ReportDecisionForm(version=report.version)
    response = _decide(form, services.decide_report, report, _("Report closed."), url_for("moderation.index"))
    if response is not None:
        return response
    return render_template("moderation/report.html", report=report, form=form)


# --- audit log ------------------------------------------------------------------------------------------

CSV_COLUMNS = ["time", "actor", "role", "action", "object", "object_id", "label", "region", "reason", "changes"]


def _day_start(day) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=JAKARTA) if day else None


@bp.route("/audit")
@role_required(Role.MODERATOR, Role.ADMIN)
def audit():
    """Moderators see their region's entries; admins see all. There is no route that edits or deletes one."""
    form = AuditFilterForm(request.args)
    form.validate()
    filters = {
        "action": form.action.data, "object_type": form.object_type.data, "actor": form.actor.data,
        "region": form.region.data if current_user.role is Role.ADMIN else None,
        "date_from": _day_start(form.date_from.data),
        "date_to": _day_start(form.date_to.data + timedelta(days=1)) if form.date_to.data else None,
    }
    scope = None if current_user.role is Role.ADMIN else current_user.region_code
    if request.args.get("format") == "csv":
        return _csv(queries.audit_entries(scope, filters, limit=None))
    return render_template("moderation/audit.html", form=form, entries=queries.audit_entries(scope, filters))


def _csv(entries) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([
            e.created_at.isoformat(), e.actor_email, e.actor_role, e.action, e.object_type, e.object_id,
            _no_formula(e.object_label), e.region_code or "", _no_formula(e.reason), json.dumps(e.changes, ensure_ascii=False),
        ])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit-log.csv"})


def _no_formula(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: prefix them so they stay text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text

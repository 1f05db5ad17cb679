"""The moderator's area for their own region: the queue, review pages, decisions, the audit log; and the form
through which anyone reports a product to the moderators of its region."""

import csv
import io
import json
from datetime import date, datetime, time, timedelta

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.audit.actions import action_choices, action_label
from marketplace.authz import role_required
from marketplace.businesses.models import ENUM_FIELDS, PROFILE_FIELDS, Verification
from marketplace.catalog.attributes.definitions import attribute_changes, product_rows
from marketplace.catalog.fields import FIELD_LABELS
from marketplace.catalog.models import CONTENT_FIELDS, Category, Product
from marketplace.catalog.queries import public_products
from marketplace.coach.quality import score_products
from marketplace.cooperatives.models import CooperativeMember
from marketplace.domain import AlreadyDecided, ReasonRequired
from marketplace.errors import form_refusal
from marketplace.extensions import db, limiter
from marketplace.fieldofficers.queries import assisted_marks
from marketplace.media.documents import send_document
from marketplace.models_base import utcnow
from marketplace.moderation import queries, services
from marketplace.moderation.forms import (
    AuditFilterForm,
    BusinessDecisionForm,
    BusinessRevisionDecisionForm,
    CertificationDecisionForm,
    ProductDecisionForm,
    ReportDecisionForm,
    ReportForm,
)
from marketplace.moderation.models import ReportReason
from marketplace.regions.queries import all_regions
from marketplace.timeutil import JAKARTA, today
from marketplace.unit_of_work import rollback

bp = Blueprint("moderation", __name__)


@bp.route("/moderation/")
@role_required(Role.MODERATOR)
def index():
    queue = queries.queue(current_user.region_code)
    return render_template("moderation/index.html", region=current_user.region, queue=queue, now=utcnow(),
                           qualities=score_products([*queue["products"], *queue["edits"]], today()),
                           assisted=assisted_marks([p.business.owner_id for p in queue["products"]]
                                                   + [b.owner_id for b in queue["businesses"]]))


def _decide(form, decide, obj, done: str, back: str, link: str = "", **extra):
    """On a valid POST, run a decision service (extra: its further arguments) and turn its refusals into messages;
    None means: show the page (again), with the form keeping what was typed."""
    if not form.validate_on_submit():
        return None
    try:
        decide(current_user.user, obj, form.action.data, form.full_reason, form.seen_version, link=link,
               inbox_url=url_for("notifications.index", _external=True), **extra)
    except ReasonRequired as error:
        form_refusal(form.reason, error)
        return None
    except services.ExpiredNotConfirmed as error:
        form_refusal(form.confirm_expired, error)
        return None
    except AlreadyDecided:
        rollback()
        flash(_("This was already decided by someone else (or changed meanwhile). Nothing was changed; here is how it stands now."),
              "error")
        return redirect(request.path)
    flash(done, "success")
    return redirect(back)


@bp.route("/moderation/products/<int:product_id>", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def product(product_id: int):
    product = queries.product_in_region_or_404(current_user.user, product_id)
    subject = services.catalog.under_review(product)
    form = ProductDecisionForm(version=subject.version if subject is not None else "")
    response = _decide(form, services.decide_product, product, _("Decision saved; the owner has been told."),
                       url_for("moderation.index"), link=url_for("catalog.mine"))
    if response is not None:
        return response
    return render_template("moderation/product.html", product=product, subject=subject, form=form,
                           changes=_revision_changes(product), field_labels=FIELD_LABELS,
                           attribute_rows=product_rows(product, str(get_locale() or "id")),
                           business_hidden=product.business.verification is not Verification.VERIFIED,
                           assisted=assisted_marks([product.business.owner_id]).get(product.business.owner_id))


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
        if field == "member_id":
            member = db.session.get(CooperativeMember, value) if value else None
            return f"{member.name} ({member.desa})" if member else ""
        return "" if value is None else str(value)

    changes = [(field, shown(field, getattr(product, field)), shown(field, revision.data.get(field)))
               for field in CONTENT_FIELDS if field != "attributes" and getattr(product, field) != revision.data.get(field)]
    # one row per attribute the edit changes, named and shown as buyers would read it
    changes += attribute_changes((product.category_id, product.attributes),
                                 (revision.data.get("category_id", product.category_id), revision.data.get("attributes", {})),
                                 locale)
    alt_texts = revision.data.get("alt_texts", {})
    return changes + [(_("Alt text of photo %(number)d", number=number), photo.alt_text, alt_texts[str(photo.id)])
                      for number, photo in enumerate(product.photos, start=1) if str(photo.id) in alt_texts]


@bp.route("/moderation/businesses/<int:business_id>", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def business(business_id: int):
    business = queries.business_in_region_or_404(current_user.user, business_id)
    form = BusinessDecisionForm(version=business.version, offered={
        action for action, (source, _target) in services.BUSINESS_ACTIONS.items() if source is business.verification})
    response = _decide(form, services.decide_business, business, _("Decision saved; the owner has been told."),
                       url_for("moderation.business", business_id=business.id), link=url_for("businesses.mine"))
    if response is not None:
        return response
    return render_template("moderation/business.html", business=business, form=form,
                           assisted=assisted_marks([business.owner_id]).get(business.owner_id))


@bp.route("/moderation/businesses/<int:business_id>/edit", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def business_revision(business_id: int):
    """The pending edit of a business's public profile: approved and proposed values side by side, and the decision."""
    business = queries.business_in_region_or_404(current_user.user, business_id)
    revision = business.revision
    form = BusinessRevisionDecisionForm(version=revision.version if revision is not None else "")
    response = _decide(form, services.decide_business_revision, business, _("Decision saved; the owner has been told."),
                       url_for("moderation.index"), link=url_for("businesses.edit", business_id=business.id))
    if response is not None:
        return response
    return render_template("moderation/business_revision.html", business=business, revision=revision, form=form,
                           labels=PROFILE_FIELDS,
                           enum_labels={name: {m.value: m.label for m in enum} for name, enum in ENUM_FIELDS.items()})


@bp.route("/moderation/certifications/<int:certification_id>", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def certification(certification_id: int):
    certification = queries.certification_in_region_or_404(current_user.user, certification_id)
    form = CertificationDecisionForm(version=certification.version)
    response = _decide(form, services.decide_certification, certification,
                       _("Decision saved; the owner has been told."), url_for("moderation.index"),
                       link=url_for("certifications.mine"), confirm_expired=form.confirm_expired.data)
    if response is not None:
        return response
    return render_template("moderation/certification.html", certification=certification, form=form,
                           expiry=certification.expiry(today()))


@bp.route("/moderation/certifications/<int:certification_id>/document")
@role_required(Role.MODERATOR)
def certification_document(certification_id: int):
    certification = queries.certification_in_region_or_404(current_user.user, certification_id)
    return send_document(certification.document)


@bp.route("/moderation/reports/<int:report_id>", methods=["GET", "POST"])
@role_required(Role.MODERATOR)
def report(report_id: int):
    report = queries.report_in_region_or_404(current_user.user, report_id)
    form = ReportDecisionForm(version=report.version)
    response = _decide(form, services.decide_report, report, _("Report closed."), url_for("moderation.index"))
    if response is not None:
        return response
    return render_template("moderation/report.html", report=report, form=form)


# --- audit log ------------------------------------------------------------------------------------------

CSV_COLUMNS = ["time", "actor", "role", "action", "object", "object_id", "label", "region", "reason", "changes",
               "action_label"]  # the codes are for machines; the last column is the action in the reader's language


def _day_start(day: date | None, days_later: int = 0) -> datetime | None:
    """Midnight in Jakarta of a filter's day (plus some days); a day outside 2000-2100 is no bound, since the log
    holds nothing there (and 9999-12-31 plus a day, or 0001-01-01 in UTC, would overflow: a 500)."""
    if not day or not date(2000, 1, 1) <= day <= date(2100, 1, 1):
        return None
    return datetime.combine(day + timedelta(days=days_later), time.min, tzinfo=JAKARTA)


@bp.route("/moderation/audit")
@role_required(Role.MODERATOR, Role.ADMIN)
def audit():
    """Moderators see their region's entries; admins see all. There is no route that edits or deletes one."""
    admin = current_user.role is Role.ADMIN
    form = AuditFilterForm(request.args)
    form.action.choices = [("", _("all"))] + action_choices(admin)
    form.region.choices = ([("", _("all regions"))] + [(r.code, r.full_name) for r in all_regions()]) if admin else []
    form.validate()
    filters = {
        "action": form.action.data, "object_type": form.object_type.data, "actor": form.actor.data,
        "region": form.region.data if admin else None,
        "date_from": _day_start(form.date_from.data),
        "date_to": _day_start(form.date_to.data, days_later=1),
    }
    scope = None if admin else current_user.region_code
    if request.args.get("format") == "csv":
        return _csv(queries.audit_entries(scope, filters, limit=None))
    return render_template("moderation/audit.html", form=form, entries=queries.audit_entries(scope, filters),
                           action_label=action_label)


def _csv(entries) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([
            e.created_at.isoformat(), _no_formula(e.actor_email), e.actor_role, e.action, e.object_type, e.object_id,
            _no_formula(e.object_label), e.region_code or "", _no_formula(e.reason), json.dumps(e.changes, ensure_ascii=False),
            str(action_label(e.action)),
        ])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit-log.csv"})


def _no_formula(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: prefix them so they stay text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- reports from buyers --------------------------------------------------------------------------------

def _report_limit() -> str:
    return current_app.config["REPORT_RATE_LIMIT"]


@bp.route("/products/<int:product_id>/report", methods=["GET", "POST"])
@limiter.limit(_report_limit, methods=["POST"])
def report_product(product_id: int):
    """Anyone may report a public product; the report goes to the queue of the product's region."""
    product = db.first_or_404(public_products().where(Product.id == product_id))
    form = ReportForm()
    if form.validate_on_submit():
        if not form.website.data:  # the honeypot stays empty for people; bots fill every field
            services.file_report(product, current_user.user if current_user.is_authenticated else None,
                                 ReportReason(form.reason.data), form.note.data or "")
        flash(_("Thank you. The DKUPP of the seller's region will look at your report."), "success")
        return redirect(url_for("main.home"))
    return render_template("moderation/report_product.html", form=form, product=product)

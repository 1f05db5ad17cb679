"""The institution staff's pages: the queue (oldest first, with the wait against the service standard), a request
with its documents and the decisions its state allows, and the institution's report."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.domain import AlreadyDecided, DomainError
from marketplace.errors import form_refusal
from marketplace.institutions import queries, reports
from marketplace.institutions import service_requests as services
from marketplace.institutions.forms import DecisionForm
from marketplace.institutions.request_models import CLOSED_STATES, RequestState
from marketplace.institutions.views.blueprint import bp
from marketplace.institutions.views.common import inbox_url, owner_link, waited
from marketplace.media.documents import send_document
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected
from marketplace.media.storage import StorageError
from marketplace.unit_of_work import rollback

staff_only = role_required(Role.INSTITUTION_STAFF)


@bp.route("/institution/")
@staff_only
def queue():
    staff = current_user.user
    return render_template("institutions/staff/queue.html", institution=queries.institution_of(staff),
                           queue=queries.institution_queue(staff),
                           returned=queries.institution_requests(staff, [RequestState.RETURNED]),
                           closed=queries.institution_requests(staff, CLOSED_STATES), waited=waited)


def _forms(item, posted: str | None = None, posted_form=None) -> dict:
    forms = {}
    for action, (sources, _target) in services.MOVES.items():
        if item.state in sources:
            forms[action] = posted_form if action == posted else DecisionForm(prefix=action, data={"version": item.version})
    return forms


@bp.route("/institution/requests/<int:request_id>")
@staff_only
def request_page(request_id: int):
    item = queries.institution_request_or_404(current_user.user, request_id)
    return render_template("institutions/staff/request.html", item=item, forms=_forms(item), waited=waited(item))


@bp.route("/institution/requests/<int:request_id>/<any(return, accept, start, issue, decline):action>", methods=["POST"])
@upload_rate_limit
@staff_only
def decide(request_id: int, action: str):
    staff = current_user.user
    item = queries.institution_request_or_404(staff, request_id)
    form = DecisionForm(prefix=action)
    if form.validate_on_submit():
        document = form.document.data
        try:
            services.decide(
                staff, item, action, form.seen_version, link=owner_link(item.id), inbox_url=inbox_url(),
                note=form.note.data or "", visit_on=form.visit_on.data, sample_on=form.sample_on.data,
                test_on=form.test_on.data, number=form.number.data or "", scope=form.scope.data or "",
                valid_until=form.valid_until.data,
                document=document.read(current_app.config["MAX_PHOTO_BYTES"] + 1) if document and document.filename else None)
        except AlreadyDecided:
            rollback()
            flash(_("This was already decided by someone else (or changed meanwhile). Nothing was changed; here is how "
                    "it stands now."), "error")
            return redirect(url_for("institutions.request_page", request_id=request_id))
        except (ImageRejected, StorageError) as error:
            rollback()
            form.document.errors = [f"{document.filename}: {error.message}"]
        except DomainError as error:
            form_refusal(form.note, error)
        else:
            flash(_("Decision saved; the owner has been told."), "success")
            return redirect(url_for("institutions.request_page", request_id=request_id))
    item = queries.institution_request_or_404(staff, request_id)
    return render_template("institutions/staff/request.html", item=item, forms=_forms(item, action, form),
                           waited=waited(item)), 422


@bp.route("/institution/requests/<int:request_id>/documents/<int:document_id>")
@staff_only
def staff_document(request_id: int, document_id: int):
    item = queries.institution_request_or_404(current_user.user, request_id)
    document = next((d for d in item.documents if d.id == document_id), None)
    if document is None:
        abort(404)
    return send_document(document.name)


@bp.route("/institution/report")
@staff_only
def report():
    staff = current_user.user
    institution = queries.institution_of(staff)
    figures = reports.institution_report(institution)
    if request.args.get("format") == "csv":
        return reports.csv_response(figures, f"laporan-{institution.slug}.csv")
    return render_template("institutions/staff/report.html", institution=institution, figures=figures)

"""The institution staff's pages: the queue (oldest first, with the wait against the service standard), a request
with its documents and the decisions its state allows, and the institution's report."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.domain import AlreadyDecided, DomainError
from marketplace.errors import form_refusal
from marketplace.institutions import group_requests, queries, reports
from marketplace.institutions import service_requests as services
from marketplace.institutions.forms import DecisionForm, MemberDecisionForm
from marketplace.institutions.request_models import CLOSED_STATES, MemberOutcome, RequestState
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
        if item.state in sources and not (action == "issue" and item.is_group):  # a group is issued member by member
            forms[action] = posted_form if action == posted else DecisionForm(prefix=action, data={"version": item.version})
    return forms


def _member_forms(item, posted_row: int | None = None, posted_action: str = "", posted_form=None) -> dict:
    """The issue and decline forms of each undecided member, while the request is accepted or in progress."""
    if item.state not in group_requests.DECIDING_STATES:
        return {}
    forms = {}
    for row in item.members:
        if row.outcome is MemberOutcome.PENDING:
            pair = {action: MemberDecisionForm(prefix=f"m{row.id}-{action}", data={"version": row.version})
                    for action in ("issue", "decline")}
            if posted_row == row.id:
                pair[posted_action], pair["open"] = posted_form, True
            forms[row.id] = pair
    return forms


def _page(item, status: int = 200, **posted):
    return render_template("institutions/staff/request.html", item=item, forms=_forms(item, *posted.get("request", ())),
                           member_forms=_member_forms(item, *posted.get("member", ())), waited=waited(item)), status


@bp.route("/institution/requests/<int:request_id>")
@staff_only
def request_page(request_id: int):
    return _page(queries.institution_request_or_404(current_user.user, request_id))


@bp.route("/institution/requests/<int:request_id>/members/<int:row_id>/<any(issue, decline):action>", methods=["POST"])
@upload_rate_limit
@staff_only
def decide_member(request_id: int, row_id: int, action: str):
    staff = current_user.user
    item = queries.institution_request_or_404(staff, request_id)
    row = next((r for r in item.members if r.id == row_id), None)
    if row is None:
        abort(404)
    form = MemberDecisionForm(prefix=f"m{row_id}-{action}")
    if form.validate_on_submit():
        document = form.document.data
        try:
            group_requests.decide_member(
                staff, row, action, form.seen_version, link=owner_link(item.id), inbox_url=inbox_url(),
                note=form.note.data or "", number=form.number.data or "", valid_until=form.valid_until.data,
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
            form_refusal(form.note if action == "decline" else form.number, error)
        else:
            flash(_("Decision saved; the owner has been told."), "success")
            return redirect(url_for("institutions.request_page", request_id=request_id) + "#members")
    item = queries.institution_request_or_404(staff, request_id)
    return _page(item, 422, member=(row_id, action, form))


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
    return _page(queries.institution_request_or_404(staff, request_id), 422, request=(action, form))


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

"""The owner's requests: start one, complete it (products, ingredients, documents), send it when the checklist is
done, follow it, renew an issued one; and the owner's training enrolments."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.businesses.queries import owned_businesses
from marketplace.catalog.models import Product
from marketplace.cooperatives.queries import members_of
from marketplace.errors import form_refusal
from marketplace.extensions import db
from marketplace.forms_common import as_integer
from marketplace.institutions import queries, readiness
from marketplace.institutions import service_requests as services
from marketplace.institutions.forms import DocumentForm, NewRequestForm, RequestForm
from marketplace.institutions.models import InstitutionService
from marketplace.institutions.request_models import DocumentKind, RequestDocument
from marketplace.institutions.views.blueprint import bp
from marketplace.institutions.views.common import inbox_url, owner_link, waited
from marketplace.media.documents import send_document
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected
from marketplace.media.storage import StorageError
from marketplace.unit_of_work import rollback


def _products_of(business_ids) -> list[Product]:
    return list(db.session.scalars(db.select(Product).where(Product.business_id.in_(list(business_ids)))
                                   .options(selectinload(Product.member)).order_by(Product.name)))


@bp.route("/my/services")
@role_required(Role.OWNER)
def mine():
    owner = current_user.user
    return render_template("institutions/mine.html", requests=queries.owned_requests(owner),
                           enrolments=queries.owned_enrolments(owner), waited=waited)


@bp.route("/my/services/new", methods=["GET", "POST"])
@role_required(Role.OWNER)
def new_request():
    owner = current_user.user
    businesses = owned_businesses(owner)
    if not businesses:
        flash(_("Register your business first."), "info")
        return redirect(url_for("businesses.new"))
    services_offered = [s for i in queries.active_institutions() for s in i.services if s.active]
    chosen = as_integer(request.values.get("business")) or businesses[0].id
    business = next((b for b in businesses if b.id == chosen), businesses[0])
    products = _products_of([business.id])
    members = members_of(business) if business.is_cooperative else []
    form = NewRequestForm(businesses, services_offered, products, members,
                          data={"business": str(business.id), "service": request.args.get("service", "")})
    if form.validate_on_submit():
        service = db.session.get(InstitutionService, as_integer(form.service.data))
        draft = services.start_request(owner, business, service, products=[p for p in products if p.id in form.chosen_ids()],
                                       members=[m for m in members if m.id in form.chosen_member_ids()],
                                       ingredients=form.ingredients.data or "", note=form.note.data or "")
        flash(_("Request saved as a draft. Complete the checklist, then send it."), "success")
        return redirect(url_for("institutions.my_request", request_id=draft.id))
    return render_template("institutions/new_request.html", form=form, business=business, businesses=businesses)


def _request_form(service_request, products, members) -> RequestForm:
    return RequestForm(products, members, data={
        "products": [str(p.id) for p in service_request.products], "ingredients": service_request.ingredients,
        "note": service_request.note, "members": [str(row.member_id) for row in service_request.members]})


def _members_of(service_request):
    """The cooperative's members who may be chosen (consent in force), and those already chosen whatever their state."""
    if not service_request.business.is_cooperative:
        return []
    members = members_of(service_request.business)
    return members + [row.member for row in service_request.members if row.member not in members]


@bp.route("/my/services/<int:request_id>", methods=["GET", "POST"])
@role_required(Role.OWNER)
def my_request(request_id: int):
    owner = current_user.user
    service_request = queries.owned_request_or_404(owner, request_id)
    products = _products_of([service_request.business_id])
    members = _members_of(service_request)
    form = _request_form(service_request, products, members)
    if form.validate_on_submit():
        chosen = form.chosen_member_ids()
        try:
            services.update_request(owner, service_request, products=[p for p in products if p.id in form.chosen_ids()],
                                    ingredients=form.ingredients.data or "", note=form.note.data or "",
                                    members=[m for m in members if m.id in chosen] if members else None)
        except services.NotAMemberOfThisCooperative as error:
            form_refusal(form.members, error)
            return _request_page(queries.owned_request_or_404(owner, request_id), form, DocumentForm(), 422)
        flash(_("Saved."), "success")
        return redirect(url_for("institutions.my_request", request_id=service_request.id))
    return _request_page(service_request, form, DocumentForm())


def _request_page(service_request, form, document_form, status: int = 200):
    editable = service_request.editable
    checklist = readiness.checklist(service_request) if editable else []
    member_checklists = [(row, readiness.member_checklist(row)) for row in service_request.members] if editable else []
    return render_template("institutions/my_request.html", item=service_request, form=form, document_form=document_form,
                           checklist=checklist, member_checklists=member_checklists,
                           ready=editable and readiness.is_ready(service_request), waited=waited(service_request)), status


@bp.route("/my/services/<int:request_id>/documents", methods=["POST"])
@upload_rate_limit
@role_required(Role.OWNER)
def add_document(request_id: int):
    owner = current_user.user
    service_request = queries.owned_request_or_404(owner, request_id)
    document_form = DocumentForm()
    if document_form.validate_on_submit():
        upload = document_form.document.data
        try:
            services.add_document(owner, service_request, DocumentKind(document_form.kind.data),
                                  upload.read(current_app.config["MAX_PHOTO_BYTES"] + 1), upload.filename or "")
        except (ImageRejected, StorageError) as error:
            rollback()
            document_form.document.errors = [f"{upload.filename}: {error.message}"]
        except services.TooManyDocuments as error:
            form_refusal(document_form.document, error)
        else:
            flash(_("Document added."), "success")
            return redirect(url_for("institutions.my_request", request_id=service_request.id) + "#documents")
    service_request = queries.owned_request_or_404(owner, request_id)
    form = _request_form(service_request, _products_of([service_request.business_id]), _members_of(service_request))
    return _request_page(service_request, form, document_form, 422)


def _owned_document(request_id: int, document_id: int) -> RequestDocument:
    service_request = queries.owned_request_or_404(current_user.user, request_id)
    document = next((d for d in service_request.documents if d.id == document_id), None)
    if document is None:
        abort(404)
    return document


@bp.route("/my/services/<int:request_id>/documents/<int:document_id>")
@role_required(Role.OWNER)
def my_document(request_id: int, document_id: int):
    return send_document(_owned_document(request_id, document_id).name)


@bp.route("/my/services/<int:request_id>/documents/<int:document_id>/delete", methods=["POST"])
@role_required(Role.OWNER)
def remove_document(request_id: int, document_id: int):
    services.remove_document(current_user.user, _owned_document(request_id, document_id))
    flash(_("Document removed."), "success")
    return redirect(url_for("institutions.my_request", request_id=request_id) + "#documents")


@bp.route("/my/services/<int:request_id>/submit", methods=["POST"])
@role_required(Role.OWNER)
def submit(request_id: int):
    service_request = queries.owned_request_or_404(current_user.user, request_id)
    services.submit_request(current_user.user, service_request, link=owner_link(request_id), inbox_url=inbox_url())
    flash(_("Request sent to %(institution)s.", institution=service_request.institution.display_name), "success")
    return redirect(url_for("institutions.my_request", request_id=request_id))


@bp.route("/my/services/<int:request_id>/renew", methods=["POST"])
@role_required(Role.OWNER)
def renew(request_id: int):
    issued = queries.owned_request_or_404(current_user.user, request_id)
    renewal = services.request_renewal(current_user.user, issued, link_for=owner_link, inbox_url=inbox_url())
    flash(_("Renewal request sent.") if renewal.submitted_at else
          _("Renewal request started: complete the missing items, then send it."), "success")
    return redirect(url_for("institutions.my_request", request_id=renewal.id))


@bp.route("/my/services/<int:request_id>/certificate")
@role_required(Role.OWNER)
def my_certificate(request_id: int):
    service_request = queries.owned_request_or_404(current_user.user, request_id)
    if not service_request.certificate_document:
        abort(404)
    return send_document(service_request.certificate_document)


@bp.route("/my/services/<int:request_id>/members/<int:row_id>/certificate")
@role_required(Role.OWNER)
def my_member_certificate(request_id: int, row_id: int):
    service_request = queries.owned_request_or_404(current_user.user, request_id)
    row = next((r for r in service_request.members if r.id == row_id), None)
    if row is None or not row.certificate_document:
        abort(404)
    return send_document(row.certificate_document)

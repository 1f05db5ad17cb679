"""The organisers' training cohorts: publish one, see its participants, confirm them, record attendance and issue
certificates of attendance. The same views serve two scopes: an institution's staff (`/institution/cohorts...`,
endpoints as named) and a region's DKUPP, its moderators and admins (`/moderation/cohorts...`, endpoints prefixed
`dkupp_`); each view receives its scope and reads the cohort through that scope's query helper (404 outside)."""

from functools import wraps

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.catalog.models import Category
from marketplace.errors import form_refusal
from marketplace.extensions import db
from marketplace.forms_common import as_integer
from marketplace.institutions import cohort_changes, queries
from marketplace.institutions import training as services
from marketplace.institutions.forms import CohortEditForm, CohortForm
from marketplace.institutions.training_models import Eligibility
from marketplace.institutions.views.blueprint import bp
from marketplace.institutions.views.common import inbox_url
from marketplace.institutions.views.staff import staff_only
from marketplace.regions.models import Region

INSTITUTION, DKUPP = "institution", "dkupp"
dkupp_only = role_required(Role.MODERATOR, Role.ADMIN)


def cohort_route(rule: str, **options):
    """Register the view twice: for an institution's staff and for a region's DKUPP, each passing its scope."""

    def decorator(view):
        def bound(scope: str, guard):
            @wraps(view)
            def scoped(**kwargs):
                return view(scope=scope, **kwargs)

            return guard(scoped)

        bp.add_url_rule(f"/institution/cohorts{rule}", endpoint=view.__name__, view_func=bound(INSTITUTION, staff_only),
                        **options)
        bp.add_url_rule(f"/moderation/cohorts{rule}", endpoint=f"dkupp_{view.__name__}",
                        view_func=bound(DKUPP, dkupp_only), **options)
        return view

    return decorator


def _endpoint(scope: str, name: str) -> str:
    return f"institutions.{'dkupp_' if scope == DKUPP else ''}{name}"


def _organiser(scope: str) -> dict:
    """What the pages show of the organiser, and the endpoint prefix their links use."""
    user = current_user.user
    if scope == DKUPP:
        region = db.session.get(Region, user.region_code) if user.region_code else None
        return {"organiser_name": f"DKUPP {region.full_name}" if region else "DKUPP", "ep": "institutions.dkupp_"}
    return {"organiser_name": queries.institution_of(user).display_name, "ep": "institutions."}


@cohort_route("")
def cohorts(scope: str):
    user = current_user.user
    items = queries.dkupp_cohorts(user) if scope == DKUPP else queries.institution_cohorts(user)
    return render_template("institutions/staff/cohorts.html", cohorts=items, scope=scope, **_organiser(scope))


@cohort_route("/new", methods=["GET", "POST"])
def new_cohort(scope: str):
    user = current_user.user
    institution = queries.institution_of(user) if scope == INSTITUTION else None
    home = institution.region_code if institution else user.region_code
    tops = db.session.scalars(db.select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)).all()
    form = CohortForm(tops, data=None if request.method == "POST" else {"region": home})
    if form.validate_on_submit():
        # a moderator's DKUPP is their region's; an admin publishes for the DKUPP of the region where it takes place
        organiser = (user.region_code if user.role is Role.MODERATOR else form.region.data) if scope == DKUPP else None
        if scope == DKUPP and not organiser:
            form.region.errors.append(_("Choose the region whose DKUPP organises the training."))
        else:
            eligibility = Eligibility(form.eligibility.data)
            cohort = services.create_cohort(
                user, institution, organiser_region_code=organiser, topic=form.topic.data,
                description=form.description.data or "", starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                online=form.online.data, venue=form.venue.data or "", region_code=form.region.data or None,
                capacity=form.capacity.data, eligibility=eligibility, enrol_by=form.enrol_by.data,
                eligible_region_code=form.eligible_region.data if eligibility is Eligibility.REGION else None,
                eligible_category_id=as_integer(form.eligible_category.data) if eligibility is Eligibility.SECTOR
                else None)
            flash(_("Training published."), "success")
            return redirect(url_for(_endpoint(scope, "staff_cohort"), cohort_id=cohort.id))
    return render_template("institutions/staff/cohort_form.html", form=form, scope=scope, **_organiser(scope))


@cohort_route("/<int:cohort_id>")
def staff_cohort(cohort_id: int, scope: str):
    cohort = queries.cohort_or_404(current_user.user, cohort_id, scope)
    return render_template("institutions/staff/cohort.html", cohort=cohort, scope=scope, **_organiser(scope))


@cohort_route("/<int:cohort_id>/edit", methods=["GET", "POST"])
def edit_cohort(cohort_id: int, scope: str):
    user = current_user.user
    cohort = queries.cohort_or_404(user, cohort_id, scope)
    fields = ("description", "starts_on", "ends_on", "online", "venue", "capacity", "enrol_by")
    form = CohortEditForm(data=None if request.method == "POST" else
                          {"region": cohort.region_code or "", **{name: getattr(cohort, name) for name in fields}})
    if form.validate_on_submit():
        try:
            promoted = cohort_changes.update_cohort(
                user, cohort, capacity=form.capacity.data, link=url_for("institutions.cohort", cohort_id=cohort_id),
                inbox_url=inbox_url(), description=form.description.data or "", starts_on=form.starts_on.data,
                ends_on=form.ends_on.data, online=form.online.data, venue=form.venue.data or "",
                region_code=form.region.data or None, enrol_by=form.enrol_by.data)
        except cohort_changes.CapacityBelowSeatsTaken as error:
            form_refusal(form.capacity, error)
        else:
            flash(_("Training updated; its participants have been told of a new schedule or venue."), "success")
            if promoted:
                flash(_("%(n)d people moved up from the waiting list.", n=len(promoted)), "info")
            return redirect(url_for(_endpoint(scope, "staff_cohort"), cohort_id=cohort_id))
    return render_template("institutions/staff/cohort_edit.html", form=form, cohort=cohort, scope=scope,
                           **_organiser(scope))


@cohort_route("/<int:cohort_id>/enrolments/<int:enrolment_id>/confirm", methods=["POST"])
def confirm(cohort_id: int, enrolment_id: int, scope: str):
    cohort = queries.cohort_or_404(current_user.user, cohort_id, scope)
    enrolment = next((e for e in cohort.enrolments if e.id == enrolment_id), None)
    if enrolment is None:
        return redirect(url_for(_endpoint(scope, "staff_cohort"), cohort_id=cohort_id))
    services.confirm(current_user.user, enrolment)
    flash(_("Participant confirmed."), "success")
    return redirect(url_for(_endpoint(scope, "staff_cohort"), cohort_id=cohort_id))


@cohort_route("/<int:cohort_id>/attendance", methods=["POST"])
def attendance(cohort_id: int, scope: str):
    cohort = queries.cohort_or_404(current_user.user, cohort_id, scope)
    attended = {as_integer(value) for value in request.form.getlist("attended")} - {None}
    services.record_attendance(current_user.user, cohort, attended)
    flash(_("Attendance saved."), "success")
    return redirect(url_for(_endpoint(scope, "staff_cohort"), cohort_id=cohort_id))


@cohort_route("/<int:cohort_id>/certificates", methods=["POST"])
def certificates(cohort_id: int, scope: str):
    cohort = queries.cohort_or_404(current_user.user, cohort_id, scope)
    issued = services.issue_certificates(
        current_user.user, cohort, verify_url_for=lambda code: url_for("institutions.verify", code=code, _external=True),
        link=url_for("institutions.mine"), inbox_url=inbox_url())
    flash(_("%(n)d certificates of attendance issued.", n=issued), "success")
    return redirect(url_for(_endpoint(scope, "staff_cohort"), cohort_id=cohort_id))

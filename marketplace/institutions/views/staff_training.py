"""The institution staff's training cohorts: publish one, see its participants, confirm them, record attendance and
issue certificates of attendance."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

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


@bp.route("/institution/cohorts")
@staff_only
def cohorts():
    staff = current_user.user
    return render_template("institutions/staff/cohorts.html", institution=queries.institution_of(staff),
                           cohorts=queries.institution_cohorts(staff))


@bp.route("/institution/cohorts/new", methods=["GET", "POST"])
@staff_only
def new_cohort():
    staff = current_user.user
    institution = queries.institution_of(staff)
    tops = db.session.scalars(db.select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)).all()
    form = CohortForm(tops, data=None if request.method == "POST" else {"region": institution.region_code})
    if form.validate_on_submit():
        eligibility = Eligibility(form.eligibility.data)
        cohort = services.create_cohort(
            staff, institution, topic=form.topic.data, description=form.description.data or "",
            starts_on=form.starts_on.data, ends_on=form.ends_on.data, online=form.online.data,
            venue=form.venue.data or "", region_code=form.region.data or None, capacity=form.capacity.data,
            eligibility=eligibility, enrol_by=form.enrol_by.data,
            eligible_region_code=form.eligible_region.data if eligibility is Eligibility.REGION else None,
            eligible_category_id=as_integer(form.eligible_category.data) if eligibility is Eligibility.SECTOR else None)
        flash(_("Training published."), "success")
        return redirect(url_for("institutions.staff_cohort", cohort_id=cohort.id))
    return render_template("institutions/staff/cohort_form.html", form=form, institution=institution)


@bp.route("/institution/cohorts/<int:cohort_id>")
@staff_only
def staff_cohort(cohort_id: int):
    cohort = queries.institution_cohort_or_404(current_user.user, cohort_id)
    return render_template("institutions/staff/cohort.html", cohort=cohort)


@bp.route("/institution/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@staff_only
def edit_cohort(cohort_id: int):
    staff = current_user.user
    cohort = queries.institution_cohort_or_404(staff, cohort_id)
    fields = ("description", "starts_on", "ends_on", "online", "venue", "capacity", "enrol_by")
    form = CohortEditForm(data=None if request.method == "POST" else
                          {"region": cohort.region_code or "", **{name: getattr(cohort, name) for name in fields}})
    if form.validate_on_submit():
        try:
            promoted = cohort_changes.update_cohort(
                staff, cohort, capacity=form.capacity.data, link=url_for("institutions.cohort", cohort_id=cohort_id),
                inbox_url=inbox_url(), description=form.description.data or "", starts_on=form.starts_on.data,
                ends_on=form.ends_on.data, online=form.online.data, venue=form.venue.data or "",
                region_code=form.region.data or None, enrol_by=form.enrol_by.data)
        except cohort_changes.CapacityBelowSeatsTaken as error:
            form_refusal(form.capacity, error)
        else:
            flash(_("Training updated; its participants have been told of a new schedule or venue."), "success")
            if promoted:
                flash(_("%(n)d people moved up from the waiting list.", n=len(promoted)), "info")
            return redirect(url_for("institutions.staff_cohort", cohort_id=cohort_id))
    return render_template("institutions/staff/cohort_edit.html", form=form, cohort=cohort)


@bp.route("/institution/cohorts/<int:cohort_id>/enrolments/<int:enrolment_id>/confirm", methods=["POST"])
@staff_only
def confirm(cohort_id: int, enrolment_id: int):
    cohort = queries.institution_cohort_or_404(current_user.user, cohort_id)
    enrolment = next((e for e in cohort.enrolments if e.id == enrolment_id), None)
    if enrolment is None:
        return redirect(url_for("institutions.staff_cohort", cohort_id=cohort_id))
    services.confirm(current_user.user, enrolment)
    flash(_("Participant confirmed."), "success")
    return redirect(url_for("institutions.staff_cohort", cohort_id=cohort_id))


@bp.route("/institution/cohorts/<int:cohort_id>/attendance", methods=["POST"])
@staff_only
def attendance(cohort_id: int):
    cohort = queries.institution_cohort_or_404(current_user.user, cohort_id)
    attended = {as_integer(value) for value in request.form.getlist("attended")} - {None}
    services.record_attendance(current_user.user, cohort, attended)
    flash(_("Attendance saved."), "success")
    return redirect(url_for("institutions.staff_cohort", cohort_id=cohort_id))


@bp.route("/institution/cohorts/<int:cohort_id>/certificates", methods=["POST"])
@staff_only
def certificates(cohort_id: int):
    cohort = queries.institution_cohort_or_404(current_user.user, cohort_id)
    issued = services.issue_certificates(
        current_user.user, cohort, verify_url_for=lambda code: url_for("institutions.verify", code=code, _external=True),
        link=url_for("institutions.mine"), inbox_url=inbox_url())
    flash(_("%(n)d certificates of attendance issued.", n=issued), "success")
    return redirect(url_for("institutions.staff_cohort", cohort_id=cohort_id))

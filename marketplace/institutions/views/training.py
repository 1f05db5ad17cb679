"""Training cohorts: the public page of a cohort with seats left and the owner's enrolment, withdrawal, choices and
certificate download."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.businesses.queries import owned_businesses
from marketplace.cooperatives.queries import members_of
from marketplace.extensions import db
from marketplace.forms_common import as_integer
from marketplace.institutions import queries
from marketplace.institutions import training as services
from marketplace.institutions.forms import EnrolForm, EnrolmentChoicesForm
from marketplace.institutions.training_models import Enrolment, EnrolmentState
from marketplace.institutions.views.blueprint import bp
from marketplace.institutions.views.common import inbox_url
from marketplace.media.documents import send_document
from marketplace.timeutil import today


def _own_enrolment(cohort_id: int):
    """The owner's own place in the cohort (not the places taken for members)."""
    if not current_user.is_authenticated or current_user.role is not Role.OWNER:
        return None
    return db.session.scalar(db.select(Enrolment).where(Enrolment.cohort_id == cohort_id, Enrolment.member_id.is_(None),
                                                        Enrolment.user_id == current_user.id))


def _members(businesses) -> list:
    """The member producers (consent in force) of the owner's cooperatives, whom the owner may enrol."""
    return [m for b in businesses if b.is_cooperative for m in members_of(b)]


@bp.route("/services/training/<int:cohort_id>")
def cohort(cohort_id: int):
    item = queries.public_cohort_or_404(cohort_id)
    businesses = owned_businesses(current_user.user) if current_user.is_authenticated and current_user.role is Role.OWNER else []
    return render_template("institutions/cohort.html", cohort=item, form=EnrolForm(businesses, _members(businesses)),
                           businesses=businesses, enrolment=_own_enrolment(cohort_id), open=today() <= item.enrol_by)


@bp.route("/services/training/<int:cohort_id>/enrol", methods=["POST"])
@role_required(Role.OWNER)
def enrol(cohort_id: int):
    item = queries.public_cohort_or_404(cohort_id)
    businesses = owned_businesses(current_user.user)
    form = EnrolForm(businesses, _members(businesses))
    if not form.validate_on_submit():
        return render_template("institutions/cohort.html", cohort=item, form=form, businesses=businesses,
                               enrolment=_own_enrolment(cohort_id), open=today() <= item.enrol_by), 422
    business = next(b for b in businesses if b.id == as_integer(form.business.data))
    enrolment = services.enrol(current_user.user, item, business, young=form.young.data, show_name=form.show_name.data,
                               on=today(), member=form.chosen_member)
    if enrolment.member is not None:
        flash(_("%(name)s has a seat in this training.", name=enrolment.member.name)
              if enrolment.state is EnrolmentState.ENROLLED else
              _("The training is full: %(name)s is on the waiting list and moves up automatically when a seat frees.",
                name=enrolment.member.name), "success" if enrolment.state is EnrolmentState.ENROLLED else "info")
    elif enrolment.state is EnrolmentState.ENROLLED:
        flash(_("You have a seat in this training."), "success")
    else:
        flash(_("The training is full: you are on the waiting list and move up automatically when a seat frees."), "info")
    return redirect(url_for("institutions.mine") + "#training")


def _enrolment_or_404(enrolment_id: int) -> Enrolment:
    return queries.owned_enrolment_or_404(current_user.user, enrolment_id)


@bp.route("/my/services/enrolments/<int:enrolment_id>/withdraw", methods=["POST"])
@role_required(Role.OWNER)
def withdraw(enrolment_id: int):
    enrolment = _enrolment_or_404(enrolment_id)
    services.withdraw(current_user.user, enrolment, link=url_for("institutions.mine"), inbox_url=inbox_url())
    flash(_("You have withdrawn from the training."), "success")
    return redirect(url_for("institutions.mine") + "#training")


@bp.route("/my/services/enrolments/<int:enrolment_id>/choices", methods=["POST"])
@role_required(Role.OWNER)
def choices(enrolment_id: int):
    enrolment = _enrolment_or_404(enrolment_id)
    form = EnrolmentChoicesForm()
    if form.validate_on_submit():
        services.set_choices(current_user.user, enrolment, show_name=form.show_name.data,
                             show_on_business=form.show_on_business.data)
        flash(_("Saved."), "success")
    return redirect(url_for("institutions.mine") + "#training")


@bp.route("/my/services/enrolments/<int:enrolment_id>/certificate")
@role_required(Role.OWNER)
def attendance_certificate(enrolment_id: int):
    enrolment = _enrolment_or_404(enrolment_id)
    if not enrolment.certificate_document:
        abort(404)
    return send_document(enrolment.certificate_document)

"""Public pages: the institutions and their services with upcoming training cohorts, and checking a certificate of
attendance by its code."""

from flask import abort, render_template

from marketplace.extensions import db
from marketplace.institutions import queries
from marketplace.institutions.training_models import Enrolment
from marketplace.institutions.views.blueprint import bp
from marketplace.timeutil import today


@bp.route("/services")
def index():
    return render_template("institutions/index.html", institutions=queries.active_institutions(),
                           cohorts=queries.upcoming_cohorts(today()))


@bp.route("/verify/<code>")
def verify(code: str):
    """Anyone may check a certificate of attendance: the training, its dates and institution; the participant's name
    only if they agreed."""
    if len(code) > 24:
        abort(404)
    enrolment = db.session.scalar(db.select(Enrolment).where(Enrolment.certificate_code == code.upper()))
    if enrolment is None:
        return render_template("institutions/verify.html", enrolment=None, code=code), 404
    return render_template("institutions/verify.html", enrolment=enrolment, code=enrolment.certificate_code)

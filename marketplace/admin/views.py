"""The platform operator's area: regions, agreements, staff."""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Role, User
from marketplace.authz import role_required
from marketplace.extensions import db
from marketplace.regions.models import Scope
from marketplace.regions.queries import all_agreements, all_regions, partner_regions
from marketplace.timeutil import today

bp = Blueprint("admin", __name__, url_prefix="/admin")

SCOPE_LABELS = {Scope.PROMOTION.value: _l("UMKM promotion and marketing"), Scope.STAPLES.value: _l("staple goods distribution")}


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    staff = db.session.scalars(
        db.select(User)
        .options(selectinload(User.region))
        .where(User.role.in_([Role.MODERATOR, Role.ADMIN]))
        .order_by(User.region_code, User.email)
    ).all()
    on = today()
    return render_template(
        "admin/index.html", regions=all_regions(), agreements=all_agreements(), staff=staff,
        partner_codes={r.code for r in partner_regions(on)}, today=on,
        scope_labels=SCOPE_LABELS,
    )

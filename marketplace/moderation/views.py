"""The moderator's area for their own region."""

from flask import Blueprint, render_template
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.route("/")
@role_required(Role.MODERATOR)
def index():
    return render_template("moderation/index.html", region=current_user.region)

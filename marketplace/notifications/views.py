"""The notifications page (the header's unread count comes from marketplace/header.py)."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from marketplace.extensions import db
from marketplace.notifications.messages import render
from marketplace.notifications.models import Notification
from marketplace.notifications.reasons import render_reason
from marketplace.notifications.services import mark_all_read

bp = Blueprint("notifications", __name__)

# `{{ product.review_reason|reason }}`: a decision's stored reason in the reader's language, on every page
bp.add_app_template_filter(render_reason, "reason")


@bp.route("/my/notifications")
@login_required
def index():
    notifications = db.session.scalars(
        db.select(Notification).where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(100)
    ).all()
    return render_template("notifications/index.html", notifications=notifications, render=render)


@bp.route("/my/notifications/read", methods=["POST"])
@login_required
def read_all():
    mark_all_read(current_user.user)
    return redirect(url_for("notifications.index"))

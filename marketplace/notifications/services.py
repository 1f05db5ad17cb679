"""Create notifications and mail them, in the recipient's language."""

from flask import current_app, render_template, url_for
from flask_babel import force_locale

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.mail import send_mail
from marketplace.models_base import utcnow
from marketplace.notifications.messages import SUBJECT, render
from marketplace.notifications.models import Notification


def notify(user: User, kind: str, link: str = "", **params) -> Notification:
    """Add a notification to the session (the caller commits, then calls deliver)."""
    notification = Notification(user=user, kind=kind, params=params, link=link)
    db.session.add(notification)
    return notification


def deliver(notifications: list[Notification]) -> None:
    """Queue the mail of committed notifications; a failure is logged and never undoes the decision."""
    for notification in notifications:
        user = notification.user
        try:
            with force_locale(user.locale):
                body = render_template(
                    "notifications/email.txt", user=user, message=render(notification.kind, notification.params),
                    link=url_for("notifications.index", _external=True),
                )
                send_mail(user.email, str(SUBJECT), body)
        except Exception:  # the queue is down: the notification is in the app all the same
            current_app.logger.exception("could not queue the mail of notification %s", notification.id)


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        db.select(db.func.count(Notification.id)).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def mark_all_read(user: User) -> None:
    db.session.execute(
        db.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow())
    )
    db.session.commit()

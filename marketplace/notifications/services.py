"""Notifications: one row per thing a user is told, shown in the app and mailed in the recipient's language."""

from flask import current_app, render_template
from flask_babel import force_locale

from marketplace.extensions import db
from marketplace.mail import send_mail
from marketplace.models_base import utcnow
from marketplace.notifications.messages import render, subject
from marketplace.notifications.models import Notification


def notify(user, kind: str, *, link: str = "", inbox_url: str, **params) -> Notification:
    """Tell user: a notification in the app (link: the page it is about), and a mail pointing to inbox_url (the
    absolute address of the notifications page), sent once the unit of work commits. A mail that cannot be written
    is logged and never undoes the change it tells of."""
    notification = Notification(user=user, kind=kind, params=params, link=link)
    db.session.add(notification)
    try:
        with force_locale(user.locale):
            body = render_template("notifications/email.txt", user=user, message=render(kind, params), link=inbox_url)
            send_mail(user.email, subject(kind), body)
    except Exception:  # a template or locale problem must not cost the owner the decision itself
        current_app.logger.exception("could not write the mail of a %s notification to user %s", kind, user.id)
    return notification


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        db.select(db.func.count(Notification.id)).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def mark_all_read(user) -> None:
    db.session.execute(
        db.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow())
    )

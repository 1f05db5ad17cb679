"""The header's counts for the logged-in user (unread notifications, inquiry threads with unread messages for owners
and buyers, staples match threads with unread messages for owners, a moderator's queue), in the one context
processor that reads the database. It fails soft: a page whose own queries worked is shown without its counts rather
than lost to an error."""

from flask import Flask, current_app, has_request_context
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from marketplace.accounts.models import Role
from marketplace.conversations.queries import unread_conversations
from marketplace.inquiries.services import unread_count as unread_inquiries
from marketplace.moderation.queries import queue_count
from marketplace.notifications.services import unread_count as unread_notifications
from marketplace.staples.talk import SUBJECT as MATCH_SUBJECT


def header_counts() -> dict:
    """The counts the header shows to the current user ({} for visitors, and for mail rendered outside a request)."""
    if not has_request_context() or not current_user.is_authenticated:
        return {}
    try:
        counts = {"unread_notifications": unread_notifications(current_user.id)}
        if current_user.role in (Role.OWNER, Role.BUYER):  # threads, received or sent, with unread messages
            counts["unread_inquiries"] = unread_inquiries(current_user.id)
        if current_user.role is Role.OWNER:  # the conversations of staples matches
            counts["unread_match_threads"] = unread_conversations(current_user.id, MATCH_SUBJECT)
        elif current_user.role is Role.MODERATOR:
            counts["moderation_queue_count"] = queue_count(current_user.region_code)
    except SQLAlchemyError:
        current_app.logger.warning("header counts left out: the database did not answer", exc_info=True)
        return {}
    return counts


def register(app: Flask) -> None:
    app.context_processor(header_counts)

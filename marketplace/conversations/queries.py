"""Unread counts: each party's messages from the others after the newest one they have read; one query for a whole
list of conversations, so a list page's query count does not grow with its length."""

from collections.abc import Iterable

from sqlalchemy import and_, or_

from marketplace.conversations.models import Conversation, ConversationParty, Message
from marketplace.extensions import db


def _unread(user_id: int):
    return (
        db.select(Message.conversation_id, db.func.count(Message.id).label("unread"))
        .join(ConversationParty, and_(ConversationParty.conversation_id == Message.conversation_id,
                                      ConversationParty.user_id == user_id))
        .where(Message.id > ConversationParty.last_read_message_id,
               or_(Message.author_id.is_(None), Message.author_id != user_id))
        .group_by(Message.conversation_id)
    )


def unread_subquery(user_id: int):
    """(conversation_id, unread) of each conversation with messages user has not read, to join in a feature's list."""
    return _unread(user_id).subquery()


def unread_counts(user_id: int, conversation_ids: Iterable[int]) -> dict[int, int]:
    """{conversation id: messages user has not read} for the given conversations (absent: none unread)."""
    ids = list(conversation_ids)
    if not ids:
        return {}
    rows = db.session.execute(_unread(user_id).where(Message.conversation_id.in_(ids))).all()
    return {conversation_id: count for conversation_id, count in rows}


def unread_conversations(user_id: int, subject: str | None = None) -> int:
    """How many conversations (about subject, if given) have messages user has not read."""
    stmt = _unread(user_id)
    if subject is not None:
        stmt = stmt.join(Conversation, Conversation.id == Message.conversation_id).where(Conversation.subject == subject)
    return db.session.scalar(db.select(db.func.count()).select_from(stmt.subquery()))

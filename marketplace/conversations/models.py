"""A conversation, its parties (with how far each has read) and its messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.models_base import UTCDateTime, utcnow


class Conversation(db.Model):
    """A thread about one subject; the subject's row refers to it (e.g. `Inquiry.conversation_id`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(40))  # the kind of thing it is about: "inquiry", later "staples_match"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # closed: still readable, no new messages

    parties: Mapped[list[ConversationParty]] = relationship(back_populates="conversation", cascade="all, delete-orphan")
    messages: Mapped[list[Message]] = relationship(back_populates="conversation", cascade="all, delete-orphan",
                                                   order_by="Message.id")

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    def party(self, user_id: int) -> ConversationParty | None:
        return next((party for party in self.parties if party.user_id == user_id), None)


class ConversationParty(db.Model):
    """A user taking part; last_read_message_id: the newest message they have seen (unread: the others' after it)."""

    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)
    last_read_message_id: Mapped[int] = mapped_column(default=0)

    conversation: Mapped[Conversation] = relationship(back_populates="parties")
    user: Mapped[User] = relationship()


class Message(db.Model):
    """One message; the author is None for a visitor without an account (an inquiry's opening message)."""

    __table_args__ = (Index("ix_message_conversation_id_id", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()

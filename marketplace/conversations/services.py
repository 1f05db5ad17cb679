"""Open a conversation, post to it, read it, close it. Services change objects and flush; the unit of work commits.

Reuse: a feature with something two parties talk about (an inquiry; later a staples match, where either side opens
the conversation from the match) calls `open_conversation(subject, parties, ...)`, keeps the conversation's id on its
own row, checks on its own pages who may see its subject (404 for anyone else), and calls `post_message` with the
words that name the subject in the notification (`about`) and the links built by its view."""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import User
from marketplace.conversations.models import Conversation, ConversationParty, Message
from marketplace.domain import DomainError, OutsideRegion
from marketplace.extensions import db
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify

EXCERPT_LENGTH = 140


class ConversationClosed(DomainError):
    status = 409
    message = _l("This conversation is closed: it can still be read, but no new messages can be sent.")


class NobodyToAnswer(DomainError):
    status = 409
    message = _l("The other side has no account on Etalase UMKM: answer them by WhatsApp or email.")


def open_conversation(subject: str, parties: Iterable[User], *, opening: str | None = None,
                      author: User | None = None) -> Conversation:
    """A new conversation about subject (a short code: "inquiry") between parties, with an opening message by author
    (None: someone without an account) when opening is given. Nobody is notified here: the subject's feature tells
    the other side in its own words (a new inquiry, a new match)."""
    conversation = Conversation(subject=subject)
    for user in {user.id: user for user in parties}.values():
        conversation.parties.append(ConversationParty(user=user))
    db.session.add(conversation)
    if opening is not None:
        message = Message(conversation=conversation, author=author, body=opening.strip(), created_at=utcnow())
        db.session.add(message)
        db.session.flush()
        conversation.last_message_at = message.created_at
        if author is not None and (party := conversation.party(author.id)) is not None:
            party.last_read_message_id = message.id
    db.session.flush()
    return conversation


def excerpt(body: str) -> str:
    """The start of a message, for a notification."""
    text = " ".join(body.split())
    return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH - 1].rstrip() + "…"


def post_message(conversation: Conversation, author: User, body: str, *, about: str, link: str,
                 inbox_url: str) -> Message:
    """Add author's message and tell every other party (in the app, link: the conversation's page; by email in their
    language, inbox_url: the absolute address of the notifications page). about: what the conversation is about, as
    the notification names it (a product's name). Refused when author is not a party (404), when the conversation is
    closed, or when nobody else with an account takes part."""
    party = conversation.party(author.id)
    if party is None:
        raise OutsideRegion
    if conversation.closed:
        raise ConversationClosed
    others = [other.user for other in conversation.parties if other.user_id != author.id]
    if not others:
        raise NobodyToAnswer
    message = Message(conversation=conversation, author=author, body=body.strip(), created_at=utcnow())
    db.session.add(message)
    conversation.last_message_at = message.created_at
    db.session.flush()
    party.last_read_message_id = message.id  # one's own message is read
    for user in others:
        notify(user, "conversation.message", link=link, inbox_url=inbox_url, name=author.name, about=about,
               excerpt=excerpt(message.body))
    return message


def mark_read(conversation: Conversation, user: User) -> None:
    """user has seen every message of the conversation so far."""
    party = conversation.party(user.id)
    if party is not None and conversation.messages:
        party.last_read_message_id = max(party.last_read_message_id, conversation.messages[-1].id)


def close(conversation: Conversation) -> None:
    """No new messages; the thread stays readable."""
    if conversation.closed_at is None:
        conversation.closed_at = utcnow()


def reopen(conversation: Conversation) -> None:
    conversation.closed_at = None

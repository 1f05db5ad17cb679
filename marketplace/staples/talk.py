"""The conversation of a match: either side opens it (or finds the one already opened) by sending a first message;
its parties are the owners of the offer's and the need's businesses. Nobody else reads it: the thread is the two
sides' own, like an inquiry's (moderators see the match and the deals, not the messages)."""

from __future__ import annotations

from sqlalchemy import and_, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts.models import User
from marketplace.conversations import services as conversations
from marketplace.conversations.models import Conversation, ConversationParty
from marketplace.conversations.queries import unread_subquery
from marketplace.domain import OutsideRegion
from marketplace.extensions import db
from marketplace.models_base import utcnow
from marketplace.staples.models import MatchConversation, StaplesPost

SUBJECT = "staples_match"


def match_conversation(offer_id: int, need_id: int) -> MatchConversation | None:
    return db.session.scalar(db.select(MatchConversation).where(
        MatchConversation.offer_id == offer_id, MatchConversation.need_id == need_id).options(
        selectinload(MatchConversation.conversation).selectinload(Conversation.messages)))


def threads_of(user: User) -> list[tuple[MatchConversation, int]]:
    """The match conversations user takes part in, newest message first, each with how many messages user has not
    read (one query, whatever their number): /my/staples lists them, also once the match itself has ended."""
    unread = unread_subquery(user.id)
    offer = joinedload(MatchConversation.offer)
    rows = db.session.execute(
        db.select(MatchConversation, func.coalesce(unread.c.unread, 0))
        .join(Conversation, Conversation.id == MatchConversation.conversation_id)
        .join(ConversationParty, and_(ConversationParty.conversation_id == Conversation.id,
                                      ConversationParty.user_id == user.id))
        .outerjoin(unread, unread.c.conversation_id == Conversation.id)
        .options(offer.joinedload(StaplesPost.commodity), offer.joinedload(StaplesPost.business),
                 joinedload(MatchConversation.need).joinedload(StaplesPost.business))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())).all()
    return [(found, int(count)) for found, count in rows]


def conversation_of_party_or_404(user: User, offer_id: int, need_id: int) -> MatchConversation:
    """The match's conversation if user is one of its two parties; 404 for anyone else (staff included)."""
    found = match_conversation(offer_id, need_id)
    if found is None or found.conversation.party(user.id) is None:
        raise OutsideRegion
    return found


def send(user: User, offer: StaplesPost, need: StaplesPost, body: str, *, link: str,
         inbox_url: str) -> MatchConversation:
    """user's message in the match's conversation, opened now between the two owners if it was not yet; the other
    side is notified (`conversation.message`). The caller has checked that offer and need are a current match of
    which one side is user's."""
    found = match_conversation(offer.id, need.id) or _open(offer, need)
    conversations.post_message(found.conversation, user, body, about=offer.commodity.name, link=link,
                               inbox_url=inbox_url)
    return found


def _open(offer: StaplesPost, need: StaplesPost) -> MatchConversation:
    """The match's conversation, opened now, or the one the other side opened at the same moment. The pair is the
    primary key: INSERT ... ON CONFLICT DO NOTHING, so when both sides' first messages arrive together the second
    waits for the first (PostgreSQL), inserts nothing, drops the conversation it had just made and reads the first's
    (it is committed by then) instead of failing on the key."""
    conversation = conversations.open_conversation(SUBJECT, [offer.business.owner, need.business.owner])
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = MatchConversation.__table__
    inserted = db.session.execute(insert(table).values(
        offer_id=offer.id, need_id=need.id, conversation_id=conversation.id, created_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=[table.c.offer_id, table.c.need_id]).returning(table.c.conversation_id)).scalar()
    if inserted is None:  # the other side's came first
        db.session.delete(conversation)
        db.session.flush()
    return match_conversation(offer.id, need.id)


def mark_read(found: MatchConversation, user: User) -> None:
    conversations.mark_read(found.conversation, user)

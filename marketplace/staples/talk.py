"""The conversation of a match: either side opens it (or finds the one already opened) by sending a first message;
its parties are the owners of the offer's and the need's businesses. Nobody else reads it: the thread is the two
sides' own, like an inquiry's (moderators see the match and the deals, not the messages)."""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.conversations import services as conversations
from marketplace.conversations.models import Conversation
from marketplace.domain import OutsideRegion
from marketplace.extensions import db
from marketplace.staples.models import MatchConversation, StaplesPost

SUBJECT = "staples_match"


def match_conversation(offer_id: int, need_id: int) -> MatchConversation | None:
    return db.session.scalar(db.select(MatchConversation).where(
        MatchConversation.offer_id == offer_id, MatchConversation.need_id == need_id).options(
        selectinload(MatchConversation.conversation).selectinload(Conversation.messages)))


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
    found = match_conversation(offer.id, need.id)
    if found is None:
        conversation = conversations.open_conversation(SUBJECT, [offer.business.owner, need.business.owner])
        found = MatchConversation(offer=offer, need=need, conversation=conversation)
        db.session.add(found)
        db.session.flush()
    conversations.post_message(found.conversation, user, body, about=offer.commodity.name, link=link,
                               inbox_url=inbox_url)
    return found


def mark_read(found: MatchConversation, user: User) -> None:
    conversations.mark_read(found.conversation, user)

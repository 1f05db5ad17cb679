"""The conversation of a match: its thread (the two owners only; anyone else, staff included, gets a 404) and
sending a message, which opens the conversation the first time from the match page."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.domain import DomainError
from marketplace.errors import form_refusal
from marketplace.extensions import limiter
from marketplace.inquiries.forms import MessageForm
from marketplace.staples import talk
from marketplace.staples.queries import business_ids
from marketplace.staples.views.blueprint import bp
from marketplace.staples.views.mine import _match_or_404


def _message_limit() -> str:
    return current_app.config["MESSAGE_RATE_LIMIT"]


def _thread(offer, need, found, form: MessageForm, status: int = 200):
    """The thread (found None: not opened yet, a refused first message shown in its form with what was typed)."""
    messages = found.conversation.messages if found else []
    return render_template("staples/conversation.html", offer=offer, need=need, messages=messages, form=form,
                           closed=bool(found and found.conversation.closed)), status


@bp.route("/my/staples/matches/<int:offer_id>/<int:need_id>/conversation")
@role_required(Role.OWNER)
def conversation(offer_id: int, need_id: int):
    user = current_user.user
    found = talk.conversation_of_party_or_404(user, offer_id, need_id)
    talk.mark_read(found, user)
    return _thread(found.offer, found.need, found, MessageForm())


@bp.route("/my/staples/matches/<int:offer_id>/<int:need_id>/messages", methods=["POST"])
@role_required(Role.OWNER)
@limiter.limit(_message_limit, key_func=lambda: f"message:{getattr(current_user, 'id', None)}")
def send_message(offer_id: int, need_id: int):
    """A message to the other side; the first one opens the conversation (from a current match of the user's)."""
    user = current_user.user
    found = talk.match_conversation(offer_id, need_id)
    if found is not None:
        found = talk.conversation_of_party_or_404(user, offer_id, need_id)
        offer, need = found.offer, found.need
    else:
        match = _match_or_404(offer_id, need_id, business_ids(user))
        offer, need = match.offer, match.need
    form = MessageForm()
    if form.validate_on_submit():
        try:
            talk.send(user, offer, need, form.body.data,
                      link=url_for("staples.conversation", offer_id=offer_id, need_id=need_id),
                      inbox_url=url_for("notifications.index", _external=True))
        except DomainError as error:
            form_refusal(form.body, error)
        else:
            flash(_("Message sent."), "success")
            return redirect(url_for("staples.conversation", offer_id=offer_id, need_id=need_id, _anchor="reply"))
    return _thread(offer, need, found, form, 422)

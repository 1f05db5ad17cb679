"""A business's own staples area: its offers and needs, their matches, and proposing a deal from a match."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.cooperatives.queries import members_of
from marketplace.domain import DomainError
from marketplace.errors import form_refusal
from marketplace.extensions import db
from marketplace.inquiries.forms import MessageForm
from marketplace.staples import deals as deal_services
from marketplace.staples import posts as post_services
from marketplace.staples.forms import DealForm, PostForm
from marketplace.staples.match_store import stored_matches
from marketplace.staples.matching import matches
from marketplace.staples.models import DeliveryTerms, PostKind, StaplesPost, Transport
from marketplace.staples.queries import (
    business_ids,
    commodities,
    deals_of,
    owned_post_or_404,
    owned_posts,
    reference_bands,
    verified_businesses,
)
from marketplace.staples.talk import match_conversation, threads_of
from marketplace.staples.views.blueprint import bp
from marketplace.timeutil import today


@bp.route("/my/staples")
@role_required(Role.OWNER)
def mine():
    user = current_user.user
    ids = business_ids(user)
    threads = threads_of(user)
    return render_template("staples/mine.html", posts=owned_posts(user),
                           matches=stored_matches(today(), business_ids=ids) if ids else [],
                           deals=deals_of(ids) if ids else [], ids=ids, bands=reference_bands(), threads=threads,
                           unread={(found.offer_id, found.need_id): n for found, n in threads},
                           businesses=verified_businesses(user), today=today())


def _form(businesses, **kwargs) -> PostForm:
    return PostForm(businesses=businesses, commodities=commodities(), **kwargs)


@bp.route("/my/staples/new", methods=["GET", "POST"])
@role_required(Role.OWNER)
def new():
    businesses = verified_businesses(current_user.user)
    kind = request.args.get("kind") if request.args.get("kind") in {k.value for k in PostKind} else PostKind.OFFER.value
    members = [member for business in businesses if business.is_cooperative for member in members_of(business)]
    form = _form(businesses, members=members, data={"kind": kind, "period": "month", "starts_on": today()})
    if businesses and form.validate_on_submit():
        business = next(b for b in businesses if str(b.id) == form.business.data)
        try:
            post_services.create_post(business, PostKind(form.kind.data), form.content(), member_id=form.member_id())
        except DomainError as error:
            form_refusal(form.quantity, error)
        else:
            flash(_("Post sent for review. The DKUPP of your region publishes it; it matches other posts from then on."),
                  "success")
            return redirect(url_for("staples.mine"))
    return render_template("staples/post_form.html", form=form, businesses=businesses, post=None)


@bp.route("/my/staples/posts/<int:post_id>/edit", methods=["GET", "POST"])
@role_required(Role.OWNER)
def edit(post_id: int):
    post = owned_post_or_404(current_user.user, post_id)
    businesses = [post.business]
    form = _form(businesses, data={"business": str(post.business_id), "kind": post.kind.value})
    form.kind.choices = [c for c in form.kind.choices if c.value == post.kind.value]
    if request.method == "GET":
        form.fill(post_services.proposed_content(post) or post_services.post_content(post))
    if form.validate_on_submit():
        try:
            outcome = post_services.update_post(post, form.content())
        except DomainError as error:
            form_refusal(form.quantity, error)
        else:
            flash(_("Your edit waits for review; the approved version stays public until then.") if outcome == "edit"
                  else _("Post sent for review again."), "success")
            return redirect(url_for("staples.mine"))
    return render_template("staples/post_form.html", form=form, businesses=businesses, post=post)


@bp.route("/my/staples/posts/<int:post_id>/withdraw", methods=["POST"])
@role_required(Role.OWNER)
def withdraw(post_id: int):
    post_services.withdraw_post(owned_post_or_404(current_user.user, post_id))
    flash(_("Post withdrawn: it no longer shows or matches."), "success")
    return redirect(url_for("staples.mine"))


def _match_or_404(offer_id: int, need_id: int, ids: set[int]):
    """The current match of these two posts, if one of them is the user's; 404 otherwise (not theirs, or no match)."""
    offer, need = db.session.get(StaplesPost, offer_id), db.session.get(StaplesPost, need_id)
    if offer is None or need is None or not ({offer.business_id, need.business_id} & ids):
        abort(404)
    found = matches(today(), offer_id=offer.id, need_id=need.id, limit=1)
    if not found:
        abort(404)
    return found[0]


@bp.route("/my/staples/matches/<int:offer_id>/<int:need_id>", methods=["GET", "POST"])
@role_required(Role.OWNER)
def match(offer_id: int, need_id: int):
    user = current_user.user
    ids = business_ids(user)
    found = _match_or_404(offer_id, need_id, ids)
    offer, need = found.offer, found.need
    factor = offer.unit.factor
    proposal = {
        "volume": round(min(offer.quantity * factor, need.quantity * need.unit.factor)),
        "unit_price": round(offer.price_min_base) if offer.price_min_base else None,
        "starts_on": max(offer.starts_on, need.starts_on, today()), "ends_on": min(offer.ends_on, need.ends_on),
        "delivery_terms": offer.delivery_terms.value, "transport_by": offer.transport_by.value,
    }
    form = DealForm(data=proposal)
    if form.validate_on_submit():
        try:
            deal = deal_services.propose_deal(
                user, ids, offer, need, volume=form.volume.data, unit_price=form.unit_price.data,
                starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                delivery_terms=DeliveryTerms(form.delivery_terms.data), transport_by=Transport(form.transport_by.data),
                on=today(), link_for=lambda deal_id: url_for("staples.deal", deal_id=deal_id),
                inbox_url=url_for("notifications.index", _external=True))
        except DomainError as error:
            form_refusal(form.volume, error)
        else:
            flash(_("Deal proposed. It starts once the other side confirms it."), "success")
            return redirect(url_for("staples.deal", deal_id=deal.id))
    return render_template("staples/match.html", match=found, form=form, ids=ids, bands=reference_bands(),
                           talk=match_conversation(offer.id, need.id), message_form=MessageForm())

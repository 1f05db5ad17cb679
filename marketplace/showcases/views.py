"""Showcases in public and embedded, curated by the host region's moderators, nominated by owners."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from marketplace.accounts.models import Role
from marketplace.authz import role_required
from marketplace.catalog.page_cache import cached_part
from marketplace.catalog.queries import owned_product_or_404, top_categories
from marketplace.errors import form_refusal
from marketplace.events.queries import events_with_agreement
from marketplace.forms_common import as_integer
from marketplace.media.limits import upload_rate_limit
from marketplace.media.pipeline import ImageRejected, process_image
from marketplace.media.services import store_renditions
from marketplace.media.storage import StorageError
from marketplace.regions.queries import get_agreement
from marketplace.security import allow_framing_by, with_query
from marketplace.showcases import queries, services
from marketplace.showcases.forms import AddProductForm, NominateForm, NominationDecisionForm, ShowcaseForm
from marketplace.showcases.models import Showcase
from marketplace.timeutil import today

bp = Blueprint("showcases", __name__)

SEARCH_ARGS = ("q", "region", "category", "page")  # the curation page's search for candidates, kept across its forms
MAX_PAGE = 500


# --- public ---------------------------------------------------------------------------------------------

@bp.route("/showcases")
def index():
    return render_template("showcases/index.html", phases=queries.by_phase(today()))


def _showcase_page(slug: str, template: str):
    """The showcase's body (showcases/_body.html) comes from the catalogue page cache, one entry per showcase, page,
    day, language and filter; the events under its agreement (not under the generation) are read per request, and
    the view is counted as the request commits."""
    on = today()
    showcase = queries.public_showcase_or_404(slug)
    region, category = request.args.get("region", "")[:5], request.args.get("category", "")[:80]
    embedded = template == "showcases/embed.html"
    locale = str(get_locale() or "id")
    part = cached_part(("showcase", showcase.id, embedded, on.isoformat(), locale, region, category),
                       lambda: {"body": _showcase_body(showcase, on, region, category, embedded, locale)})
    services.count_reach(showcase.id, 0, on)
    return render_template(template, showcase=showcase, part={"body": Markup(part["body"])},  # noqa: S704 (our template)
                           events=[] if embedded else events_with_agreement(showcase.agreement_id))


def _showcase_body(showcase: Showcase, on, region: str, category: str, embedded: bool, locale: str) -> str:
    everything = queries.public_items(showcase, on)
    items = queries.public_items(showcase, on, region, category) if region or category else everything
    regions = {p.business.region for p in everything}
    return render_template("showcases/_body.html", showcase=showcase, items=items, phase=showcase.phase(on),
                           region=region, category=category, regions=sorted(regions, key=lambda r: r.code),
                           categories=queries.categories_of(everything), locale=locale, embedded=embedded)


@bp.route("/showcases/<slug>")
def show(slug: str):
    return _showcase_page(slug, "showcases/show.html")


@bp.route("/showcases/<slug>/embed")
def embed(slug: str):
    """The light page partner regions put in an iframe: the only route that may be framed, by the configured origins."""
    allow_framing_by(current_app.config["SHOWCASE_EMBED_ORIGINS"])
    return _showcase_page(slug, "showcases/embed.html")


@bp.route("/showcases/<slug>/go/<int:product_id>")
def go(slug: str, product_id: int):
    """Count a click from the showcase to a product (per day, no personal data), then go to the product page."""
    on = today()
    showcase = queries.public_showcase_or_404(slug)
    product = next((p for p in queries.public_items(showcase, on) if p.id == product_id), None)
    if product is None:
        abort(404)
    services.count_reach(showcase.id, product.id, on)
    return redirect(url_for("catalog.product", product_id=product.id, slug=product.slug))


# --- staff ----------------------------------------------------------------------------------------------

def _fill_choices(form: ShowcaseForm, showcase: Showcase | None = None) -> None:
    """A new showcase chooses among the agreements the user may host under; an existing one keeps its own."""
    user = current_user.user
    if showcase is None:
        agreements = [("", _("— choose —"))] + [(str(a.id), a.title) for a in queries.hostable_agreements(user)]
    else:
        agreements = [(str(showcase.agreement_id), showcase.agreement.title)]
        form.agreement.flags.required = False  # one option, already chosen: HTML allows `required` only with a placeholder
    form.agreement.choices = agreements
    form.host_region.choices = [(r.code, r.full_name) for r in queries.host_regions(user)]


def _fields(form: ShowcaseForm) -> dict:
    """The showcase's settings from the form, with a new cover stored (raises ImageRejected or StorageError)."""
    fields = {"description": form.description.data or "", "starts_on": form.starts_on.data, "ends_on": form.ends_on.data,
              "venue": form.venue.data or "", "event_dates": form.event_dates.data or "", "published": form.published.data}
    upload = form.cover.data
    if upload and getattr(upload, "filename", ""):
        processed = process_image(upload.read(current_app.config["MAX_PHOTO_BYTES"] + 1),
                                  max_bytes=current_app.config["MAX_PHOTO_BYTES"])
        store_renditions(processed)  # deleted again if the request rolls back
        fields["cover"] = f"{processed.content_hash}-{max(r.width for r in processed.renditions)}"
    return fields


@bp.route("/moderation/showcases")
@role_required(Role.MODERATOR, Role.ADMIN)
def staff_index():
    return render_template("showcases/staff_index.html", showcases=queries.staff_showcases(current_user.user), on=today())


@bp.route("/moderation/showcases/new", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.MODERATOR, Role.ADMIN)
def new():
    form = ShowcaseForm(host_region=current_user.region_code)
    _fill_choices(form)
    if form.validate_on_submit():
        agreement = get_agreement(int(form.agreement.data)) if form.agreement.data.isdigit() else None
        host = form.host_region.data if current_user.role is Role.ADMIN else current_user.region_code
        if agreement is None:
            form.agreement.errors = [_("Choose the agreement.")]
        else:
            try:
                showcase = services.create_showcase(current_user.user, agreement=agreement, host_region_code=host,
                                                    title=form.title.data, on=today(), **_fields(form))
            except (ImageRejected, StorageError) as error:
                form_refusal(form.cover, error)
            except services.ShowcaseRefused as refusal:
                form_refusal(form.agreement, refusal)
            else:
                flash(_("Showcase saved. Add products to it."), "success")
                return redirect(url_for("showcases.edit", showcase_id=showcase.id))
    return render_template("showcases/form.html", form=form, showcase=None)


@bp.route("/moderation/showcases/<int:showcase_id>", methods=["GET", "POST"])
@upload_rate_limit
@role_required(Role.MODERATOR, Role.ADMIN)
def edit(showcase_id: int):
    showcase = queries.editable_showcase_or_404(current_user.user, showcase_id)
    on = today()
    form = ShowcaseForm(data={"title": showcase.title, "agreement": str(showcase.agreement_id),
                              "host_region": showcase.host_region_code, "description": showcase.description,
                              "starts_on": showcase.starts_on, "ends_on": showcase.ends_on, "venue": showcase.venue,
                              "event_dates": showcase.event_dates, "published": showcase.published})
    _fill_choices(form, showcase)
    if form.validate_on_submit():
        try:
            services.update_showcase(current_user.user, showcase, title=form.title.data, **_fields(form))
        except (ImageRejected, StorageError) as error:
            form_refusal(form.cover, error)
        else:
            flash(_("Showcase saved."), "success")
            return redirect(url_for("showcases.edit", showcase_id=showcase.id))
    return render_template("showcases/edit.html", form=form, showcase=showcase, on=on, **_curation(showcase, on))


def _curation(showcase: Showcase, on) -> dict:
    """What the curation part of the page shows: items with eligibility, the eligible candidates (all of them, newest
    first, until a search or a filter narrows them), nominations, reach."""
    q, region, category, page = (request.args.get(k, "") for k in SEARCH_ARGS)
    page = min(max(as_integer(page) or 1, 1), MAX_PAGE)
    candidates, more = queries.candidates(showcase, on, q[:100], region[:5], category[:80], page)
    return {"shown": {p.id for p in queries.public_items(showcase, on)}, "candidates": candidates, "more": more,
            "in_showcase": {item.product_id for item in showcase.items}, "nominations": queries.pending_nominations(showcase),
            "reach": queries.reach(showcase.id), "party_regions": queries.party_regions(showcase),
            "categories": top_categories(), "locale": str(get_locale() or "id"),
            "add_form": AddProductForm(), "decision_form": NominationDecisionForm(),
            "search": {"q": q, "region": region, "category": category, "page": page}}


@bp.route("/moderation/showcases/<int:showcase_id>/items", methods=["POST"])
@role_required(Role.MODERATOR, Role.ADMIN)
def add_item(showcase_id: int):
    """Add a product; a refusal (not eligible, already in) goes back to the page with its message (errors.py)."""
    showcase = queries.editable_showcase_or_404(current_user.user, showcase_id)
    form = AddProductForm()
    product_id = as_integer(form.product_id.data)
    if form.validate_on_submit() and product_id is not None:
        services.add_product(current_user.user, showcase, queries.product_or_404(product_id), today())
        flash(_("Product added."), "success")
    return redirect(with_query(url_for("showcases.edit", showcase_id=showcase.id), keep=SEARCH_ARGS))


@bp.route("/moderation/showcases/<int:showcase_id>/items/<int:product_id>/remove", methods=["POST"])
@role_required(Role.MODERATOR, Role.ADMIN)
def remove_item(showcase_id: int, product_id: int):
    showcase = queries.editable_showcase_or_404(current_user.user, showcase_id)
    services.remove_product(current_user.user, showcase, product_id)
    flash(_("Product removed from the showcase."), "success")
    return redirect(url_for("showcases.edit", showcase_id=showcase.id))


@bp.route("/moderation/showcases/<int:showcase_id>/order", methods=["POST"])
@role_required(Role.MODERATOR, Role.ADMIN)
def reorder(showcase_id: int):
    showcase = queries.editable_showcase_or_404(current_user.user, showcase_id)
    # CSRF is checked before any POST view runs; malformed fields are ignored, never an error
    numbers = ((as_integer(key.removeprefix("position-")), as_integer(value)) for key, value in request.form.items()
               if key.startswith("position-"))
    positions = {product_id: position for product_id, position in numbers if product_id is not None and position is not None}
    services.reorder(current_user.user, showcase, positions)
    flash(_("Order saved."), "success")
    return redirect(url_for("showcases.edit", showcase_id=showcase.id))


@bp.route("/moderation/showcases/<int:showcase_id>/nominations/<int:nomination_id>", methods=["POST"])
@role_required(Role.MODERATOR, Role.ADMIN)
def decide(showcase_id: int, nomination_id: int):
    """Accept or decline; a refusal (no reason, already decided, no longer eligible) goes back with its message."""
    showcase = queries.editable_showcase_or_404(current_user.user, showcase_id)
    nomination = queries.nomination_or_404(showcase, nomination_id)
    form = NominationDecisionForm()
    if form.validate_on_submit():
        services.decide_nomination(current_user.user, nomination, form.decision.data == "accept", form.reason.data or "",
                                   today(), link=url_for("showcases.nominations"),
                                   inbox_url=url_for("notifications.index", _external=True))
        flash(_("Decision saved; the owner has been told."), "success")
    return redirect(url_for("showcases.edit", showcase_id=showcase.id))


# --- owners ---------------------------------------------------------------------------------------------

@bp.route("/my/nominations")
@role_required(Role.OWNER)
def nominations():
    mine = queries.owner_nominations(current_user.user)
    clicks = queries.clicks_by_showcase_and_product({n.product_id for n in mine})
    reach = {n.id: clicks.get((n.showcase_id, n.product_id), 0) for n in mine}
    return render_template("showcases/nominations.html", nominations=mine, reach=reach)


@bp.route("/my/products/<int:product_id>/nominate", methods=["GET", "POST"])
@role_required(Role.OWNER)
def nominate(product_id: int):
    product = owned_product_or_404(current_user.user, product_id)
    on = today()
    open_showcases = queries.open_showcases(on)
    form = NominateForm()
    form.showcase.choices = [("", _("— choose —"))] + [(str(s.id), s.title) for s in open_showcases]
    if form.validate_on_submit():
        showcase = next((s for s in open_showcases if str(s.id) == form.showcase.data), None)
        if showcase is None:
            form.showcase.errors = [_("Choose a showcase from the list.")]
        else:
            try:
                services.nominate(current_user.user, showcase, product, form.pitch.data or "", on)
            except (services.NotEligible, services.ShowcaseRefused) as refusal:
                form_refusal(form.showcase, refusal)
            else:
                flash(_("Nominated. The host region's DKUPP will decide and tell you."), "success")
                return redirect(url_for("showcases.nominations"))
    return render_template("showcases/nominate.html", form=form, product=product)

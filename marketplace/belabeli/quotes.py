"""Quote requests for meeting catering: an office coordinator (or the region's DKUPP) asks several food sellers of
the region for a price; each answers from their area; the requester accepts one and the others are told.
Accepting is a conditional UPDATE on the request (WHERE status = 'open'): one offer wins, once."""

from datetime import date

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Role, User
from marketplace.audit import record
from marketplace.belabeli.models import OfferStatus, Office, Programme, QuoteOffer, QuoteRequest, QuoteStatus
from marketplace.belabeli.purchases import counting_sellers
from marketplace.belabeli.services import BelaBeliRefused, Links, check_office, check_runs
from marketplace.businesses.models import Business
from marketplace.catalog.models import Category, Product
from marketplace.domain import AlreadyDecided, OutsideRegion
from marketplace.extensions import db
from marketplace.i18n import rupiah
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify

FOOD_CATEGORIES = ("makanan-olahan", "minuman")  # top categories whose sellers can cater a meeting
MAX_SELLERS = 10


def food_sellers(region_code: str) -> list[Business]:
    """Verified businesses of the region with a public product in a food or drink category, by name."""
    tops = db.select(Category.id).where(Category.slug.in_(FOOD_CATEGORIES))
    food = db.select(Category.id).where(Category.id.in_(tops) | Category.parent_id.in_(tops))
    has_food = db.select(Product.id).where(Product.business_id == Business.id, Product.public.is_(True),
                                           Product.category_id.in_(food)).exists()
    return list(db.session.scalars(counting_sellers(region_code).where(has_food).order_by(Business.name)))


def request_quote(actor: User, programme: Programme, office: Office | None, *, what: str, quantity: str,
                  needed_on: date, budget: int | None, occasion: str, business_ids: list[int], today: date,
                  links: Links) -> QuoteRequest:
    """Send a quote request to the chosen food sellers of the programme's region."""
    if office is not None:
        check_office(actor, office)
        if office.programme_id != programme.id:
            raise OutsideRegion
    else:
        check_runs(actor, programme)
    if actor.role is Role.OFFICE_COORDINATOR and office is None:
        raise OutsideRegion
    if needed_on < today:
        raise BelaBeliRefused(_l("The date of the meeting cannot be in the past."))
    allowed = {business.id: business for business in food_sellers(programme.region_code)}
    chosen = [allowed[i] for i in dict.fromkeys(business_ids) if i in allowed]
    if not chosen or len(chosen) != len(set(business_ids)):
        raise BelaBeliRefused(_l("Choose one or more food sellers of the region from the list."))
    if len(chosen) > MAX_SELLERS:
        raise BelaBeliRefused(_l("Ask at most %(n)d sellers at once.", n=MAX_SELLERS))
    quote = QuoteRequest(programme=programme, office=office, requested_by_id=actor.id, what=what.strip(),
                         quantity=quantity.strip(), needed_on=needed_on, budget=budget, occasion=occasion.strip(),
                         offers=[QuoteOffer(business=business) for business in chosen])
    db.session.add(quote)
    db.session.flush()
    record(actor, "bela_beli.quote_request", quote, region_code=programme.region_code, label=quote.what[:200],
           changes={"sellers": [None, [business.id for business in chosen]]})
    asker = office.name if office else (programme.region.office_name or "DKUPP")
    for offer in quote.offers:
        notify(offer.business.owner, "quote.request", link=links.page, inbox_url=links.inbox_url, office=asker,
               business=offer.business.name, what=quote.what, quantity=quote.quantity,
               day=needed_on.strftime("%d-%m-%Y"))
    return quote


def answer_quote(owner: User, offer: QuoteOffer, *, price: int, note: str, links: Links) -> None:
    """The seller answers with a price (and a note) while the request is open; they may change it until then."""
    if offer.business.owner_id != owner.id:
        raise OutsideRegion
    if offer.quote.status is not QuoteStatus.OPEN or offer.status not in (OfferStatus.ASKED, OfferStatus.ANSWERED):
        raise AlreadyDecided(_l("This quote request has been decided already."))
    if price <= 0:
        raise BelaBeliRefused(_l("Enter a price of more than Rp 0."))
    first = offer.status is OfferStatus.ASKED
    offer.price, offer.note, offer.status, offer.answered_at = price, note.strip(), OfferStatus.ANSWERED, utcnow()
    db.session.flush()
    record(owner, "bela_beli.quote_answer", offer.quote, region_code=offer.quote.programme.region_code,
           label=offer.quote.what[:200], changes={"price": [None, price]})
    requester = db.session.get(User, offer.quote.requested_by_id) if offer.quote.requested_by_id else None
    if first and requester is not None and requester.active:
        notify(requester, "quote.answer", link=links.page, inbox_url=links.inbox_url, business=offer.business.name,
               what=offer.quote.what, amount=rupiah(price))


def accept_offer(actor: User, quote: QuoteRequest, offer: QuoteOffer, *, links: Links, seller_links: Links) -> None:
    """The requester accepts one answered offer; the chosen seller and the others are told."""
    if quote.office is not None:
        check_office(actor, quote.office)
    else:
        check_runs(actor, quote.programme)
    if offer.quote_id != quote.id or offer.status is not OfferStatus.ANSWERED:
        raise BelaBeliRefused(_l("Only an answered offer can be accepted."))
    won = db.session.execute(db.update(QuoteRequest).where(QuoteRequest.id == quote.id,
                                                           QuoteRequest.status == QuoteStatus.OPEN)
                             .values(status=QuoteStatus.ACCEPTED).execution_options(synchronize_session=False))
    if won.rowcount != 1:
        raise AlreadyDecided(_l("An offer has been accepted already."))
    db.session.expire(quote)
    for other in quote.offers:
        other.status = OfferStatus.ACCEPTED if other.id == offer.id else OfferStatus.DECLINED
        if other.id == offer.id:
            notify(other.business.owner, "quote.accept", link=seller_links.page, inbox_url=seller_links.inbox_url,
                   what=quote.what, amount=rupiah(other.price))
        else:
            notify(other.business.owner, "quote.decline", link=seller_links.page, inbox_url=seller_links.inbox_url,
                   what=quote.what)
    db.session.flush()
    record(actor, "bela_beli.quote_accept", quote, region_code=quote.programme.region_code, label=quote.what[:200],
           changes={"offer": [None, offer.id], "price": [None, offer.price]})

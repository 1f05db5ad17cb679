"""Purchases: logged by an office (its coordinator, or DKUPP for it) with a receipt photo, then confirmed or disputed
by the seller. Only confirmed purchases count. Deciding is one conditional UPDATE (WHERE status = 'pending'), so a
purchase is confirmed or disputed once, whoever clicks at the same moment."""

from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Role, User
from marketplace.audit import record
from marketplace.belabeli.models import Office, Purchase, PurchaseStatus, RankBand
from marketplace.belabeli.services import BelaBeliRefused, Links, check_office
from marketplace.businesses.models import Business, Verification
from marketplace.catalog.models import Category, Product
from marketplace.domain import AlreadyDecided, OutsideRegion, ReasonRequired
from marketplace.extensions import db
from marketplace.i18n import rupiah
from marketplace.media.documents import document_name, process_document
from marketplace.media.services import store_files
from marketplace.models_base import utcnow
from marketplace.notifications.services import notify


class ReceiptRefused(BelaBeliRefused):
    """The receipt is not a photo."""

    message = _l("Send a photo of the receipt (JPEG, PNG or WebP).")


def seller_filter(region_code: str) -> tuple:
    """What makes a business a seller that counts in a region's programme: of the region, verified, still trading."""
    return (Business.region_code == region_code, Business.verification == Verification.VERIFIED,
            Business.archived_at.is_(None))


def counting_sellers(region_code: str):
    """The sellers that count in a region's programme."""
    return db.select(Business).where(*seller_filter(region_code))


def _label(purchase: Purchase) -> str:
    return f"{purchase.office.name}: {purchase.business.name} {rupiah(purchase.amount)}"[:200]


def log_purchase(actor: User, office: Office, *, business_id: int, product_ids: list[int], amount: int, bought_on: date,
                 band: RankBand, receipt: bytes, note: str, today: date, links: Links) -> Purchase:
    """Log a purchase at a verified seller of the programme's region; the seller is asked to confirm it. A civil
    servant logs for their own office only, in their own rank band whatever band is asked."""
    if actor.role is Role.CIVIL_SERVANT:
        if actor.office_id != office.id or not actor.rank_band:
            raise OutsideRegion
        band = RankBand(actor.rank_band)
    else:
        check_office(actor, office)
    programme = office.programme
    business = db.session.scalar(counting_sellers(programme.region_code).where(Business.id == business_id))
    if business is None:
        raise BelaBeliRefused(_l("Choose a verified business of the programme's region."))
    if amount <= 0:
        raise BelaBeliRefused(_l("Enter an amount of more than Rp 0."))
    if bought_on > today or bought_on < programme.starts_on or (programme.ends_on and bought_on > programme.ends_on):
        raise BelaBeliRefused(_l("The date must be within the programme's period and not in the future."))
    products = list(db.session.scalars(db.select(Product).where(Product.id.in_(product_ids or [0]),
                                                               Product.business_id == business.id)))
    if len(products) != len(set(product_ids)):
        raise BelaBeliRefused(_l("Choose products of this business only."))
    category_id = None
    if products:
        category = db.session.get(Category, products[0].category_id)
        category_id = category.parent_id or category.id
    if receipt[:5] == b"%PDF-":  # a receipt is a photo; process_document would take a PDF too
        raise ReceiptRefused
    name, clean = process_document(receipt, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    store_files([(document_name(name), clean)])
    purchase = Purchase(office=office, business=business, category_id=category_id, band=band, amount=amount,
                        bought_on=bought_on, month=bought_on.strftime("%Y-%m"), receipt=name, note=note.strip(),
                        logged_by_id=actor.id, products=products)
    db.session.add(purchase)
    db.session.flush()
    record(actor, "bela_beli.purchase_log", purchase, region_code=programme.region_code, label=_label(purchase),
           changes={"amount": [None, amount], "band": [None, band.value], "bought_on": [None, bought_on.isoformat()]})
    notify(business.owner, "purchase.log", link=links.page, inbox_url=links.inbox_url, office=office.name,
           amount=rupiah(amount), business=business.name, day=bought_on.strftime("%d-%m-%Y"))
    return purchase


def _decide(owner: User, purchase: Purchase, status: PurchaseStatus, action: str, reason: str = "") -> None:
    if purchase.business.owner_id != owner.id:
        raise OutsideRegion
    decided = db.session.execute(
        db.update(Purchase).where(Purchase.id == purchase.id, Purchase.status == PurchaseStatus.PENDING)
        .values(status=status, decided_at=utcnow(), dispute_reason=reason).execution_options(synchronize_session=False))
    if decided.rowcount != 1:
        raise AlreadyDecided(_l("This purchase has been confirmed or disputed already."))
    db.session.expire(purchase)
    record(owner, action, purchase, region_code=purchase.office.programme.region_code, label=_label(purchase), reason=reason,
           changes={"status": ["pending", status.value]})


def confirm_purchase(owner: User, purchase: Purchase) -> None:
    """The seller confirms the purchase happened: from now on it counts."""
    _decide(owner, purchase, PurchaseStatus.CONFIRMED, "bela_beli.purchase_confirm")


def dispute_purchase(owner: User, purchase: Purchase, reason: str, links: Links) -> None:
    """The seller says the purchase did not happen as logged; it never counts. The logging coordinator is told."""
    if not reason.strip():
        raise ReasonRequired(_l("Say what is wrong with this purchase."))
    _decide(owner, purchase, PurchaseStatus.DISPUTED, "bela_beli.purchase_dispute", reason.strip())
    logger = db.session.get(User, purchase.logged_by_id) if purchase.logged_by_id else None
    if logger is not None and logger.active:
        notify(logger, "purchase.dispute", link=links.page, inbox_url=links.inbox_url, business=purchase.business.name,
               amount=rupiah(purchase.amount), day=purchase.bought_on.strftime("%d-%m-%Y"), reason=reason.strip())

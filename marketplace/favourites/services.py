"""Save and unsave; tell the users who saved a product that it got cheaper or is available again. They change
objects and flush; the unit of work commits. Links come from the caller."""

from marketplace.accounts.models import User
from marketplace.businesses.models import Business
from marketplace.catalog.models import Availability, Product
from marketplace.extensions import db
from marketplace.favourites.models import SavedBusiness, SavedProduct
from marketplace.i18n import rupiah
from marketplace.notifications.services import notify


def is_available(product: Product) -> bool:
    return product.availability is not Availability.OUT_OF_STOCK


def save_product(user: User, product: Product) -> SavedProduct:
    """Save product for user (again: nothing changes); what it costs now is the offer they have seen."""
    saved = db.session.get(SavedProduct, (user.id, product.id))
    if saved is None:
        saved = SavedProduct(user=user, product=product, seen_price=product.price_min,
                             seen_available=is_available(product))
        db.session.add(saved)
        db.session.flush()
    return saved


def unsave_product(user: User, product_id: int) -> None:
    db.session.execute(db.delete(SavedProduct).where(SavedProduct.user_id == user.id,
                                                     SavedProduct.product_id == product_id))


def save_business(user: User, business: Business) -> SavedBusiness:
    saved = db.session.get(SavedBusiness, (user.id, business.id))
    if saved is None:
        saved = SavedBusiness(user=user, business=business)
        db.session.add(saved)
        db.session.flush()
    return saved


def unsave_business(user: User, business_id: int) -> None:
    db.session.execute(db.delete(SavedBusiness).where(SavedBusiness.user_id == user.id,
                                                      SavedBusiness.business_id == business_id))


def tell_savers(product: Product, *, link: str, inbox_url: str) -> int:
    """Tell each user who saved product, once per change, that its price dropped below the one they last saw or that
    it is available again; what they are told becomes what they have seen (a rise too, so a later drop from it is news
    again). Nothing while the product is not public. Returns how many notifications were made.

    Each piece of news is claimed by a conditional UPDATE (`... WHERE seen_price > :price`) before it is told: of two
    checks of the same change running at once, the database lets only one claim it (the other's UPDATE waits for the
    first to commit and then matches no row), so nobody is told twice, on PostgreSQL and on SQLite."""
    if not product.public:
        return 0
    available, price = is_available(product), product.price_min
    rows = db.session.execute(
        db.select(SavedProduct.user_id, SavedProduct.seen_price, SavedProduct.seen_available)
        .where(SavedProduct.product_id == product.id)
    ).all()
    users = {user.id: user for user in db.session.scalars(
        db.select(User).where(User.id.in_([row.user_id for row in rows]), User.active.is_(True)))}
    told = 0
    for user_id, seen_price, seen_available in rows:
        user = users.get(user_id)

        def claim(condition, **values) -> bool:
            result = db.session.execute(
                db.update(SavedProduct).where(SavedProduct.user_id == user_id,  # noqa: B023 (used at once)
                                              SavedProduct.product_id == product.id, condition)
                .values(**values).execution_options(synchronize_session=False))
            return result.rowcount == 1

        if price is not None and seen_price is not None and price < seen_price:
            if claim(SavedProduct.seen_price > price, seen_price=price) and user is not None:
                notify(user, "favourite.price_drop", link=link, inbox_url=inbox_url, product=product.name,
                       old_price=rupiah(seen_price), price=rupiah(price))
                told += 1
        elif seen_price != price:
            claim(db.true(), seen_price=price)
        if available and not seen_available:
            if claim(SavedProduct.seen_available.is_(False), seen_available=True) and user is not None:
                notify(user, "favourite.back_in_stock", link=link, inbox_url=inbox_url, product=product.name)
                told += 1
        elif seen_available != available:
            claim(db.true(), seen_available=available)
    return told

"""A field officer acting for an owner they onboarded: the business and catalogue services themselves, with the
officer's checks around them (their region, the owner's consent before anything reaches the DKUPP's review) and the
officer named in the audit log. Photos the officer uploads become the owner's when they are attached."""

from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import User
from marketplace.audit import record
from marketplace.businesses import services as businesses
from marketplace.businesses.models import Business
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product
from marketplace.fieldofficers.models import AssistedOwner
from marketplace.fieldofficers.services import FieldOfficerError, check_officer, require_consent
from marketplace.unit_of_work import flush


class OutsideOfficerRegion(FieldOfficerError):
    message = _l("A field officer registers businesses of their own region only.")


def _hand_over(owner: User, product: Product) -> None:
    """The product's photos belong to the owner (the officer's uploads were staged under the officer's quota)."""
    for photo in product.photos:
        photo.owner_id = owner.id


def create_business_for(officer: User, assisted: AssistedOwner, **fields) -> Business:
    """Register a business for the assisted owner: it goes to the region's verification queue, so consent first."""
    check_officer(officer, assisted)
    require_consent(assisted)
    if fields.get("region_code") != officer.region_code:
        raise OutsideOfficerRegion
    business = businesses.create_business(assisted.owner, **fields)
    record(officer, "assisted.business", business, region_code=business.region_code)
    return business


def update_business_for(officer: User, assisted: AssistedOwner, business: Business, **fields) -> bool:
    """Save the officer's edit of the owner's business (the region stays the officer's)."""
    check_officer(officer, assisted)
    if fields.get("region_code", business.region_code) != officer.region_code:
        raise OutsideOfficerRegion
    in_review = businesses.update_business(business, **fields)
    if in_review:
        require_consent(assisted)
    record(officer, "assisted.business_edit", business, region_code=business.region_code)
    return in_review


def create_product_for(officer: User, assisted: AssistedOwner, business: Business, **fields) -> Product:
    """A draft product of the owner's business; nobody reviews a draft, so it needs no consent yet."""
    check_officer(officer, assisted)
    product = catalog.create_product(business, **fields)
    _hand_over(assisted.owner, product)
    flush()
    return product


def update_product_for(officer: User, assisted: AssistedOwner, product: Product, **fields) -> bool:
    """Save the officer's edit of the owner's product; an edit that waits for review needs the owner's consent."""
    check_officer(officer, assisted)
    in_review = catalog.update_product(product, **fields)
    if in_review:
        require_consent(assisted)
    _hand_over(assisted.owner, product)
    flush()
    return in_review


def submit_product_for(officer: User, assisted: AssistedOwner, product: Product) -> None:
    """Send the owner's product for review: only with the owner's consent recorded (raises ConsentMissing)."""
    check_officer(officer, assisted)
    require_consent(assisted)
    catalog.submit_product(product)
    record(officer, "assisted.product_submit", product, region_code=product.business.region_code)

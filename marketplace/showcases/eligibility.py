"""Which products may be in a showcase, decided in one place and applied on every public read.

A product is eligible while it is public (published, business verified and not suspended), its region is a party
to the showcase's agreement, and that agreement covers promotion and is active. A product that stops being eligible
drops out of every public showcase at once, and comes back when it is eligible again."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists

from marketplace.catalog.models import Product
from marketplace.domain import DomainError
from marketplace.regions.models import Agreement, AgreementParty, AgreementScope, Scope
from marketplace.showcases.models import Showcase


class NotEligible(DomainError):
    """The product may not be in this showcase; .message says why, for the person who tried."""

    status = 422


def agreement_active_for_promotion(agreement: Agreement, on: date) -> bool:
    """Whether agreement covers promotion and counts on the given day."""
    return agreement.is_active(on) and Scope.PROMOTION in agreement.scope_values


def eligible_clause(showcase: Showcase | None, on: date):
    """SQL condition on Product for this showcase on this day (used by every public showcase query).

    With showcase None the condition refers to the Showcase table's own agreement, for queries over many showcases."""
    agreement_id = Showcase.agreement_id if showcase is None else showcase.agreement_id
    party = exists().where(AgreementParty.agreement_id == agreement_id, AgreementParty.institution.is_(None),
                           AgreementParty.region_code == Product.region_code)
    active = exists().where(
        Agreement.id == agreement_id, Agreement.valid_from <= on,
        (Agreement.valid_until.is_(None)) | (Agreement.valid_until >= on),
        exists().where(AgreementScope.agreement_id == Agreement.id, AgreementScope.scope == Scope.PROMOTION),
    )
    return and_(Product.public.is_(True), party, active)


def check_eligible(product: Product, showcase: Showcase, on: date) -> None:
    """Raise NotEligible with a message the moderator or owner can act on."""
    if not product.public:
        raise NotEligible(_l("Only published products of verified businesses can be in a showcase."))
    if product.region_code not in showcase.agreement.region_codes:
        raise NotEligible(_l("This product's region is not a party to the agreement this showcase runs under."))
    if not agreement_active_for_promotion(showcase.agreement, on):
        raise NotEligible(_l("The agreement of this showcase is not active for promotion."))

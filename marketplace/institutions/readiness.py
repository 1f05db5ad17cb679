"""The readiness checklist of a service request, computed from what the site knows (the business's NIB verified by
its DKUPP, its size class, the chosen products' categories and attributes) and what the owner added (ingredients,
documents). A request can be sent only when every item that its service needs is done; what is missing is said.

A cooperative's group request is also checked per member producer: the member's consent is in force; when the
service ends in a certificate, at least one chosen product is the member's (the certificate covers those products);
for self-declare halal, the member's own NIB is recorded (each producer applies as a pelaku usaha). And every chosen
product is one of a chosen member's, so each badge has a member certificate behind it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from marketplace.businesses.models import SizeClass, Verification
from marketplace.institutions.models import ServiceKind
from marketplace.institutions.product_facts import product_facts
from marketplace.institutions.request_models import DocumentKind, RequestMember, ServiceRequest

# The free self-declare halal programme: micro and small businesses, food and drink in the allowed categories.
HALAL_SIZES = (SizeClass.MIKRO, SizeClass.KECIL)
HALAL_CATEGORIES = ("makanan-olahan", "minuman")
BATIK_CATEGORIES = ("batik",)

NIB, SIZE, PRODUCTS, CATEGORIES, INGREDIENTS = "nib", "size", "products", "categories", "ingredients"
DOC_PROCESS, DOC_INGREDIENTS, DOC_SITE = "doc_process", "doc_ingredients", "doc_site_photo"
MEMBERS_PRODUCTS = "members_products"
MEMBER_CONSENT, MEMBER_PRODUCTS, MEMBER_NIB = "member_consent", "member_products", "member_nib"

# What each service needs before it can be sent.
REQUIRES: dict[ServiceKind, tuple[str, ...]] = {
    ServiceKind.HALAL_SELF_DECLARE: (NIB, SIZE, PRODUCTS, CATEGORIES, INGREDIENTS, DOC_PROCESS, DOC_INGREDIENTS, DOC_SITE),
    ServiceKind.SNI: (NIB, PRODUCTS, DOC_PROCESS, DOC_SITE),
    ServiceKind.TESTING: (NIB, PRODUCTS, DOC_PROCESS),
    ServiceKind.INDUSTRI_HIJAU: (NIB, DOC_PROCESS, DOC_SITE),
    ServiceKind.BATIK_MARK: (NIB, PRODUCTS, CATEGORIES, DOC_PROCESS),
    ServiceKind.CONSULTATION: (),
}


@dataclass(frozen=True)
class Item:
    code: str
    label: LazyString
    done: bool
    missing: LazyString | str = ""  # said plainly when not done


def checklist(request: ServiceRequest) -> list[Item]:
    """Every item the request's service needs, done or not, in a fixed order."""
    checks = {NIB: _nib, SIZE: _size, PRODUCTS: _products, CATEGORIES: _categories, INGREDIENTS: _ingredients,
              DOC_PROCESS: _document(DocumentKind.PROCESS), DOC_INGREDIENTS: _document(DocumentKind.INGREDIENTS),
              DOC_SITE: _document(DocumentKind.SITE_PHOTO)}
    items = [checks[code](request) for code in REQUIRES[request.service.kind]]
    if request.is_group and request.products:
        items.append(_members_products(request))
    return items


def member_checklist(row: RequestMember) -> list[Item]:
    """The items of one member producer of a group request."""
    member, kind = row.member, row.request.service.kind
    items = [Item(MEMBER_CONSENT, _l("Consent in force"), member.active,
                  _l("This member has withdrawn their consent: remove them from the request.") if not member.active else "")]
    if kind.cert_type is not None or PRODUCTS in REQUIRES[kind]:
        done = bool(row.products)
        items.append(Item(MEMBER_PRODUCTS, _l("The member's products chosen"), done,
                          _l("Choose at least one product this member produces (set the producer on the product).")
                          if not done else ""))
    if kind is ServiceKind.HALAL_SELF_DECLARE:
        done = bool(member.nib)
        items.append(Item(MEMBER_NIB, _l("The member's own NIB"), done,
                          _l("Record the member's NIB on the member page: each producer applies with their own.")
                          if not done else ""))
    return items


def missing(request: ServiceRequest) -> list[Item]:
    items = [item for item in checklist(request) if not item.done]
    for row in request.members:
        items += [item for item in member_checklist(row) if not item.done]
    return items


def is_ready(request: ServiceRequest) -> bool:
    return not missing(request)


def _nib(request: ServiceRequest) -> Item:
    business = request.business
    done = bool(business.nib) and business.verification is Verification.VERIFIED
    return Item(NIB, _l("NIB verified by the DKUPP"), done,
                _l("Your business's NIB has not been verified by the DKUPP of your region yet. Enter the NIB in the "
                   "business profile and wait for the verification.") if not done else "")


def _size(request: ServiceRequest) -> Item:
    done = request.business.size_class in HALAL_SIZES
    return Item(SIZE, _l("Micro or small business"), done,
                _l("The free self-declare programme is for micro and small businesses only; a medium business "
                   "applies through the regular route.") if not done else "")


def _products(request: ServiceRequest) -> Item:
    done = bool(request.products)
    return Item(PRODUCTS, _l("Products chosen"), done, _l("Choose the products the certificate is for.") if not done else "")


def _categories(request: ServiceRequest) -> Item:
    allowed = HALAL_CATEGORIES if request.service.kind is ServiceKind.HALAL_SELF_DECLARE else BATIK_CATEGORIES
    outside = [p.name for p in request.products if product_facts(p).top_category_slug not in allowed]
    done = bool(request.products) and not outside
    message = ""
    if not done:
        message = (_l("These products are not in a category this service covers: %(names)s.", names=", ".join(outside))
                   if outside else _l("Choose the products first."))
    return Item(CATEGORIES, _l("Products in the categories this service covers"), done, message)


def _ingredients(request: ServiceRequest) -> Item:
    """The request's own list, or every chosen product's list in the catalogue."""
    from_products = bool(request.products) and all(product_facts(p).ingredients for p in request.products)
    done = bool(request.ingredients.strip()) or from_products
    return Item(INGREDIENTS, _l("Ingredient list"), done,
                _l("Write the ingredients of the products (one a line), with the halal certificate of each bought "
                   "ingredient where it has one.") if not done else "")


def _members_products(request: ServiceRequest) -> Item:
    chosen = {row.member_id for row in request.members}
    outside = [p.name for p in request.products if p.member_id not in chosen]
    return Item(MEMBERS_PRODUCTS, _l("Every product is a chosen member's"), not outside,
                _l("These products are not produced by a member chosen for this request: %(names)s.",
                   names=", ".join(outside)) if outside else "")


def _document(kind: DocumentKind):
    def check(request: ServiceRequest) -> Item:
        done = bool(request.documents_of(kind))
        return Item(f"doc_{kind.value}", kind.label, done,
                    _l("Upload the document: %(kind)s.", kind=kind.label) if not done else "")
    return check

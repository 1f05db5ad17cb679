"""The product page as the catalogue's view and the inquiry form's refusal both render it: the catalogue's cached
parts (catalog.queries.product_page) plus two parts of features above the catalogue, rendered into the same cached
entry: the live showcases showing the product and the inquiry form's fields as a new reader gets them (nothing typed,
no account to prefill from). Both are under the catalogue generation: showcases and their items are watched
(showcases/models.py), the form's region list shows regions (watched by the catalogue), and the day is in the key.

A reader who is signed in (the form prefilled from the account) or whose form came back with errors gets the form
rendered for them; everyone else gets the cached fields and only the CSRF token per request."""

from datetime import date
from functools import partial

from flask import get_template_attribute

from marketplace.catalog.models import Product
from marketplace.catalog.queries import product_page
from marketplace.inquiries.forms import InquiryForm
from marketplace.showcases.queries import live_showcases_with


def product_page_context(product: Product, on: date, form: InquiryForm | None) -> dict:
    """The template context of catalog/product.html; form None: a new reader's form (the cached fields)."""

    def more() -> dict[str, str]:
        macro = partial(get_template_attribute, "inquiries/_product_form.html")
        fresh = InquiryForm(meta={"csrf": False}, data={"quantity": product.min_order})
        return {"inquiry_fields": str(macro("fields")(fresh, product)),
                "showcases": str(macro("showcases_line")(live_showcases_with(on, product_id=product.id)))}

    return {"product": product, "form": form, **product_page(product, on, more)}


def reader_form(user, product: Product) -> InquiryForm | None:
    """The inquiry form to render for this reader, or None when a new reader's cached fields are theirs."""
    return InquiryForm(data=InquiryForm.defaults_for(user, product)) if user.is_authenticated else None

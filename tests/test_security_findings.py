"""Regressions for what the security scan found (docs/SECURITY.md, "Findings and how each was resolved")."""

import pytest
from sqlalchemy import text

from marketplace.catalog import services
from marketplace.catalog.models import Product, ProductStatus
from marketplace.extensions import db


@pytest.mark.parametrize(("lang", "message"), [("en", "changed somewhere else at the same moment"),
                                               ("id", "diubah di tempat lain pada saat yang sama")])
def test_a_status_change_that_loses_a_race_is_a_409_not_a_500(client, auth, make_product, monkeypatch, lang, message):
    """wapiti posted "submit" and "archive" for one product at the same moment: the archive's UPDATE matched no row
    (the version had moved) and the StaleDataError was a 500. Now the loser gets 409 and changes nothing, and the
    next request works."""
    product = make_product()
    auth.login(product.business.owner.email)
    original = services.change_status

    def concurrent_change_lands_first(target, *args, **kwargs):
        with db.engine.begin() as connection:  # the other request commits between our read and our write
            connection.execute(text("UPDATE product SET version = version + 1 WHERE id = :id"), {"id": target.id})
        return original(target, *args, **kwargs)

    monkeypatch.setattr(services, "change_status", concurrent_change_lands_first)
    response = client.submit(f"/my/products/{product.id}/archive?lang={lang}", page="/my/products")
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.DRAFT
    monkeypatch.setattr(services, "change_status", original)
    assert client.submit(f"/my/products/{product.id}/archive", page="/my/products").status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.ARCHIVED


def test_two_sign_ups_with_one_address_at_the_same_moment_give_a_message_not_a_500(client, make_user, monkeypatch,
                                                                                   outbox):
    """wapiti sent two registrations with one address at once: both passed the "already exists" check and the
    second INSERT hit the unique index, a 500. The account is now made when the emailed link is confirmed (issue 14,
    finding 9), so the race is two links of one address confirmed at once: the index's refusal gets the same message
    as the check's."""
    import re

    from marketplace.accounts import services as accounts

    client.submit("/auth/register", {
        "role": "buyer", "name": "Kembar", "email": "kembar@example.id", "region": "35.05",
        "password": "rahasia-sekali", "confirm_password": "rahasia-sekali"})
    (message,) = outbox()
    link = re.search(r"http://localhost(/auth/register/\S+)", message.get_content()).group(1)
    make_user(email="kembar@example.id")  # the other confirmation, already committed
    real_find = accounts.find_user_by_email
    calls = []

    def find_before_the_other_commit(email):
        calls.append(email)  # our request's check ran before that commit and saw no account
        return None if len(calls) == 1 else real_find(email)

    monkeypatch.setattr(accounts, "find_user_by_email", find_before_the_other_commit)
    response = client.submit(f"{link}?lang=en", follow_redirects=True)
    assert calls and response.status_code == 200
    assert "This address already has an account." in response.get_data(as_text=True)
    assert client.get("/my/").status_code == 302  # not logged in as anyone

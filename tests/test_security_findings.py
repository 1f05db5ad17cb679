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
    original = services.apply_status

    def concurrent_change_lands_first(target, *args, **kwargs):
        with db.engine.begin() as connection:  # the other request commits between our read and our write
            connection.execute(text("UPDATE product SET version = version + 1 WHERE id = :id"), {"id": target.id})
        return original(target, *args, **kwargs)

    monkeypatch.setattr(services, "apply_status", concurrent_change_lands_first)
    response = client.submit(f"/my/products/{product.id}/archive?lang={lang}", page="/my/products")
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.DRAFT
    monkeypatch.setattr(services, "apply_status", original)
    assert client.submit(f"/my/products/{product.id}/archive", page="/my/products").status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.ARCHIVED

"""Moderation: region scoping, decisions with reasons, audit entries, notifications, suspension, edits, races."""

import re

import pytest
from sqlalchemy import text

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import Verification
from marketplace.businesses.services import update_business
from marketplace.catalog.models import Product, ProductStatus
from marketplace.catalog.queries import newest_products, public_products
from marketplace.catalog.services import update_product
from marketplace.certifications.models import Certification, CertStatus, CertType
from marketplace.extensions import db
from marketplace.moderation.models import Report, ReportReason, ReportStatus
from marketplace.moderation.services import file_report
from marketplace.notifications.models import Notification
from marketplace.unit_of_work import unit_of_work


def audit_count() -> int:
    """Audit entries of moderation (creating the staff accounts of a test is audited too, and not counted here)."""
    return db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.object_type != "user"))


def make_certification(business, product=None) -> Certification:
    cert = Certification(business=business, product=product, cert_type=CertType.HALAL, number="ID35110000123450724",
                         issuer="BPJPH", document="0" * 32 + ".pdf")
    db.session.add(cert)
    db.session.commit()
    return cert


def objects_of(region: str, make_business, make_product) -> dict[str, int]:
    """One object of each kind in a region, each waiting for a decision."""
    business = make_business(region=region, verified=False)
    verified = make_business(region=region, name="Usaha Terverifikasi")
    product = make_product(business=verified, status="pending")
    public = make_product(business=verified, status="published", name="Produk Tayang")
    report = file_report(public, None, ReportReason.MISLEADING, "harga tidak sesuai")
    cert = make_certification(verified)
    with unit_of_work():
        update_business(verified, description="Profil yang menunggu pemeriksaan.")  # an edit of a verified profile
    return {"business": business.id, "product": product.id, "certification": cert.id, "report": report.id,
            "business_edit": verified.id}


# (kind, method, path, form data) for every queue item, page and action
ACTIONS = [
    ("product", "get", "/moderation/products/{id}", None),
    ("product", "post", "/moderation/products/{id}", {"action": "approve"}),
    ("product", "post", "/moderation/products/{id}", {"action": "reject", "reason": "x"}),
    ("product", "post", "/moderation/products/{id}", {"action": "request_changes", "reason": "x"}),
    ("business", "get", "/moderation/businesses/{id}", None),
    ("business", "post", "/moderation/businesses/{id}", {"action": "verify"}),
    ("business", "post", "/moderation/businesses/{id}", {"action": "suspend", "reason": "x"}),
    ("certification", "get", "/moderation/certifications/{id}", None),
    ("certification", "get", "/moderation/certifications/{id}/document", None),
    ("certification", "post", "/moderation/certifications/{id}", {"action": "verify"}),
    ("certification", "post", "/moderation/certifications/{id}", {"action": "reject", "reason": "x"}),
    ("report", "get", "/moderation/reports/{id}", None),
    ("report", "post", "/moderation/reports/{id}", {"action": "resolve"}),
    ("report", "post", "/moderation/reports/{id}", {"action": "dismiss", "reason": "x"}),
    ("business_edit", "get", "/moderation/businesses/{id}/edit", None),
    ("business_edit", "post", "/moderation/businesses/{id}/edit", {"action": "approve"}),
    ("business_edit", "post", "/moderation/businesses/{id}/edit", {"action": "reject", "reason": "x"}),
]


ACTION_IDS = [f"{kind}-{method}-{(data or {}).get('action', 'view')}" for kind, method, _path, data in ACTIONS]


@pytest.mark.parametrize(("kind", "method", "path", "data"), ACTIONS, ids=ACTION_IDS)
def test_moderator_of_3574_gets_404_for_everything_of_3505(client, as_moderator, make_business, make_product,
                                                           kind, method, path, data):
    ids = objects_of("35.05", make_business, make_product)
    url = path.format(id=ids[kind])
    response = client.get(url) if method == "get" else client.submit(url, data, page="/moderation/")
    assert response.status_code == 404
    assert audit_count() == 0
    html = client.get("/moderation/").get_data(as_text=True)
    assert "Usaha Terverifikasi" not in html and "Produk Tayang" not in html


@pytest.mark.parametrize("role", [None, Role.BUYER, Role.OWNER, Role.ADMIN])
@pytest.mark.parametrize(("kind", "method", "path", "data"),
                         ACTIONS[:1] + ACTIONS[1:2] + ACTIONS[5:6] + ACTIONS[9:10] + ACTIONS[12:13] + ACTIONS[14:16])
def test_other_roles_cannot_moderate(client, auth, make_user, make_business, make_product, role, kind, method, path, data):
    ids = objects_of("35.74", make_business, make_product)
    if role is not None:
        auth.login(make_user(role=role).email)
    url = path.format(id=ids[kind])
    response = client.get(url) if method == "get" else client.submit(url, data, page="/auth/login" if role is None else "/my/")
    assert response.status_code == (302 if role is None else 403)
    assert audit_count() == 0


def test_queue_lists_own_region_oldest_first_with_counts(client, as_moderator, make_business, make_product):
    objects_of("35.74", make_business, make_product)
    older = db.session.get(Product, objects_of("35.74", make_business, make_product)["product"])
    html = client.get("/moderation/?lang=en").get_data(as_text=True)
    assert "Products waiting for review (2)" in html
    assert "Businesses awaiting verification (2)" in html and "Certificates awaiting verification (2)" in html
    assert "Reports from buyers (2)" in html and "Edits of business profiles (2)" in html
    assert '<span class="count" aria-hidden="true">10</span>' in html  # the count in the header: all of it
    assert older.name in html


def decide(client, product_id, **data):
    return client.submit(f"/moderation/products/{product_id}", data)


def test_approve_publishes_notifies_and_mails_the_owner(client, as_moderator, make_product, outbox):
    product = make_product(status="pending")
    assert decide(client, product.id, action="approve").status_code == 302
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.status is ProductStatus.PUBLISHED and product in newest_products()
    assert all(p.approved for p in product.photos)
    notification = db.session.scalar(db.select(Notification))
    assert notification.user_id == product.business.owner_id and notification.kind == "product.approve"
    (mail,) = outbox()
    assert mail["To"] == product.business.owner.email and product.name in mail.get_content()


@pytest.mark.parametrize("action", ["reject", "request_changes"])
@pytest.mark.parametrize(("lang", "message"), [("id", "Berikan alasan"), ("en", "Give a reason the owner can act on.")])
def test_reject_and_request_changes_need_a_reason(client, as_moderator, make_product, action, lang, message):
    product = make_product(status="pending")
    response = client.submit(f"/moderation/products/{product.id}?lang={lang}", {"action": action, "reason": "  "})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    db.session.refresh(product)
    assert product.status is ProductStatus.PENDING and audit_count() == 0
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0


def test_owner_sees_the_reason_in_both_languages_with_notification_and_mail(client, auth, as_moderator, make_product, outbox):
    product = make_product(status="pending")
    owner = product.business.owner
    owner.locale = "en"
    db.session.commit()
    decide(client, product.id, action="request_changes", reason_template="description_incomplete", reason="Tambahkan ukuran kain.")
    (mail,) = outbox()
    assert "asks for changes" in mail.get_content() and "Tambahkan ukuran kain." in mail.get_content()
    auth.logout()
    auth.login(owner.email)
    for lang, label in (("id", "perlu perbaikan"), ("en", "changes requested")):
        html = client.get(f"/my/products?lang={lang}").get_data(as_text=True)
        assert "Tambahkan ukuran kain." in html and label in html
    assert "Tambahkan ukuran kain." in client.get("/my/notifications?lang=id").get_data(as_text=True)
    assert 'class="count"' in client.get("/my/").get_data(as_text=True)
    client.submit("/my/notifications/read", page="/my/notifications")
    assert 'class="count"' not in client.get("/my/").get_data(as_text=True)


def test_each_action_writes_exactly_one_audit_entry_with_before_and_after(client, as_moderator, make_business, make_product):
    ids = objects_of("35.74", make_business, make_product)
    steps = [
        (f"/moderation/products/{ids['product']}", {"action": "reject", "reason": "Foto buram"},
         "product.reject", {"status": ["pending", "rejected"]}),
        (f"/moderation/businesses/{ids['business']}", {"action": "verify"},
         "business.verify", {"verification": ["unverified", "verified"]}),
        (f"/moderation/certifications/{ids['certification']}", {"action": "verify"},
         "certification.verify", {"status": ["claimed", "verified"]}),
        (f"/moderation/reports/{ids['report']}", {"action": "dismiss", "reason": "Harga sudah benar"},
         "report.dismiss", {"status": ["open", "dismissed"]}),
        (f"/moderation/businesses/{ids['business_edit']}/edit", {"action": "approve"}, "business_revision.approve",
         {"description": ["", "Profil yang menunggu pemeriksaan."], "edit": ["pending", "approve"]}),
    ]
    for n, (url, data, action, changes) in enumerate(steps, start=1):
        assert client.submit(url, data).status_code == 302, url
        assert audit_count() == n
        entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.object_type != "user")
                                   .order_by(AuditEntry.id.desc())).first()
        assert entry.action == action and entry.actor_email == "mod.kota@example.id" and entry.region_code == "35.74"
        assert entry.changes == changes
    assert db.session.get(Report, ids["report"]).status is ReportStatus.DISMISSED


def test_audit_log_has_no_edit_or_delete_path(app, client, as_moderator, make_product):
    product = make_product(status="pending")
    decide(client, product.id, action="approve")
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "product"))
    entry.reason = "diubah"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "product")))
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    assert audit_count() == 1


def test_audit_view_filter_and_csv(client, auth, as_moderator, make_product, make_user):
    product = make_product(status="pending")
    decide(client, product.id, action="reject", reason="=HYPERLINK(\"http://evil\")")
    html = client.get("/moderation/audit?action=product.reject&lang=en").get_data(as_text=True)
    assert "Product rejected" in html and product.name in html
    assert "No entries." in client.get("/moderation/audit?action=business.verify&lang=en").get_data(as_text=True)
    csv = client.get("/moderation/audit?format=csv").get_data(as_text=True)
    assert csv.splitlines()[0].startswith("time,actor,role,action")
    assert "product.reject" in csv and "'=HYPERLINK" in csv
    # a moderator of another region sees none of it; an admin sees everything
    auth.logout()
    auth.login(make_user(role=Role.MODERATOR, region="35.05").email)
    assert product.name not in client.get("/moderation/audit").get_data(as_text=True)
    auth.logout()
    auth.login(make_user(role=Role.ADMIN).email)
    assert product.name in client.get("/moderation/audit?region=35.74").get_data(as_text=True)


def test_suspending_a_business_hides_its_products_and_reinstating_brings_them_back(client, as_moderator, make_business,
                                                                                   make_product, outbox):
    business = make_business()
    products = [make_product(business=business, status="published", name=f"Batik {i}") for i in range(3)]
    public_ids = lambda: set(db.session.scalars(public_products().with_only_columns(Product.id)))  # noqa: E731
    assert public_ids() == {p.id for p in products}
    assert "Batik 0" in client.get("/").get_data(as_text=True)
    html = client.submit(f"/moderation/businesses/{business.id}?lang=en", {"action": "suspend"}).get_data(as_text=True)
    assert "Give a reason" in html  # suspending needs a reason
    client.submit(f"/moderation/businesses/{business.id}", {"action": "suspend", "reason": "NIB tidak valid"})
    db.session.expire_all()
    assert public_ids() == set() and "Batik 0" not in client.get("/").get_data(as_text=True)
    client.submit(f"/moderation/businesses/{business.id}", {"action": "reinstate"})
    db.session.expire_all()
    assert public_ids() == {p.id for p in products}
    assert db.session.get(type(business), business.id).verification is Verification.VERIFIED
    assert len(outbox()) == 2


def test_edit_of_a_published_product_is_queued_with_a_diff_and_approval_swaps_it_in(client, as_moderator, make_product):
    product = make_product(status="published", description="Deskripsi lama.")
    content = {"name": product.name, "description": "Deskripsi baru.", "category_id": product.category_id,
               "unit": "lembar", "min_order": 2, "attributes": {"motif": "Manggur"}}
    update_product(product, content=content, price_min=product.price_min, price_max=None, availability=product.availability)
    html = client.get("/moderation/?lang=en").get_data(as_text=True)
    assert "Edits of published products (1)" in html
    review = client.get(f"/moderation/products/{product.id}?lang=en").get_data(as_text=True)
    assert "<del>Deskripsi lama.</del>" in review and "<ins>Deskripsi baru.</ins>" in review
    assert re.search(r"<th[^>]*>Motif</th>\s*<td><del></del></td>\s*<td><ins>Manggur</ins></td>", review), review
    assert product.description == "Deskripsi lama."
    decide(client, product.id, action="approve")
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.description == "Deskripsi baru." and product.unit == "lembar" and product.revision is None
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.object_type == "product"))
    assert entry.action == "revision.approve" and entry.changes["description"] == ["Deskripsi lama.", "Deskripsi baru."]


def test_two_moderators_on_the_same_product_one_decision_wins(app, client, as_moderator, make_user, make_product):
    product = make_product(status="pending")
    other = app.test_client()
    other_mod = make_user(role=Role.MODERATOR, region="35.74")
    other.submit("/auth/login", {"email": other_mod.email, "password": "rahasia-uji-2025"})
    # both open the review page, then decide one after the other
    token_a = client.csrf_token(f"/moderation/products/{product.id}")
    token_b = other.csrf_token(f"/moderation/products/{product.id}")
    seen = str(product.version)
    first = client.post(f"/moderation/products/{product.id}", data={"action": "approve", "version": seen, "csrf_token": token_a})
    second = other.post(f"/moderation/products/{product.id}?lang=en", data={
        "action": "reject", "reason": "Foto buram", "version": seen, "csrf_token": token_b}, follow_redirects=True)
    assert first.status_code == 302
    assert "already decided" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.PUBLISHED
    assert audit_count() == 1 and db.session.scalar(db.select(db.func.count(Notification.id))) == 1


def test_a_race_lost_at_the_database_changes_nothing(app, moderator, make_product):
    from marketplace.domain import AlreadyDecided
    from marketplace.moderation.services import decide_product
    from marketplace.unit_of_work import unit_of_work

    product = make_product(status="pending")
    # another moderator's decision lands between loading the row and saving ours
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE product SET version = version + 1 WHERE id = :id"), {"id": product.id})
    with pytest.raises(AlreadyDecided), unit_of_work():
        decide_product(moderator, product, "approve", seen_version=None, link="/my/products",
                       inbox_url="http://localhost/my/notifications")
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.PENDING
    assert audit_count() == 0


def test_certification_decisions_and_badge(client, as_moderator, make_business, outbox):
    from datetime import date

    business = make_business()
    cert = make_certification(business)
    html = client.submit(f"/moderation/certifications/{cert.id}?lang=en", {"action": "reject"}).get_data(as_text=True)
    assert "Give a reason" in html
    client.submit(f"/moderation/certifications/{cert.id}", {"action": "verify"})
    db.session.refresh(cert)
    assert cert.status is CertStatus.VERIFIED and cert.shows_badge(date.today())
    assert "Halal (BPJPH)" in outbox()[0].get_content() or "Halal" in outbox()[0].get_content()


def test_report_form_files_a_report_into_the_right_queue(client, make_product, make_user, auth):
    product = make_product(status="published")
    assert client.submit(f"/products/{product.id}/report", {"reason": "counterfeit", "note": "Motif tiruan"}).status_code == 302
    report = db.session.scalar(db.select(Report))
    assert report.product_id == product.id and report.note == "Motif tiruan"
    # the honeypot: a filled hidden field files nothing
    client.submit(f"/products/{product.id}/report", {"reason": "other", "website": "http://spam"})
    assert db.session.scalar(db.select(db.func.count(Report.id))) == 1
    draft = make_product()
    assert client.get(f"/products/{draft.id}/report").status_code == 404
    auth.login(make_user(role=Role.MODERATOR, region="35.74").email)
    assert "Reports from buyers (1)" in client.get("/moderation/?lang=en").get_data(as_text=True)

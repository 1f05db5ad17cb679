"""One transaction per request, command and job: services flush, the unit of work commits once; what waits for the
commit (mail, jobs, file deletions) happens only if it commits; refusals are DomainErrors, outside a region a 404."""

import pytest

from marketplace.accounts.models import Role, User
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import Business
from marketplace.catalog.models import Product, ProductStatus
from marketplace.catalog.services import delete_product
from marketplace.domain import AlreadyDecided, DomainError, OutsideRegion
from marketplace.extensions import db
from marketplace.media.models import Photo
from marketplace.media.services import stage_photo
from marketplace.media.storage import storage
from marketplace.moderation import services as moderation
from marketplace.notifications.models import Notification
from marketplace.notifications.services import notify
from marketplace.unit_of_work import after_commit, unit_of_work
from tests.conftest import jpeg_bytes

LINKS = {"link": "/my/products", "inbox_url": "http://127.0.0.1/my/notifications"}


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def decisions() -> int:
    """Audit entries of decisions (creating a moderator's account is audited too)."""
    return db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(AuditEntry.object_type != "user"))


def test_an_error_after_a_mail_was_queued_sends_no_mail_and_leaves_no_row(make_user, outbox):
    owner = make_user(role=Role.OWNER)
    with pytest.raises(RuntimeError), unit_of_work():
        notify(owner, "product.approve", product="Batik Manggur", reason="", **LINKS)
        raise RuntimeError("something failed after the mail was queued")
    assert outbox() == [] and count(Notification) == 0
    with unit_of_work():  # the same without the error: one row, one mail, after the commit
        notify(owner, "product.approve", product="Batik Manggur", reason="", **LINKS)
    [message] = outbox()
    assert message["To"] == owner.email and count(Notification) == 1


def test_a_decision_that_fails_after_its_notification_changes_nothing_and_mails_nothing(
        client, auth, make_user, make_product, outbox, monkeypatch):
    """Over HTTP: the moderator's decision, its audit entry, the owner's notification and mail are one unit."""
    product = make_product(status="pending")
    moderator = make_user(role=Role.MODERATOR, region="35.74")
    auth.login(moderator.email)
    page = f"/moderation/products/{product.id}"
    token = client.csrf_token(page)

    def failing_flush():
        raise RuntimeError("the database went away before the commit")

    monkeypatch.setattr(moderation, "flush", failing_flush)
    with pytest.raises(RuntimeError):
        client.post(page, data={"csrf_token": token, "action": "approve", "reason": ""})
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.PENDING
    assert decisions() == count(Notification) == 0 and outbox() == []


def test_two_services_in_one_request_commit_together_or_not_at_all(client, auth, make_user, make_product, monkeypatch):
    """decide_product calls catalog's review service, then the audit log, then notifications: when the last one
    fails, the first one's change is not committed either."""
    product = make_product(status="pending")
    moderator = make_user(role=Role.MODERATOR, region="35.74")
    auth.login(moderator.email)
    page = f"/moderation/products/{product.id}"

    def failing_notify(*args, **kwargs):
        raise RuntimeError("notifications are down")

    monkeypatch.setattr(moderation, "notify", failing_notify)
    token = client.csrf_token(page)
    with pytest.raises(RuntimeError):
        client.post(page, data={"csrf_token": token, "action": "approve", "reason": ""})
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.PENDING and decisions() == 0
    monkeypatch.undo()
    assert client.submit(page, {"action": "approve", "reason": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.PUBLISHED and decisions() == 1


def test_two_services_called_directly_commit_together_or_not_at_all(make_user):
    from marketplace.businesses.services import create_business

    owner = make_user(role=Role.OWNER)
    with pytest.raises(RuntimeError), unit_of_work():
        create_business(owner, name="Bordir Bangil", region_code="35.14", whatsapp="6281234567890")
        db.session.flush()
        raise RuntimeError("the second service failed")
    assert count(Business) == 0


def test_an_error_after_a_file_deletion_was_asked_for_leaves_the_files(make_product):
    product = make_product()
    names = product.photos[0].filenames
    with pytest.raises(RuntimeError), unit_of_work():
        delete_product(product)
        raise RuntimeError("something failed after the deletion")
    assert all(storage().exists(name) for name in names)
    assert db.session.get(Product, product.id) is not None
    with unit_of_work():
        delete_product(db.session.get(Product, product.id))
    assert not any(storage().exists(name) for name in names) and count(Product) == 0


def test_a_rolled_back_upload_queues_no_job_and_leaves_no_file(make_user, queue):
    owner = make_user(role=Role.OWNER)
    with pytest.raises(RuntimeError), unit_of_work():
        photo = stage_photo(owner, jpeg_bytes(size=(2000, 1500)))
        names = photo.filenames
        assert photo.pending and all(storage().exists(name) for name in names if "-320." in name)
        raise RuntimeError("the form failed after the upload")
    assert queue.pending() == 0 and count(Photo) == 0
    assert list(storage().names()) == []
    with unit_of_work():
        stage_photo(owner, jpeg_bytes(size=(2000, 1500)))
    assert queue.pending() == 1 and count(Photo) == 1


def test_after_commit_work_waits_for_the_outermost_unit(app):
    ran = []
    with unit_of_work():
        with unit_of_work():
            after_commit(ran.append, "inner")
        assert ran == []  # the inner unit joined the outer one: nothing is committed yet
    assert ran == ["inner"]


def test_a_cli_command_that_fails_half_way_changes_nothing(runner, monkeypatch):
    from marketplace import seeding

    real = seeding._seed_business
    seeded = []

    def second_one_fails(data):
        if seeded:
            raise RuntimeError("the disk filled up half way")
        real(data)
        seeded.append(data["name"])

    monkeypatch.setattr(seeding, "_seed_business", second_one_fails)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0 and seeded  # the first business was made, then the command failed
    assert count(Business) == 0
    assert db.session.scalar(db.select(User).where(User.email.like("%@demo.etalase.id"))) is None


def test_outside_region_from_a_moderation_service_is_a_404(client, auth, make_user, make_product, monkeypatch):
    product = make_product(status="pending")  # Kota Probolinggo
    blitar = make_user(role=Role.MODERATOR, region="35.05")
    with pytest.raises(OutsideRegion):
        moderation.decide_product(blitar, product, "approve", **LINKS)
    assert issubclass(OutsideRegion, DomainError) and OutsideRegion.status == 404
    auth.login(blitar.email)
    page = f"/moderation/products/{product.id}"
    assert client.get(page).status_code == 404  # the region-scoped query
    # and when a service is the one to find it outside the region, the one handler answers 404 as well
    from marketplace.moderation import queries

    token = client.csrf_token("/moderation/")
    monkeypatch.setattr(queries, "product_in_region_or_404", lambda moderator, product_id: db.session.get(Product, product_id))
    response = client.post(page, data={"csrf_token": token, "action": "approve", "reason": ""})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Product, product.id).status is ProductStatus.PENDING and decisions() == 0


@pytest.mark.parametrize(("lang", "message"), [("en", "changed somewhere else at the same moment"),
                                               ("id", "diubah di tempat lain pada saat yang sama")])
def test_a_refusal_is_shown_in_the_readers_language(client, lang, message):
    """DomainError messages are lazy: translated when shown, not when raised."""
    from marketplace.errors import render_error

    with client.application.test_request_context(f"/?lang={lang}"):
        error = AlreadyDecided()
        body, status = render_error(error.status, str(error.message))
    assert status == 409 and message in body

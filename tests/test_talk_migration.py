"""The migration gives every existing inquiry its thread: the note becomes the first message (the inquiry keeps its
text), the owner and the buyer with an account take part, with what the owner had opened already read; a closed
inquiry's thread is closed. Run on the suite's database kind (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""

from flask_migrate import downgrade, upgrade

from marketplace import create_app
from marketplace.accounts.models import Role
from marketplace.accounts.services import create_user
from marketplace.businesses.services import create_business
from marketplace.catalog.models import Category
from marketplace.catalog.services import create_product
from marketplace.conversations.queries import unread_counts
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryStatus
from marketplace.models_base import utcnow
from marketplace.seeding import seed_reference
from marketplace.unit_of_work import unit_of_work
from tests.conftest import make_config, revision_before

BEFORE = revision_before("1806e0e84a7d")  # the migration that makes inquiries threads


def test_existing_inquiries_become_threads_and_keep_their_text(fresh_database_url, tmp_path):
    app = create_app(make_config(tmp_path, fresh_database_url))
    with app.app_context():
        upgrade()  # people, business and product as today's code makes them; the later migrations keep their rows
        with unit_of_work():
            seed_reference()
            owner = create_user(email="pemilik@example.id", password="rahasia-uji-2025", name="Siti", role=Role.OWNER,
                                region_code="35.74")
            buyer = create_user(email="budi@example.id", password="rahasia-uji-2025", name="Budi", role=Role.BUYER,
                                region_code="35.05")
            business = create_business(owner, name="Batik Manggur", region_code="35.74", whatsapp="6281234567890")
            category = db.session.scalar(db.select(Category).where(Category.slug == "batik-tulis"))
            product = create_product(business, category=category, name="Batik Tulis", price_min=150000)
            ids = owner.id, buyer.id, business.id, product.id
        db.session.remove()
        downgrade(revision=BEFORE)
        table = db.metadata.tables["inquiry"]
        common = {"product_id": ids[3], "business_id": ids[2], "contact": "6281334445566", "quantity": 3,
                  "buyer_region_code": "35.05", "seller_region_code": "35.74", "created_at": utcnow()}
        with db.engine.begin() as connection:  # rows as the old schema holds them (no conversation_id yet)
            connection.execute(table.insert(), [
                {**common, "id": 1, "buyer_id": ids[1], "name": "Budi", "message": "Ada warna biru?", "status": "new",
                 "read_at": None},
                {**common, "id": 2, "buyer_id": None, "name": "Tamu", "message": "", "status": "closed",
                 "read_at": utcnow()},
            ])
        db.session.remove()
        upgrade()

        sent, visitor = db.session.get(Inquiry, 1), db.session.get(Inquiry, 2)
        assert sent.message == "Ada warna biru?" and sent.status is InquiryStatus.NEW
        assert [(m.author_id, m.body) for m in sent.conversation.messages] == [(ids[1], "Ada warna biru?")]
        assert {p.user_id for p in sent.conversation.parties} == {ids[0], ids[1]}
        assert not sent.conversation.closed
        assert [(m.author_id, m.body) for m in visitor.conversation.messages] == [(None, "")]
        assert {p.user_id for p in visitor.conversation.parties} == {ids[0]}
        assert visitor.conversation.closed
        # unread: the owner had not opened the first, had opened the second; the buyer wrote the first
        assert unread_counts(ids[0], [1, 2]) == {1: 1}
        assert unread_counts(ids[1], [1, 2]) == {}
        # new conversations continue after the migrated ids (PostgreSQL's sequence was moved on)
        from marketplace.conversations.services import open_conversation
        with unit_of_work():
            assert open_conversation("inquiry", [db.session.get(type(sent.buyer), ids[1])]).id == 3
        db.session.remove()
        db.engine.dispose()

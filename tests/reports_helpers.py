"""A fixed data set for the reports, written straight as rows (no photos, no services): three regions of the seed
agreements (Kota Probolinggo 35.74 with Kabupaten Pasuruan 35.14 and Kabupaten Blitar 35.05), an inquiry whose
buyer region is unknown and a business that moved from 35.74 to 35.14 after an inquiry. Every expected figure in
tests/test_reports_figures.py is counted by hand from the rows below. The reports' summary tables are then counted
from these rows by the same rebuild as `flask reports-rebuild-summaries`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEntry
from marketplace.businesses.models import Business, SizeClass, Verification
from marketplace.catalog.models import Category, Product, ProductStatus
from marketplace.certifications.models import Certification, CertStatus, CertType
from marketplace.coach.models import DormancySnapshot
from marketplace.conversations.models import Conversation
from marketplace.events.models import Event, EventReach, ReachKind
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryStatus
from marketplace.institutions.models import Institution
from marketplace.institutions.training_models import Cohort, Enrolment, EnrolmentState
from marketplace.regions.models import Agreement
from marketplace.reports import summaries
from marketplace.reports.period import Period
from marketplace.showcases.models import Showcase, ShowcaseReach
from marketplace.staples.models import (
    Commodity,
    Deal,
    DealStatus,
    Delivery,
    DeliveryStatus,
    DeliveryTerms,
    MatchConversation,
    PostKind,
    PostStatus,
    StaplesPost,
    Transport,
)
from marketplace.staples.models import (
    Period as PostPeriod,
)

PASURUAN = "mou-kota-probolinggo-kab-pasuruan-2025"
BLITAR = "mou-kota-probolinggo-kab-blitar-2025"
PERIOD = Period(date(2026, 1, 1), date(2026, 5, 1))  # January to April 2026
ARGS = "from=2026-01&to=2026-04"


def at(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def _category(slug: str) -> int:
    return db.session.scalar(db.select(Category.id).where(Category.slug == slug))


def build(make_user) -> SimpleNamespace:
    owners = [make_user(role=Role.OWNER, region=region) for region in ("35.74",) * 4 + ("35.14", "35.74", "35.05")]

    def business(i, name, region, size=SizeClass.MIKRO, verified=True):
        row = Business(owner_id=owners[i].id, region_code=region, name=name, slug=f"usaha-{i}", whatsapp="6281234567890",
                       size_class=size, verification=Verification.VERIFIED if verified else Verification.UNVERIFIED)
        db.session.add(row)
        return row

    k1, k2 = business(0, "Batik Satu", "35.74"), business(1, "Keripik Dua", "35.74")
    k3 = business(2, "Sari Tiga", "35.74", SizeClass.KECIL)
    k4 = business(3, "Belum Empat", "35.74", verified=False)
    p1 = business(4, "Bordir Bangil", "35.14")
    moved = business(5, "Pindah Lima", "35.74", SizeClass.MENENGAH)
    b1 = business(6, "Telur Blitar", "35.05")
    db.session.flush()

    def product(owner, name, category, status, submitted=None):
        row = Product(business=owner, category_id=_category(category), name=name, slug=name.lower().replace(" ", "-"),
                      status=status, submitted_at=submitted, price_min=10000,
                      published_at=submitted if status is ProductStatus.PUBLISHED else None)
        db.session.add(row)
        return row

    batik_a = product(k1, "Batik A", "batik-tulis", ProductStatus.PUBLISHED, at(3, 2, 8))
    batik_b = product(k1, "Batik B", "batik-tulis", ProductStatus.PUBLISHED, at(3, 3))
    product(k1, "Batik Draft", "batik-tulis", ProductStatus.DRAFT)
    keripik = product(k2, "Keripik", "keripik", ProductStatus.PUBLISHED, at(3, 3))
    sari = product(k3, "Sari Buah", "sari-buah", ProductStatus.PUBLISHED, at(3, 10))
    cap = product(k3, "Batik Cap", "batik-cap", ProductStatus.PENDING, at(3, 20))
    bordir = product(p1, "Mukena", "mukena", ProductStatus.PUBLISHED, at(3, 1))
    product(moved, "Tas", "tas-dompet", ProductStatus.PUBLISHED, at(3, 1))
    telur = product(b1, "Telur", "telur", ProductStatus.PUBLISHED, at(3, 1))
    db.session.flush()

    def certificate(owner, cert_type, product=None, status=CertStatus.VERIFIED, valid_until=None):
        db.session.add(Certification(business_id=owner.id, product_id=product.id if product else None, cert_type=cert_type,
                                     number="X", issuer="Y", document="d.pdf", status=status, valid_until=valid_until))

    certificate(k2, CertType.HALAL)  # the whole business: covers the keripik
    certificate(k1, CertType.SNI, batik_a)  # batik A only
    certificate(k3, CertType.PIRT, valid_until=date(2020, 1, 1))  # expired: covers nothing
    certificate(k1, CertType.BATIK_MARK, batik_b, status=CertStatus.CLAIMED)  # not verified: covers nothing

    def decision(item, when, action="product.approve"):
        db.session.add(AuditEntry(actor_email="mod@example.id", actor_role="moderator", action=action,
                                  object_type="product", object_id=item.id, region_code="35.74", created_at=when))

    decision(batik_a, at(3, 2, 10))  # 2 hours
    decision(batik_b, at(3, 4))  # 24 hours
    decision(keripik, at(3, 3, 6), "product.reject")  # 6 hours
    decision(sari, at(3, 13))  # 72 hours, the week of 9 March
    decision(cap, at(3, 15), "product.request_changes")  # before its latest submission (20 March): left out

    def inquiry(item, buyer_region, when, replied_hours=None, seller_region=None):
        conversation = Conversation(subject="inquiry")
        db.session.add(conversation)
        db.session.flush()
        db.session.add(Inquiry(
            product_id=item.id, business_id=item.business_id, name="Pembeli", contact="6281111111111",
            buyer_region_code=buyer_region, seller_region_code=seller_region or item.business.region_code,
            conversation_id=conversation.id, created_at=when,
            status=InquiryStatus.REPLIED if replied_hours is not None else InquiryStatus.NEW,
            replied_at=when.replace(hour=when.hour + replied_hours) if replied_hours is not None else None))

    tas = db.session.scalar(db.select(Product).where(Product.name == "Tas"))
    inquiry(batik_a, "35.14", at(3, 5, 1), 2)
    inquiry(keripik, "35.05", at(3, 6, 1), 10)
    inquiry(batik_a, None, at(3, 7, 1))  # the buyer's region is unknown
    inquiry(sari, "35.74", at(4, 2, 1), 4)
    inquiry(tas, "35.14", at(3, 8, 1))  # asked while the business was in 35.74 ...
    inquiry(bordir, "35.74", at(3, 9, 1), 1)
    inquiry(telur, "35.74", at(3, 9, 1))
    inquiry(keripik, "35.14", at(6, 1, 1), 1)  # after the period
    db.session.flush()
    moved.region_code = "35.14"  # ... and moved to Kabupaten Pasuruan since
    db.session.flush()

    pasuruan = db.session.scalar(db.select(Agreement).where(Agreement.key == PASURUAN))
    showcase = Showcase(slug="etalase-uji", title="Etalase Uji", host_region_code="35.74", agreement_id=pasuruan.id,
                        published=True)
    db.session.add(showcase)
    db.session.flush()
    db.session.add_all([ShowcaseReach(showcase_id=showcase.id, product_id=0, day=date(2026, 3, 5), count=10),
                        ShowcaseReach(showcase_id=showcase.id, product_id=0, day=date(2026, 4, 1), count=5),
                        ShowcaseReach(showcase_id=showcase.id, product_id=batik_a.id, day=date(2026, 3, 5), count=3),
                        ShowcaseReach(showcase_id=showcase.id, product_id=0, day=date(2025, 12, 31), count=99)])
    event = Event(slug="bazar-uji", title="Bazar Uji", host_region_code="35.74", agreement_id=pasuruan.id,
                  venue_name="Alun-alun", starts_at=at(3, 20, 2), ends_at=at(3, 20, 10), apply_by=at(3, 1),
                  published=True)
    db.session.add(event)
    db.session.flush()
    db.session.add_all([EventReach(event_id=event.id, application_id=0, kind=ReachKind.VIEW, day=date(2026, 3, 20), count=7),
                        EventReach(event_id=event.id, application_id=0, kind=ReachKind.SCAN, day=date(2026, 3, 20), count=4)])

    institution = db.session.scalars(db.select(Institution)).first()
    cohort = Cohort(institution_id=institution.id, topic="Foto produk", starts_on=date(2026, 3, 10),
                    ends_on=date(2026, 3, 11), capacity=10, enrol_by=date(2026, 3, 1))
    db.session.add(cohort)
    db.session.flush()
    for owner, business_row, attended in ((owners[0], k1, True), (owners[1], k2, True), (owners[2], k3, False)):
        db.session.add(Enrolment(cohort_id=cohort.id, user_id=owner.id, business_id=business_row.id,
                                 state=EnrolmentState.CONFIRMED, attended=attended))
    db.session.add_all([DormancySnapshot(region_code="35.74", day=date(2026, 3, 15), active=3, dormant=1),
                        DormancySnapshot(region_code="35.74", day=date(2026, 3, 31), active=2, dormant=2),
                        DormancySnapshot(region_code="35.74", day=date(2026, 4, 10), active=3, dormant=0),
                        DormancySnapshot(region_code="35.14", day=date(2026, 4, 10), active=9, dormant=9)])
    db.session.flush()
    _staples(k1, k2, p1)
    summaries.rebuild()  # the rows above were written straight, not through the services that keep the summaries
    return SimpleNamespace(k1=k1, k2=k2, k3=k3, k4=k4, p1=p1, moved=moved, b1=b1, pasuruan=pasuruan, showcase=showcase,
                           event=event)


def _staples(k1, k2, p1) -> None:
    """Corn from Kota Probolinggo (K1) to Kabupaten Pasuruan (P1): an offer, a need, the match's conversation, a deal
    of 10,000 kg confirmed on 15 March, deliveries of 4,000 kg (confirmed by both), 1,000 (waiting) and 2,000
    (disputed): 4,000 delivered of 10,000 agreed. A deal within 35.74 (K1 to K2) is no cross-region deal."""
    corn = db.session.scalar(db.select(Commodity).where(Commodity.code == "jagung-pipilan-kering"))

    def post(owner, kind):
        row = StaplesPost(kind=kind, business_id=owner.id, region_code=owner.region_code, commodity_id=corn.id,
                          unit_code="kg", quantity=10_000, period=PostPeriod.ONCE, starts_on=date(2026, 3, 1),
                          ends_on=date(2026, 3, 31), delivery_terms=DeliveryTerms.LOCO, transport_by=Transport.BUYER,
                          monthly_base=10_000, status=PostStatus.PUBLISHED, created_at=at(3, 1), submitted_at=at(3, 1))
        db.session.add(row)
        return row

    offer, need, local_need = post(k1, PostKind.OFFER), post(p1, PostKind.NEED), post(k2, PostKind.NEED)
    conversation = Conversation(subject="staples_match")
    db.session.add(conversation)
    db.session.flush()
    db.session.add(MatchConversation(offer_id=offer.id, need_id=need.id, conversation_id=conversation.id,
                                     created_at=at(3, 2)))

    def deal(buyer, need_post):
        row = Deal(offer_id=offer.id, need_id=need_post.id, commodity_id=corn.id, seller_id=k1.id, buyer_id=buyer.id,
                   seller_region_code=k1.region_code, buyer_region_code=buyer.region_code, proposed_by_id=buyer.id,
                   volume=10_000, remaining=3_000, unit_price=4_200, starts_on=date(2026, 3, 15),
                   ends_on=date(2026, 4, 15), delivery_terms=DeliveryTerms.LOCO, transport_by=Transport.BUYER,
                   status=DealStatus.ACTIVE, confirmed_at=at(3, 15))
        db.session.add(row)
        db.session.flush()
        return row

    across, local = deal(p1, need), deal(k2, local_need)
    for row, quantity, status, day in ((across, 4_000, DeliveryStatus.CONFIRMED, 20), (across, 1_000, DeliveryStatus.LOGGED, 25),
                                       (across, 2_000, DeliveryStatus.DISPUTED, 26), (local, 5_000, DeliveryStatus.CONFIRMED, 20)):
        db.session.add(Delivery(deal_id=row.id, delivered_on=date(2026, 3, day), quantity=quantity, received_by="Gudang",
                                logged_by_id=row.buyer_id, status=status))
    db.session.flush()

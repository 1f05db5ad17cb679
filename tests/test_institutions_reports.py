"""The institution's report (requests by service and state, median and p90 working days to issue, trained
participants by region, CSV) and the working-day clock of the service standard."""

import csv
import io
from datetime import UTC, date, datetime

from marketplace.accounts.models import Role
from marketplace.extensions import db
from marketplace.institutions import service_requests, training
from marketplace.institutions.models import ServiceKind
from marketplace.institutions.request_models import DocumentKind, RequestState, ServiceRequest
from marketplace.institutions.workdays import working_days_between
from marketplace.unit_of_work import unit_of_work
from tests.institutions_helpers import institution, pdf_bytes, service

LINKS = {"link": "/my/services/1", "inbox_url": "http://localhost/my/notifications"}


def test_working_days_skip_weekends():
    assert working_days_between(date(2026, 12, 4), date(2026, 12, 7)) == 1  # Friday to Monday
    assert working_days_between(date(2026, 12, 1), date(2026, 12, 1)) == 0
    assert working_days_between(date(2026, 11, 2), date(2026, 11, 30)) == 20
    # a UTC time late in the evening is already the next day in Jakarta
    assert working_days_between(datetime(2026, 12, 3, 18, tzinfo=UTC), date(2026, 12, 4)) == 0


def test_report_and_csv(client, auth, make_user, make_business, make_product):
    staff = make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id)
    business = make_business(region="35.13", name="Batik Tegalsiwalan")
    product = make_product(business=business, status="published")
    owner = business.owner
    sent_on = datetime(2026, 11, 2, 2, tzinfo=UTC)  # Monday morning in Jakarta
    issued_on = [datetime(2026, 11, 16, 2, tzinfo=UTC), datetime(2026, 11, 30, 2, tzinfo=UTC)]  # 10 and 20 working days
    with unit_of_work():
        for when in issued_on + [None]:
            request = service_requests.start_request(owner, business, service("bbspjikb", ServiceKind.SNI), products=[product])
            for kind in (DocumentKind.PROCESS, DocumentKind.SITE_PHOTO):
                service_requests.add_document(owner, request, kind, pdf_bytes(), "d.pdf")
            service_requests.submit_request(owner, request, **LINKS)
            if when is not None:
                service_requests.decide(staff, request, "accept", visit_on=date(2026, 11, 5), **LINKS)
                service_requests.decide(staff, request, "issue", number="SNI-1", valid_until=date(2030, 1, 1),
                                        document=pdf_bytes(), **LINKS)
                request.submitted_at, request.decided_at = sent_on, when
        cohort = training.create_cohort(staff, institution("bbspjikb"), topic="Pewarna alam", starts_on=date(2026, 11, 2),
                                        ends_on=date(2026, 11, 2), region_code="35.13", capacity=5,
                                        enrol_by=date(2026, 11, 1))
        training.enrol(owner, cohort, business, on=date(2026, 11, 1)).attended = True
    assert db.session.scalar(db.select(db.func.count(ServiceRequest.id)).where(
        ServiceRequest.state == RequestState.ISSUED)) == 2
    auth.login(staff.email)
    page = client.get("/institution/report?lang=en").get_data(as_text=True)
    assert "SNI certification" in page and "15.0" in page and "20.0" in page
    assert "Kabupaten Probolinggo (35.13)" in page
    response = client.get("/institution/report?format=csv&lang=en")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert ["time_to_issue", "SNI certification", "", "2", "15.0", "20.0"] in rows
    assert ["requests", "SNI certification", "issued", "2", "", ""] in rows
    assert ["requests", "SNI certification", "sent, waiting for the institution", "1", "", ""] in rows
    assert ["trained", "Kabupaten Probolinggo (35.13)", "", "1", "", ""] in rows


def test_trained_participants_by_region_and_sector(client, auth, make_user, make_business, make_product):
    """Sector: the cohort's own when only one sector could enrol, else the top category most of the business's
    products are in."""
    from marketplace.catalog.models import Category
    staff = make_user(role=Role.INSTITUTION_STAFF, region=None, institution_id=institution("bbspjikb").id)
    batik_maker = make_business(region="35.13", name="Batik Tegalsiwalan")
    make_product(business=batik_maker, category="batik-tulis", name="Batik A")
    make_product(business=batik_maker, category="batik-cap", name="Batik B")
    make_product(business=batik_maker, category="keripik", name="Keripik A")
    snack_maker = make_business(region="35.74", name="Keripik Kota")
    make_product(business=snack_maker, category="keripik", name="Keripik B")
    newcomer = make_business(region="35.13", name="Usaha Baru")
    food = db.session.scalar(db.select(Category).where(Category.slug == "makanan-olahan"))
    with unit_of_work():
        open_to_all = training.create_cohort(
            staff, institution("bbspjikb"), topic="Foto produk", starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 2),
            region_code="35.13", capacity=5, enrol_by=date(2026, 11, 1))
        for business in (batik_maker, snack_maker, newcomer):
            training.enrol(business.owner, open_to_all, business, on=date(2026, 11, 1)).attended = True
        food_only = training.create_cohort(
            staff, institution("bbspjikb"), topic="Persiapan halal", starts_on=date(2026, 11, 9),
            ends_on=date(2026, 11, 9), region_code="35.13", capacity=5, enrol_by=date(2026, 11, 1),
            eligibility=training.Eligibility.SECTOR, eligible_category_id=food.id)
        training.enrol(batik_maker.owner, food_only, batik_maker, on=date(2026, 11, 1)).attended = True
        training.enrol(snack_maker.owner, food_only, snack_maker, on=date(2026, 11, 1))  # did not attend
    auth.login(staff.email)
    rows = list(csv.reader(io.StringIO(client.get("/institution/report?format=csv&lang=en").get_data(as_text=True))))
    trained = sorted(row[1:4] for row in rows if row[0] == "trained_by_sector")
    assert trained == [["Kabupaten Probolinggo (35.13)", "Batik", "1"],
                       ["Kabupaten Probolinggo (35.13)", "Processed food", "1"],
                       ["Kabupaten Probolinggo (35.13)", "no products yet", "1"],
                       ["Kota Probolinggo (35.74)", "Processed food", "1"]]
    page = client.get("/institution/report?lang=id").get_data(as_text=True)
    assert "Makanan olahan" in page and "belum ada produk" in page and "Peserta terlatih menurut daerah dan sektor" in page

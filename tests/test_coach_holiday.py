"""Holiday mode and responsiveness: the owner marks a business away until a date; public pages say so; inquiries
received meanwhile do not count against the share answered and the time to first reply."""

from datetime import UTC, date, datetime, timedelta

import pytest

from marketplace.coach import queries, services
from marketplace.extensions import db
from marketplace.inquiries.models import Inquiry, InquiryStatus
from marketplace.inquiries.services import send_inquiry, set_status
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work
from tests.conftest import INQUIRY_LINKS

NOW = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)


@pytest.fixture
def product(make_business, make_product):
    business = make_business(name="Batik Manggur Kota")
    return make_product(business=business, status="published", name="Batik Tulis Manggur")


def ask(product, when: datetime, replied_after: timedelta | None = None) -> Inquiry:
    with unit_of_work():
        inquiry = send_inquiry(product, buyer=None, name="Budi", contact="6281234567890", quantity=1, message="",
                               buyer_region_code="35.05", **INQUIRY_LINKS)
        inquiry.created_at = when
        if replied_after is not None:
            set_status(inquiry, InquiryStatus.REPLIED)
            inquiry.replied_at = when + replied_after
    return inquiry


def test_marking_replied_keeps_the_first_reply_time(product):
    inquiry = ask(product, datetime.now(UTC))
    with unit_of_work():
        set_status(db.session.get(Inquiry, inquiry.id), InquiryStatus.REPLIED)
    first = db.session.get(Inquiry, inquiry.id).replied_at
    assert first is not None
    with unit_of_work():
        set_status(db.session.get(Inquiry, inquiry.id), InquiryStatus.CLOSED)
        set_status(db.session.get(Inquiry, inquiry.id), InquiryStatus.REPLIED)
    assert db.session.get(Inquiry, inquiry.id).replied_at == first


def test_share_answered_and_median_time_to_first_reply_over_90_days(product):
    ask(product, NOW - timedelta(days=5), replied_after=timedelta(hours=1))
    ask(product, NOW - timedelta(days=4), replied_after=timedelta(hours=3))
    ask(product, NOW - timedelta(days=3), replied_after=timedelta(hours=20))
    ask(product, NOW - timedelta(days=2))  # not answered
    ask(product, NOW - timedelta(days=120), replied_after=timedelta(days=9))  # too old to count
    figures = queries.responsiveness(product.business_id, NOW)
    assert (figures.counted, figures.answered, figures.share) == (4, 3, 75)
    assert figures.median_reply == timedelta(hours=3)


def test_inquiries_received_while_away_do_not_count(product):
    business = product.business
    with unit_of_work():
        services.set_away(business, date(2026, 12, 5), NOW - timedelta(days=6))  # away from 4 December
    ask(product, NOW - timedelta(days=5))  # while away, never answered
    ask(product, NOW - timedelta(days=8), replied_after=timedelta(hours=2))  # before the holiday
    ask(product, NOW - timedelta(days=1), replied_after=timedelta(hours=4))  # after it (ended with 5 December)
    figures = queries.responsiveness(business.id, NOW)
    assert (figures.counted, figures.answered, figures.away_excluded) == (2, 2, 1)
    assert figures.share == 100


def test_ending_holiday_early_counts_inquiries_from_then_on(product):
    business = product.business
    with unit_of_work():
        services.set_away(business, date(2026, 12, 20), NOW - timedelta(days=4))
        services.end_away(business, NOW - timedelta(days=2))
    ask(product, NOW - timedelta(days=3))  # while away
    ask(product, NOW - timedelta(days=1))  # after coming back early: counts
    figures = queries.responsiveness(business.id, NOW)
    assert (figures.counted, figures.away_excluded) == (1, 1)
    assert business.away_until is None


def test_the_owner_turns_holiday_mode_on_and_public_pages_say_so(client, auth, product):
    business = product.business
    until = today() + timedelta(days=10)
    auth.login(business.owner.email)
    page = f"/my/businesses/{business.id}/coach"
    assert client.get(page).status_code == 200
    response = client.submit(f"/my/businesses/{business.id}/away", {"until": until.isoformat()}, page=page)
    assert response.status_code == 302
    auth.logout()
    with client.application.test_request_context("/?lang=id"):
        from marketplace.i18n import long_date
        shown = long_date(until, "id")
    for path in (f"/products/{product.id}-{product.slug}?lang=id", f"/businesses/{business.slug}?lang=id"):
        html = client.get(path).get_data(as_text=True)
        assert f"Sedang libur sampai {shown}" in html, path
    assert "On holiday until" in client.get(f"/businesses/{business.slug}?lang=en").get_data(as_text=True)


def test_holiday_in_the_past_is_refused_and_the_form_keeps_the_date(client, auth, product):
    business = product.business
    auth.login(business.owner.email)
    page = f"/my/businesses/{business.id}/coach"
    past = (today() - timedelta(days=3)).isoformat()
    response = client.submit(f"/my/businesses/{business.id}/away?lang=en", {"until": past}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose a date from today" in html and f'value="{past}"' in html
    assert db.session.get(type(business), business.id).away_until is None


def test_a_holiday_that_ended_is_not_shown(client, product):
    with unit_of_work():
        business = db.session.get(type(product.business), product.business_id)
        business.away_until = today() - timedelta(days=1)
    html = client.get(f"/businesses/{business.slug}?lang=en").get_data(as_text=True)
    assert "On holiday until" not in html


def test_the_owner_sees_responsiveness_on_the_coach_page(client, auth, product):
    ask(product, datetime.now(UTC) - timedelta(days=2), replied_after=timedelta(hours=2))
    ask(product, datetime.now(UTC) - timedelta(days=1))
    auth.login(product.business.owner.email)
    html = client.get(f"/my/businesses/{product.business_id}/coach?lang=en").get_data(as_text=True)
    assert "50%" in html and "(1 of 2)" in html and "2 hours" in html
    assert "jam" in client.get(f"/my/businesses/{product.business_id}/coach?lang=id").get_data(as_text=True)

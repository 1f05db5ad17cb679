"""Controls of docs/SECURITY.md that had no test of their own: the report and password-reset rate limits."""

from marketplace.extensions import db
from marketplace.moderation.models import Report


def limit_of(app, key: str) -> int:
    return int(app.config[key].split()[0])


def test_reports_are_rate_limited_per_client(app, client, make_product):
    product = make_product(status="published")
    url = f"/products/{product.id}/report"
    for _ in range(limit_of(app, "REPORT_RATE_LIMIT")):
        assert client.submit(url, {"reason": "counterfeit", "note": "Motif tiruan"}).status_code == 302
    assert client.submit(url, {"reason": "counterfeit", "note": "satu lagi"}).status_code == 429
    assert db.session.scalar(db.select(db.func.count(Report.id))) == limit_of(app, "REPORT_RATE_LIMIT")
    other = app.test_client()  # another address is not held back by the first one's reports
    other.environ_base["REMOTE_ADDR"] = "127.0.0.2"
    assert other.submit(url, {"reason": "counterfeit", "note": "dari alamat lain"}).status_code == 302


def test_password_reset_requests_are_rate_limited_per_client(app, client, make_user, outbox):
    user = make_user()
    for _ in range(limit_of(app, "RESET_RATE_LIMIT")):
        assert client.submit("/auth/reset", {"email": user.email}).status_code == 302
    assert client.submit("/auth/reset", {"email": user.email}).status_code == 429
    assert len(outbox()) == limit_of(app, "RESET_RATE_LIMIT")

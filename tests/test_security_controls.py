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


def test_production_session_and_remember_cookies_are_secure_host_only(app, make_user, monkeypatch):
    """The scan runs the development config over plain HTTP, so wapiti reports cookies without Secure: this is
    the production side of that answer (docs/SECURITY.md), for both cookies a login sets."""
    import importlib

    import config
    from tests.conftest import CSRF_RE, PASSWORD

    monkeypatch.setenv("SECRET_KEY", "y" * 40)
    monkeypatch.setenv("BASE_URL", "https://etalase.example.id")
    importlib.reload(config)
    production = type("ScanProductionConfig", (config.ProductionConfig,), {
        key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_DIR", "MAIL_OUTBOX_DIR")})
    production.RATELIMIT_STORAGE_URI = "memory://"
    from marketplace import create_app

    site = create_app(production).test_client()
    user = make_user(email="aman@example.id")
    https = "https://etalase.example.id"
    token = CSRF_RE.search(site.get("/auth/login", base_url=https).get_data(as_text=True)).group(1)
    response = site.post("/auth/login", base_url=https, headers={"Referer": f"{https}/auth/login"},  # CSRF's HTTPS check
                         data={"email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token})
    assert response.status_code == 302
    cookies = {value.split("=", 1)[0]: value for value in response.headers.getlist("Set-Cookie")}
    assert set(cookies) >= {"__Host-session", "__Host-remember"}
    for value in (cookies["__Host-session"], cookies["__Host-remember"]):
        assert "Secure" in value and "HttpOnly" in value and "SameSite=Lax" in value
        assert "Path=/" in value and "Domain=" not in value
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.delenv("BASE_URL")
    importlib.reload(config)

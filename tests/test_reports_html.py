"""The reports' pages are valid HTML (Nu HTML validator), in Indonesian and English, including the standard form
showing its error."""

from marketplace.accounts.models import Role
from tests.reports_helpers import ARGS, PASURUAN, build
from tests.test_html_validity import LANGUAGES, assert_valid_html, vnu_command, with_language


def test_report_pages_are_valid_html(app, client, auth, make_user, tmp_path):
    vnu = vnu_command()
    with app.test_request_context():
        build(make_user)
    pages = {}

    def render(paths, method="get", data=None):
        for path in paths:
            for lang in LANGUAGES:
                url = with_language(path, lang)
                response = client.submit(url, data) if method == "post" else client.get(url)
                assert response.status_code == 200, url
                pages[f"{method} {url}"] = response.get_data(as_text=True)

    render([f"/impact?{ARGS}", f"/impact/{PASURUAN}?{ARGS}", f"/impact/{PASURUAN}/embed?{ARGS}"])
    auth.login(make_user(role=Role.MODERATOR, region="35.74").email)
    render(["/reports/", f"/reports/region/35.74?{ARGS}", f"/reports/agreement/{PASURUAN}?{ARGS}",
            "/reports/region/35.74/standard"])
    render(["/reports/region/35.74/standard"], "post", {"hours": "0"})
    assert_valid_html(vnu, pages, tmp_path)

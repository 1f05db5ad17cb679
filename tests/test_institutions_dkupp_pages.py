"""The pages of a DKUPP's training cohorts, in Indonesian and English: valid HTML (the Nu validator), and no wider
than a phone (360 px) in Chromium."""

import pytest

from tests.test_html_validity import LANGUAGES, assert_valid_html, vnu_command, with_language
from tests.test_institutions_dkupp_cohorts import site  # noqa: F401  (a fixture)

PAGES = [
    ("visitor", ["/services", "/services/training/{cohort}"]),
    ("moderator", ["/moderation/cohorts", "/moderation/cohorts/new", "/moderation/cohorts/{cohort}",
                   "/moderation/cohorts/{cohort}/edit", "/moderation/"]),
    ("admin", ["/moderation/cohorts", "/moderation/cohorts/{cohort}"]),
]


def _render(client, auth, users, ids) -> dict[str, str]:
    pages = {}
    for role, paths in PAGES:
        if role != "visitor":
            auth.login(users[role].email)
        for path in paths:
            for lang in LANGUAGES:
                url = with_language(path.format(**ids), lang)
                response = client.get(url)
                assert response.status_code == 200, f"{role} {url}: HTTP {response.status_code}"
                pages[f"{role} {url}"] = response.get_data(as_text=True)
        if role != "visitor":
            auth.logout()
    return pages


def test_the_pages_are_valid_html(client, auth, site, tmp_path):  # noqa: F811
    users, ids = site
    assert_valid_html(vnu_command(), _render(client, auth, users, ids), tmp_path)


@pytest.mark.browser
def test_the_pages_fit_a_phone_without_serious_accessibility_problems(browser, client, auth, site, live_server):  # noqa: F811
    from tests.conftest import PASSWORD
    from tests.test_accessibility import violations

    users, ids, problems = *site, []
    for role, paths in PAGES:
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        if role != "visitor":
            page.goto(f"{live_server}/auth/login")
            page.locator("#email").fill(users[role].email)
            page.locator("#password").fill(PASSWORD)
            page.locator("form button[type=submit]").last.click()
            page.wait_for_load_state()
        for path in paths:
            for lang in LANGUAGES:
                page.goto(f"{live_server}{with_language(path.format(**ids), lang)}")
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 360, f"{role} {path} ({lang}): {width} px wide"
                problems += violations(page, f"{role} {path} ({lang})")
        context.close()
    assert not problems, "\n".join(problems)

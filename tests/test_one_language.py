"""One language at a time: every form of the site, sent empty in Indonesian, answers with its errors in Indonesian and
not one English sentence of the English catalogue (issue 15: the banner of templates/_macros/form.html was English)."""

import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from marketplace.accounts.models import Role
from tests.test_security_hostile_input import log_in, real_path, site  # noqa: F401  (site is a fixture)

CATALOGUE = Path(__file__).parents[1] / "marketplace/translations/id/LC_MESSAGES/messages.po"
# WTForms' own messages, in case a validator without a message of ours slips in
WTFORMS_ENGLISH = ("This field is required.", "Invalid email address.", "Not a valid choice", "Not a valid integer",
                   "Field must be", "Invalid input.", "Not a valid date value.")
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def english_sentences() -> set[str]:
    """Messages of three words or more whose Indonesian differs: any of them on an Indonesian page is a leak."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    sentences = set()
    for message in catalogue:
        msgid, msgstr = (message.id[0], message.string[0]) if isinstance(message.id, tuple) else (message.id, message.string)
        if msgid and msgstr and msgstr != msgid and len(msgid.split()) >= 3:
            sentences.add(msgid.split("%(")[0].strip() if "%(" in msgid else msgid)
    return {s for s in sentences if len(s.split()) >= 3} | set(WTFORMS_ENGLISH)


def visible_text(page: str) -> str:
    return " ".join(html.unescape(TAGS.sub(" ", page)).split())


def form_pages(app, site_values):
    """Routes that show a form (GET) and take it back (POST), with the site's real ids."""
    return [real_path(rule, site_values) for rule in app.url_map.iter_rules()
            if {"GET", "POST"} <= rule.methods and not rule.rule.startswith("/static")]


@pytest.mark.parametrize("role", [None, Role.OWNER, Role.BUYER, Role.MODERATOR, Role.ADMIN],
                         ids=["visitor", "owner", "buyer", "moderator", "admin"])
def test_every_form_sent_empty_in_indonesian_answers_in_indonesian(app, client, auth, site, role):  # noqa: F811
    english = english_sentences()
    assert "Please correct the fields marked below. What you typed has been kept." in english
    log_in(client, auth, site, role)
    checked = []
    for path in form_pages(app, site):
        page = client.get(f"{path}?lang=id")
        token = CSRF.search(page.get_data(as_text=True)) if page.status_code == 200 else None
        if token is None:
            continue  # not this role's page, or no form on it
        response = client.post(f"{path}?lang=id", data={"csrf_token": token.group(1)})
        if response.status_code != 200:
            continue  # an empty form that is accepted, or a refusal shown elsewhere (redirect with a message)
        text = visible_text(response.get_data(as_text=True))
        leaks = sorted(sentence for sentence in english if sentence in text)
        assert not leaks, f"{path}: English on an Indonesian page: {leaks}"
        checked.append(path)
    assert checked, "no form was checked"
    if role is None:  # the forms every visitor can send
        assert {"/auth/register", "/auth/login", "/auth/reset"} <= set(checked)

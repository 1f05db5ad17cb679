"""HTML validity of the main pages, in Indonesian and English, checked with the Nu HTML validator (vnu-jar).

The pages are rendered with the Flask test client, written to a temporary directory and validated in one run of
vnu.jar (Java). `make test` installs the validator (`npm install vnu-jar@<pinned>`); /sitemap.xml is XML, not checked.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from marketplace.accounts.models import Role
from tests.conftest import INQUIRY_LINKS

VNU_JAR = Path(__file__).parents[1] / "node_modules/vnu-jar/build/dist/vnu.jar"
LANGUAGES = ("id", "en")


def vnu_command() -> list[str]:
    """The command line that runs the validator: a missing jar or Java is a failure, never a skip."""
    if not VNU_JAR.exists():
        pytest.fail(f"the Nu HTML validator is missing ({VNU_JAR}): run `make test`, which installs vnu-jar with npm")
    java = shutil.which("java")
    if not java:
        pytest.fail("java is not installed: the Nu HTML validator (vnu-jar) needs a Java runtime (17 or newer)")
    return [java, "-jar", str(VNU_JAR)]


def assert_valid_html(vnu: list[str], pages: dict[str, str], tmp_path: Path) -> None:
    """Validate the rendered pages (label -> HTML) in one run of the Nu validator; errors are named by label."""
    files = {}
    for number, (label, html) in enumerate(pages.items()):
        file = tmp_path / f"page{number:02d}.html"
        file.write_text(html, encoding="utf-8")
        files[str(file)] = label
    result = subprocess.run([*vnu, "--errors-only", "--format", "gnu", *files], capture_output=True, text=True,  # noqa: S603
                            timeout=300)
    messages = (result.stderr + result.stdout).strip()
    for file, label in files.items():
        messages = messages.replace(f'"file:{file}"', label).replace(file, label)
    assert result.returncode == 0 and not messages, f"Nu HTML validator errors:\n{messages}"


def with_language(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def test_main_pages_are_valid_html(app, client, auth, make_user, make_business, make_product, tmp_path, outbox):
    vnu = vnu_command()  # first: a missing validator fails the test at once
    from marketplace.inquiries.services import send_inquiry

    owner = make_user(role=Role.OWNER, region="35.74", email="pemilik.vnu@example.id", name="Siti Aminah")
    moderator = make_user(role=Role.MODERATOR, region="35.74", email="moderator.vnu@example.id")
    admin = make_user(role=Role.ADMIN, region="35.74", email="admin.vnu@example.id")
    business = make_business(owner=owner, region="35.74", name="Batik Manggur Kota")
    product = make_product(business=business, status="published", name="Batik Tulis Manggur", photos=2,
                           description="Kain katun primisima dengan pewarna alami.")
    pending = make_product(business=business, status="pending", name="Batik Cap Bromo")
    # an unread inquiry: the owner's header shows its count
    send_inquiry(product, buyer=None, name="Budi Santoso", contact="0813-3444-5566", quantity=12,
                 message="Bisa kirim ke Blitar?", buyer_region_code="35.05", **INQUIRY_LINKS)

    # an edit of the verified profile waiting for review (a new name, links and logo): the owner's and the moderator's pages
    from marketplace.businesses.services import update_business
    from marketplace.unit_of_work import unit_of_work
    from tests.conftest import jpeg_bytes

    with unit_of_work():
        update_business(business, name="Batik Manggur Kota Baru", links={"instagram": "https://instagram.com/manggur"},
                        logo=jpeg_bytes((400, 400)))

    pages: dict[str, str] = {}

    def render(paths: list[str]) -> None:
        for path in paths:
            for lang in LANGUAGES:
                url = with_language(path, lang)
                response = client.get(url)
                assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
                assert response.mimetype == "text/html", f"{url}: {response.mimetype}"
                pages[url] = response.get_data(as_text=True)

    render(["/", "/products", "/products?q=batik", "/products?region=35.74&min_price=1000", f"/products/{product.id}-{product.slug}",
            f"/businesses/{business.slug}", "/regions/35.74", "/showcases", "/auth/login", "/auth/register"])
    for lang in LANGUAGES:  # registration refused (passwords differ): the form with its errors and summary
        url = with_language("/auth/register", lang)
        response = client.submit(url, {"name": "Siti Aminah", "email": "siti.vnu@example.id",
                                       "password": "batik-tulis-1", "confirm_password": "batik-tulis-2"})
        assert response.status_code in (200, 400, 422), f"{url} (refused): HTTP {response.status_code}"
        pages[f"{url} (refused)"] = response.get_data(as_text=True)
    client.submit("/auth/register", {"role": "buyer", "name": "Dewi Lestari", "email": "dewi.vnu@example.id", "region": "35.05",
                                     "password": "kopi tubruk di pagi", "confirm_password": "kopi tubruk di pagi"})
    activation = re.search(r"http://localhost(/auth/register/\S+)", outbox()[-1].get_content()).group(1)
    render(["/auth/register/sent", activation])  # a sign-up's answer, and the page of its emailed link

    auth.login(owner.email)
    render(["/my/products", "/my/businesses/new", f"/my/businesses/{business.id}/products/new", "/my/businesses",
            f"/my/businesses/{business.id}/edit"])
    # the phone pages of issue 15: the product form with its category's group, photos, the inquiry inbox and page
    from marketplace.extensions import db
    from marketplace.inquiries.models import Inquiry

    render([f"/my/products/{product.id}/edit", f"/my/products/{product.id}/photos", "/my/inquiries",
            f"/my/inquiries/{db.session.scalar(db.select(Inquiry.id))}"])
    assert 'class="count"' in pages["/my/products?lang=id"], "the header should show the unread inquiry count"
    auth.logout()
    auth.login(moderator.email)
    render(["/moderation/", f"/moderation/products/{pending.id}", f"/moderation/businesses/{business.id}",
            f"/moderation/businesses/{business.id}/edit"])
    assert 'class="count"' in pages["/moderation/?lang=id"], "the header should show the moderation queue count"
    auth.logout()
    auth.login(admin.email)
    render(["/admin/", "/admin/users", "/admin/businesses", "/admin/staff/new", "/admin/regions/35.74/office"])

    files = {}
    for number, (label, html) in enumerate(pages.items()):
        file = tmp_path / f"page{number:02d}.html"
        file.write_text(html, encoding="utf-8")
        files[str(file)] = label
    command = [*vnu, "--errors-only", "--format", "gnu", *files]  # our own jar and our own temporary files
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)  # noqa: S603
    messages = (result.stderr + result.stdout).strip()
    for file, label in files.items():  # name the page, not the temporary file
        messages = messages.replace(f'"file:{file}"', label).replace(file, label)
    assert result.returncode == 0 and not messages, f"Nu HTML validator errors:\n{messages}"

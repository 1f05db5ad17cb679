"""The offline product form in Debian's Chromium on a 360 px phone, as the issue's acceptance says: fill the form,
reload: the values are there; offline (`context.set_offline(True)`), submit: it is queued and shown; back online:
it is sent once (exactly one product, even when the replay fires twice); a photo that fails once is retried and
attached. Photos are made smaller on the device (longest side 1600 px) before they are kept or sent."""

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import Role
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.media.models import Photo
from tests.conftest import jpeg_bytes
from tests.test_accessibility import report, violations
from tests.test_staples_browser import log_in

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def products() -> list[Product]:
    db.session.expire_all()
    return db.session.scalars(db.select(Product)).all()


def wait_until(page: Page, script: str, tries: int = 150) -> None:
    """Evaluate script (its promise awaited) until it is true: Playwright's wait_for_function takes a promise for a
    true value, so the device storage's answers are polled here."""
    for _ in range(tries):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def wait_for_service_worker(page: Page) -> None:
    """The service worker controls the page and has kept its copy (the page's first visit registers it)."""
    wait_until(page, "() => navigator.serviceWorker.controller !== null")
    wait_until(page, "() => caches.open('etalase-pages-v1').then(cache => cache.match(location.href)).then(kept => !!kept)")


def fill_form(page: Page, photos: list[str]) -> None:
    page.get_by_label("Category").select_option(label="Hand-drawn batik")
    page.get_by_label("Product name").fill("Batik Tulis Desa Sumber")
    page.get_by_label("Description").fill("Batik tulis katun, pewarna alami, dibuat di desa.")
    page.get_by_label("Price (Rp)", exact=True).fill("275.000")
    page.locator("#photos").set_input_files(photos)


def queued_count(page: Page) -> int:
    return page.evaluate("""() => EtalaseOffline.items(document.querySelector('[data-offline-form]').dataset.user)
                            .then(items => items.length)""")


def test_the_form_keeps_its_draft_queues_offline_and_sends_once_with_a_retried_photo(browser, live_server, make_user,
                                                                                    make_business, tmp_path):
    owner = make_user(role=Role.OWNER, email="sumber.offline@example.id")
    business = make_business(owner=owner, name="Batik Desa Sumber")
    big, small = tmp_path / "besar.jpg", tmp_path / "kecil.jpg"
    big.write_bytes(jpeg_bytes((2400, 1800), color=(150, 60, 30)))
    small.write_bytes(jpeg_bytes((800, 600), color=(30, 60, 150)))
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, owner.email)
    form_url = f"{live_server}/my/businesses/{business.id}/products/new?lang=en"
    page.goto(form_url)
    wait_for_service_worker(page)
    expect(page.locator(".offline-box .note")).to_contain_text("Saved on this device")

    # typed and chosen: kept on the device as a draft, the photos made smaller first
    fill_form(page, [str(big), str(small)])
    expect(page.locator("[data-offline-status]")).to_have_text("Draft saved on this device.")
    wait_until(page, """() => EtalaseOffline.getDraft(document.querySelector('[data-offline-form]').dataset.user,
                              location.pathname).then(draft => draft && draft.photos.length === 2)""")
    page.reload()
    expect(page.get_by_label("Product name")).to_have_value("Batik Tulis Desa Sumber")
    expect(page.get_by_label("Description")).to_have_value("Batik tulis katun, pewarna alami, dibuat di desa.")
    expect(page.get_by_label("Price (Rp)", exact=True)).to_have_value("275.000")
    expect(page.locator("[data-attribute-group=batik]")).to_be_visible()  # the category's attributes, as chosen
    expect(page.locator("[data-offline-status]")).to_contain_text("put back")
    sides = page.evaluate("""() => Promise.all(Array.from(document.querySelector('#photos').files)
                             .map(file => createImageBitmap(file).then(b => [b.width, b.height, file.type])))""")
    assert sides == [[1600, 1200, "image/jpeg"], [800, 600, "image/jpeg"]]

    # no signal: the page comes from the device, the draft with it; the submit waits in the list
    context.set_offline(True)
    page.reload()
    expect(page.get_by_label("Product name")).to_have_value("Batik Tulis Desa Sumber")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-offline-status]")).to_contain_text("No signal")
    queue = page.locator("[data-offline-queue]")
    expect(queue.get_by_role("heading")).to_have_text("Waiting to send (1)")
    expect(queue.locator("li")).to_contain_text("Batik Tulis Desa Sumber")
    expect(queue.locator("li")).to_contain_text("Photos: 2")
    expect(page.get_by_label("Product name")).to_have_value("")  # it is in the list now, not in the form
    problems = violations(page, "product form, one waiting to send")
    assert not problems, report(problems)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert products() == []
    # a copy of the waiting item, to replay it once more after it is sent (the same key)
    page.evaluate("""() => EtalaseOffline.items(document.querySelector('[data-offline-form]').dataset.user)
                     .then(items => { window.firstCopy = items[0]; })""")

    # back online: the first photo request fails once, is tried again and attached
    photo_requests = []

    def photo_route(route):
        photo_requests.append(route.request.service_worker)
        if len(photo_requests) == 1:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    context.route(re.compile(r".*/my/photos$"), photo_route)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second replay on top of the browser's own
    expect(queue).to_be_hidden(timeout=15000)
    expect(page.locator("[data-offline-status]")).to_contain_text("Sent: Batik Tulis Desa Sumber")
    [product] = products()
    assert product.name == "Batik Tulis Desa Sumber" and product.price_min == 275000
    assert len(product.photos) == 2
    assert len(photo_requests) == 3  # two photos, the first one twice
    assert {(photo.width, photo.height) for photo in product.photos} == {(1600, 1200), (800, 600)}

    # the same submission replayed again (a second device event, a lost answer): still one product
    page.evaluate("() => EtalaseOffline.saveItem(window.firstCopy)")
    assert queued_count(page) == 1
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, """() => EtalaseOffline.items(document.querySelector('[data-offline-form]').dataset.user)
                              .then(items => items.length === 0)""")
    assert len(photo_requests) == 5  # its photos went again (the same keys: the server answered with the same photos)
    assert len(products()) == 1
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 2
    context.close()


def test_a_replay_the_server_refuses_is_shown_with_its_messages_and_nothing_lost(browser, live_server, make_user,
                                                                                 make_business):
    owner = make_user(role=Role.OWNER, email="refused.offline@example.id")
    business = make_business(owner=owner, name="Batik Ditolak")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server, owner.email)
    page.goto(f"{live_server}/my/businesses/{business.id}/products/new?lang=en")
    wait_for_service_worker(page)
    page.get_by_label("Product name").fill("Batik Tanpa Kategori")
    page.get_by_label("Description").fill("Deskripsi yang harus tetap ada.")
    expect(page.locator("[data-offline-status]")).to_have_text("Draft saved on this device.")
    context.set_offline(True)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-offline-queue] li")).to_contain_text("Batik Tanpa Kategori")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    item = page.locator("[data-offline-queue] li")
    expect(item).to_contain_text("Not accepted")
    item.get_by_role("button", name="Edit").click()
    expect(page.locator("#category-error")).to_be_visible()
    expect(page.get_by_label("Product name")).to_have_value("Batik Tanpa Kategori")
    expect(page.get_by_label("Description")).to_have_value("Deskripsi yang harus tetap ada.")
    expect(page.locator("[data-offline-queue]")).to_be_hidden()
    # the owner fixes it and sends again, online this time: saved, and the page it goes to says so
    page.get_by_label("Category").select_option(label="Hand-drawn batik")
    page.get_by_label("Price (Rp)", exact=True).fill("100.000")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/my/products/\d+/edit"))
    expect(page.get_by_text("Product saved as a draft")).to_be_visible()
    assert [p.name for p in products()] == ["Batik Tanpa Kategori"]
    context.close()


def test_a_send_answered_by_an_error_page_says_so_and_puts_the_values_back(browser, live_server, make_user,
                                                                          make_business):
    """An answer that is not the form (an expired form's error page, here made by the test) is not a silent no-op:
    the status names it, what was typed is back in the form, nothing is saved, and sending again works."""
    owner = make_user(role=Role.OWNER, email="errorpage.offline@example.id")
    business = make_business(owner=owner, name="Batik Halaman Galat")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server, owner.email)
    page.goto(f"{live_server}/my/businesses/{business.id}/products/new?lang=en")
    wait_for_service_worker(page)

    def expired(route):
        if route.request.method != "POST":
            return route.continue_()
        return route.fulfill(status=400, content_type="text/html",
                             body="<!doctype html><title>The form has expired</title><main><h1>Expired</h1></main>")

    context.route(re.compile(r".*/products/new$"), expired)
    page.get_by_label("Category").select_option(label="Hand-drawn batik")
    page.get_by_label("Product name").fill("Batik Kedaluwarsa")
    page.get_by_label("Price (Rp)", exact=True).fill("90.000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-offline-status]")).to_have_text(
        "Not sent: what you typed is back in the form. Send it again; the site answered: The form has expired")
    expect(page.get_by_label("Product name")).to_have_value("Batik Kedaluwarsa")
    expect(page.get_by_label("Price (Rp)", exact=True)).to_have_value("90.000")
    assert products() == []
    context.unroute(re.compile(r".*/products/new$"))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Product saved as a draft")).to_be_visible()
    assert [p.name for p in products()] == ["Batik Kedaluwarsa"]
    context.close()


def test_discarding_a_waiting_item_removes_it_from_the_device(browser, live_server, make_user, make_business):
    owner = make_user(role=Role.OWNER, email="discard.offline@example.id")
    business = make_business(owner=owner, name="Batik Dibuang")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server, owner.email)
    page.goto(f"{live_server}/my/businesses/{business.id}/products/new?lang=id")
    wait_for_service_worker(page)
    page.locator("#name").fill("Batik Dibuang")
    expect(page.locator("[data-offline-status]")).to_have_text("Draf tersimpan di perangkat ini.")
    context.set_offline(True)
    page.locator("#product-form button[type=submit]").click()
    queue = page.locator("[data-offline-queue]")
    expect(queue.get_by_role("heading")).to_have_text("Menunggu dikirim (1)")
    problems = violations(page, "formulir produk, satu menunggu dikirim")
    assert not problems, report(problems)
    queue.get_by_role("button", name="Buang").click()
    expect(queue).to_be_hidden()
    assert queued_count(page) == 0
    context.set_offline(False)
    assert products() == []
    # logging out deletes the form pages the service worker kept (they show the owner's business)
    assert page.evaluate("() => caches.has('etalase-pages-v1')")
    page.evaluate("() => document.querySelector('form[action$=\"/auth/logout\"]').submit()")
    page.wait_for_url(re.compile(r"/$"))
    wait_until(page, "() => caches.has('etalase-pages-v1').then(kept => !kept)")
    context.close()


def test_an_edit_made_offline_waits_and_is_applied_once(browser, live_server, make_user, make_business, make_product):
    owner = make_user(role=Role.OWNER, email="edit.offline@example.id")
    product = make_product(business=make_business(owner=owner, name="Batik Sunting"), name="Batik Lama")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server, owner.email)
    page.goto(f"{live_server}/my/products/{product.id}/edit?lang=en")
    wait_for_service_worker(page)
    context.set_offline(True)
    page.reload()  # the edit page too comes from the device without a signal
    page.get_by_label("Product name").fill("Batik Baru Tanpa Sinyal")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-offline-queue] li")).to_contain_text("Batik Baru Tanpa Sinyal")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("[data-offline-queue]")).to_be_hidden(timeout=15000)
    [saved] = products()
    assert saved.id == product.id and saved.name == "Batik Baru Tanpa Sinyal"
    context.close()

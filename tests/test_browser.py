"""End to end in Debian's Chromium: register an owner, log in, switch language, log out."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_owner_registers_logs_in_switches_language_and_logs_out(page: Page, live_server):
    page.goto(f"{live_server}/auth/register")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_label("menjual produk UMKM saya").check()
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Email").fill("siti.browser@example.id")
    page.get_by_label("Daerah asal").select_option("35.74")
    page.get_by_label("Kata sandi", exact=True).fill("batik-tulis-1")
    page.get_by_label("Ulangi kata sandi").fill("batik-tulis-2")
    page.get_by_role("button", name="Daftar").click()
    # the mismatch is reported and what was typed is still there
    expect(page.get_by_text("Kata sandi tidak cocok")).to_be_visible()
    expect(page.get_by_label("Nama lengkap")).to_have_value("Siti Aminah")
    page.get_by_label("Kata sandi", exact=True).fill("batik-tulis-1")
    page.get_by_label("Ulangi kata sandi").fill("batik-tulis-1")
    page.get_by_role("button", name="Daftar").click()
    expect(page).to_have_url(re.compile(r"/my/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Siti Aminah")

    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("link", name="Masuk")).to_be_visible()

    page.get_by_role("link", name="Masuk").click()
    page.get_by_label("Email").fill("siti.browser@example.id")
    page.get_by_label("Kata sandi").fill("batik-tulis-1")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/my/$"))

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="My account")).to_be_visible()
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("link", name="Akun saya")).to_be_visible()

    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("link", name="Masuk")).to_be_visible()
    page.goto(f"{live_server}/my/")
    expect(page).to_have_url(re.compile(r"/auth/login"))

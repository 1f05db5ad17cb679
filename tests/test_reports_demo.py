"""The demo data gives both seed MoUs figures on /impact that are neither zero nor hidden, in both languages."""

import re

import pytest

from tests.reports_helpers import BLITAR, PASURUAN

CELL = re.compile(r'data-figure="(\w+)" data-region="([\d.]+)">([^<]*)<')


@pytest.mark.parametrize("lang", ["id", "en"])
def test_impact_lists_the_seed_agreements_with_figures_from_the_demo(runner, client, lang):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    html = client.get(f"/impact?lang={lang}").get_data(as_text=True)
    assert html.index(f"/impact/{BLITAR}") and html.index(f"/impact/{PASURUAN}")
    for key in (PASURUAN, BLITAR):
        page = client.get(f"/impact/{key}?lang={lang}").get_data(as_text=True)
        shown = {(figure, region): value for figure, region, value in CELL.findall(page)}
        # Kota Probolinggo's side: verified businesses and the leads from the partner region, shown as numbers
        assert int(shown[("verified_businesses", "35.74")]) >= 3, key
        assert int(shown[("inquiries_across", "35.74")]) > 0, key
        assert int(shown[("public_products", "35.74")]) > 0, key
    title = "Impact of the regions' cooperation" if lang == "en" else "Dampak kerja sama daerah"
    assert title in html

"""Buyers of Etalase UMKM for locust: browse 60 %, search 25 %, product pages 10 %, inquiries 5 %.

Run by scripts/load/run.sh (which starts the rig); by hand:
    .venv-load/bin/locust -f scripts/load/locustfile.py --host http://127.0.0.1:58000 --headless -u 50 -r 5 -t 3m

Every request is named after its page type, so locust's statistics group by page, not by URL. The site runs with
production settings (Secure, __Host- cookies) behind where a TLS proxy would be: each simulated browser sends
`X-Forwarded-Proto: https` as the proxy would, keeps Secure cookies as a browser on https does, and sends the
Referer a browser sends (Flask-WTF checks it on https). Pages only: no images, CSS or other assets, which a
browser would mostly have in its cache after the first page.
"""

import itertools
import random
import re
from html import unescape
from urllib.parse import urlsplit

import requests
from locust import HttpUser, between, events, task
from requests.cookies import RequestsCookieJar

PRODUCT_URL = re.compile(r"<loc>https?://[^/<]+(/products/\d+-[^<]+)</loc>")
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
INQUIRY_ACTION = re.compile(r'action="(/products/\d+/inquiry)[^"]*"')

PARTNER_REGIONS = ["35.74", "35.14", "35.05"]
OTHER_REGIONS = ["35.13", "35.07", "35.73", "35.78", "35.79", "35.15", "35.09"]
CATEGORIES = ["batik", "batik-tulis", "batik-cap", "bordir", "mukena", "kebaya", "sajadah", "kerajinan-tangan", "anyaman",
              "ecoprint", "makanan-olahan", "keripik", "olahan-buah", "minuman", "kopi", "hasil-pertanian", "jagung",
              "bawang-merah", "hasil-peternakan", "telur", "fesyen"]
SORTS = ["newest", "price_asc", "price_desc"]
# What buyers type: Indonesian product words, some English, some typos, some with nothing to find.
QUERIES = [
    "batik tulis", "batik", "batik tulis manggur", "batik cap", "kain batik", "selendang batik", "batik probolinggo",
    "keripik", "keripik pisang", "keripik singkong", "bawang goreng", "kopi", "kopi arabika", "kopi robusta bromo",
    "kopi bubuk", "tas anyaman", "anyaman pandan", "keranjang", "mukena bordir", "mukena anak", "kebaya bordir",
    "sajadah", "ecoprint", "opak mangga", "dodol mangga", "telur ayam", "telur bebek", "jagung pakan", "jagung manis",
    "bawang merah", "oleh-oleh probolinggo", "batk tulis", "kripik", "kopi robsta", "mukenah", "ecoprin", "keriping pisang",
    "sajadh bordir", "coffee", "batik shirt", "woven bag", "eggs", "mango", "kemeja batik", "premium", "grade a",
    "madura", "parang", "sekar jagad", "tikar",
]
BUYER_NAMES = ["Siti Rahayu", "Budi Santoso", "Dewi Lestari", "Agus Wijaya", "Rina Marlina", "Hendra Gunawan", "Ayu Puspita"]

PRODUCT_PATHS: list[str] = []
SEEDS = itertools.count(1)  # user n makes the same choices in every run


@events.test_start.add_listener
def load_product_urls(environment, **_kwargs):
    """Product addresses as search engines and shared links bring them: from the sitemap, read once (not timed)."""
    response = requests.get(f"{environment.host}/sitemap.xml", headers={"X-Forwarded-Proto": "https"}, timeout=60)
    response.raise_for_status()
    PRODUCT_PATHS[:] = PRODUCT_URL.findall(response.text)
    if not PRODUCT_PATHS:
        raise RuntimeError("the sitemap lists no product pages: is the data set loaded?")


class BrowserCookies(RequestsCookieJar):
    """A browser on https sends Secure cookies back; this jar is on http://127.0.0.1, so it keeps them as plain ones
    (requests copies cookies into a fresh jar for every request, so a cookie policy would not last)."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class Buyer(HttpUser):
    # A click every 1-3 s: far busier than a real visitor (who reads a page for 10 s or more), so 50 of these
    # users stand for a few hundred real ones.
    wait_time = between(1, 3)

    def on_start(self):
        self.client.cookies = BrowserCookies()
        self.client.headers.update({"X-Forwarded-Proto": "https", "Accept-Language": "id-ID,id;q=0.9,en;q=0.5",
                                    "User-Agent": "Mozilla/5.0 (Linux; Android 13) etalase-load/1"})
        self.rng = random.Random(next(SEEDS))  # noqa: S311  (made-up traffic)

    def https_url(self, path: str) -> str:
        """The address the browser sees (what the Referer carries): https, this host."""
        return f"https://{urlsplit(self.host).netloc}{path}"

    def get(self, path: str, name: str, referer: str | None = None, must_contain: str = "</html>"):
        """GET a page; anything but a complete 200 page counts as a failure. Returns the body, or None on failure."""
        headers = {"Referer": self.https_url(referer)} if referer else None
        with self.client.get(path, name=name, headers=headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.error or ''}".strip())
            elif must_contain not in response.text:
                response.failure(f"no {must_contain!r} in the page")
            else:
                return response.text
        return None

    @task(60)
    def browse(self):
        """Home, the catalogue and its pages, filters by region, category and sort, region pages."""
        rng = self.rng
        kind = rng.choices(["home", "catalogue", "filtered", "region"], weights=[15, 35, 40, 10])[0]
        if kind == "home":
            self.get("/", "browse: home")
        elif kind == "catalogue":
            page = rng.choices([1, 2, 3, rng.randint(4, 20)], weights=[55, 20, 10, 15])[0]
            self.get(f"/products?page={page}" if page > 1 else "/products", "browse: catalogue")
        elif kind == "filtered":
            params = {}
            if rng.random() < 0.7:
                params["region"] = rng.choice(PARTNER_REGIONS) if rng.random() < 0.8 else rng.choice(OTHER_REGIONS)
            if rng.random() < 0.7 or not params:
                params["category"] = rng.choice(CATEGORIES)
            if rng.random() < 0.5:
                params["sort"] = rng.choice(SORTS)
            if rng.random() < 0.15:
                params["max_price"] = rng.choice([50000, 100000, 250000])
            if rng.random() < 0.05:
                params["cert"] = "halal"
            if rng.random() < 0.25:
                params["page"] = rng.randint(2, 5)
            self.get("/products?" + "&".join(f"{k}={v}" for k, v in params.items()), "browse: filtered")
        else:
            self.get(f"/regions/{rng.choice(PARTNER_REGIONS + OTHER_REGIONS[:3])}", "browse: region page")

    @task(25)
    def search(self):
        """A search, sometimes narrowed by region or sorted, sometimes its second page."""
        rng = self.rng
        params = {"q": rng.choice(QUERIES).replace(" ", "+")}
        if rng.random() < 0.2:
            params["region"] = rng.choice(PARTNER_REGIONS)
        if rng.random() < 0.1:
            params["sort"] = rng.choice(SORTS)
        if rng.random() < 0.15:
            params["page"] = 2
        self.get("/products?" + "&".join(f"{k}={v}" for k, v in params.items()), "search")

    @task(10)
    def product(self):
        self.get(self.rng.choice(PRODUCT_PATHS), "product page")

    @task(5)
    def inquiry(self):
        """A buyer opens a product, fills in the inquiry form and gets the WhatsApp hand-off."""
        path = self.rng.choice(PRODUCT_PATHS)
        page = self.get(path, "inquiry: form", must_contain='name="csrf_token"')
        if page is None:
            return
        token, action = CSRF_TOKEN.search(page), INQUIRY_ACTION.search(page)
        if not action:
            raise RuntimeError(f"no inquiry form action on {path}")
        data = {"csrf_token": unescape(token.group(1)), "name": self.rng.choice(BUYER_NAMES),
                "contact": f"0812{self.rng.randrange(10**7, 10**8)}", "quantity": self.rng.choice([1, 2, 5, 10, 50]),
                "region": self.rng.choice(PARTNER_REGIONS + OTHER_REGIONS),
                "message": "Apakah bisa kirim ke luar kota? Mohon info ongkirnya.", "website": ""}
        with self.client.post(action.group(1), data=data, name="inquiry: send", headers={"Referer": self.https_url(path)},
                              allow_redirects=False, catch_response=True) as sent:
            location = urlsplit(sent.headers.get("Location", ""))
            if sent.status_code != 302 or not location.path.startswith("/inquiries/sent/"):
                sent.failure(f"HTTP {sent.status_code}, expected the redirect to the hand-off, got Location {location.geturl()!r}")
                return
        self.get(location.path, "inquiry: hand-off", referer=path, must_contain="https://wa.me/")

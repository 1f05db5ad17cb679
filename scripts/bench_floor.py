"""The floor of scripts/bench_http.py: a bare Flask + Jinja page of 24 product cards, no database, no extensions.

What any Flask page of that size costs through gunicorn on this machine; the project's pages are compared with it.
Served by `gunicorn --chdir scripts bench_floor:app` with the project's gunicorn.conf.py."""

from flask import Flask, render_template_string, url_for

app = Flask(__name__)

PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Produk UMKM</title><link rel="stylesheet" href="/static/app.css"></head>
<body><header><a href="{{ url_for('home') }}">Etalase UMKM</a>
<form action="{{ url_for('products') }}"><input name="q" value="{{ q }}"><button>Cari</button></form></header>
<main><h1>Produk UMKM</h1><p>{{ total }} produk</p><ul class="cards">
{% for card in cards %}<li class="card"><a href="{{ url_for('product', product_id=card.id, slug=card.slug) }}">
<img src="/media/{{ card.photo }}-320.webp" srcset="/media/{{ card.photo }}-320.webp 320w, /media/{{ card.photo }}-800.webp 800w"
 sizes="(max-width: 40em) 50vw, 15em" width="320" height="320" alt="{{ card.name }}" loading="lazy">
<h2>{{ card.name }}</h2></a><p class="price">Rp {{ "{:,}".format(card.price).replace(",", ".") }} / {{ card.unit }}</p>
<p><a href="{{ url_for('business', slug=card.business_slug) }}">{{ card.business }}</a> ·
<a href="{{ url_for('region', code=card.region) }}">{{ card.region_name }}</a></p></li>
{% endfor %}</ul><nav><a href="{{ url_for('products', page=2) }}">Berikutnya</a></nav></main></body></html>"""

CARDS = [{"id": 1000 + i, "slug": f"batik-tulis-motif-{i}", "name": f"Batik Tulis Motif Manggur {i}",
          "photo": f"{i:064x}", "price": 150_000 + i * 1_000, "unit": "lembar", "business": f"Batik Sekar {i}",
          "business_slug": f"batik-sekar-{i}", "region": "35.74", "region_name": "Kota Probolinggo"} for i in range(24)]


@app.route("/")
def home():
    return "ok"


@app.route("/products")
def products():
    return render_template_string(PAGE, cards=CARDS, total=50_000, q="")


@app.route("/products/<int:product_id>-<slug>")
def product(product_id, slug):
    return render_template_string(PAGE, cards=CARDS[:8], total=1, q="")


@app.route("/businesses/<slug>")
def business(slug):
    return url_for("home")


@app.route("/regions/<code>")
def region(code):
    return url_for("home")

"""The listing coach's quality score: photo hints measured by the real render job, the score and its hints, where
the owner and the moderator see them, and that buyers never do."""

from io import BytesIO

import pytest
from PIL import Image, ImageDraw, ImageFilter
from sqlalchemy import event

from marketplace.accounts.models import Role
from marketplace.catalog.models import Category
from marketplace.catalog.services import create_product
from marketplace.certifications.models import Certification, CertStatus, CertType
from marketplace.coach.quality import score_product
from marketplace.extensions import db
from marketplace.media.models import Photo
from marketplace.media.services import stage_photo
from marketplace.timeutil import today
from marketplace.unit_of_work import unit_of_work

FULL_DESCRIPTION = (
    "Kain batik tulis motif Manggur khas Kota Probolinggo, dibuat dengan tangan oleh pembatik kami di Kanigaran. "
    "Bahan katun primisima halus, pewarna alam dari kulit mahoni dan daun mangga, ukuran dua meter kali satu "
    "seperempat meter. Cocok untuk kemeja, kebaya atau selendang; cuci dengan tangan memakai lerak agar warna tahan lama "
    "dan jemur di tempat teduh."
)
TEN_WORDS = "Batik tulis motif manggur bagus sekali untuk dipakai ke kondangan."
BATIK_ATTRIBUTES = {"technique": "tulis", "motif": "Manggur", "fabric": "Katun primisima", "dye": "alami",
                    "size": "200 x 115 cm"}


def encoded(img: Image.Image) -> bytes:
    buffer = BytesIO()
    img.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def checkerboard(size=(1200, 900), light=(200, 180, 150), dark=(60, 40, 30)) -> Image.Image:
    """A sharp picture: hard edges everywhere."""
    img = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(img)
    for x in range(0, size[0], 40):
        for y in range(0, size[1], 40):
            if (x // 40 + y // 40) % 2:
                draw.rectangle([x, y, x + 39, y + 39], fill=dark)
    return img


def black() -> bytes:
    return encoded(Image.new("RGB", (1200, 900), (0, 0, 0)))


def blurred() -> bytes:
    return encoded(checkerboard().filter(ImageFilter.GaussianBlur(12)))


def sharp(variant: int = 0) -> bytes:
    return encoded(checkerboard(dark=(60 + variant * 20, 40, 30)))


def product_with(business, pictures: list[bytes], *, description: str, category="batik-tulis", attributes=None,
                 price_min=150000):
    with unit_of_work():
        staged = [stage_photo(business.owner, data, alt_text="foto") for data in pictures]
        cat = db.session.scalar(db.select(Category).where(Category.slug == category))
        product = create_product(business, category=cat, name="Batik Tulis Manggur", description=description,
                                 price_min=price_min, attributes=attributes or {}, new_photos=staged)
    return product


def test_the_render_job_measures_each_photo_on_its_320_px_rendition(app, queue, make_business):
    business = make_business()
    with unit_of_work():
        photos = [stage_photo(business.owner, data) for data in (black(), blurred(), sharp())]
    ids = [photo.id for photo in photos]
    assert all(db.session.get(Photo, i).mean_luminance is None for i in ids)  # not measured before the job
    assert queue.run_pending() == 3
    db.session.expire_all()
    dark, soft, crisp = (db.session.get(Photo, i) for i in ids)
    assert dark.mean_luminance < 5 and dark.sharpness < 5
    assert soft.mean_luminance > 100 and soft.sharpness < 50
    assert crisp.mean_luminance > 100 and crisp.sharpness > 1000


def test_a_dark_blurred_photo_and_ten_words_score_lower_and_say_what_to_fix(app, make_business):
    business = make_business()  # tests run jobs at once: the render job has measured every photo by now
    poor = product_with(business, [black()], description=TEN_WORDS)
    good = product_with(business, [sharp(0), sharp(1), sharp(2)], description=FULL_DESCRIPTION,
                        attributes=BATIK_ATTRIBUTES)
    poor_quality, good_quality = score_product(poor, today()), score_product(good, today())
    assert poor_quality.score < good_quality.score
    assert good_quality.score == 100 and good_quality.hints == []
    codes = poor_quality.codes()
    assert {"photo.second", "photo.dark", "photo.blurred", "description.short"} <= set(codes)
    with app.test_request_context("/?lang=en"):
        text = " ".join(str(hint) for hint in poor_quality.hints)
    assert "Add a second photo" in text and "Photo 1 is too dark" in text and "Photo 1 looks blurred" in text
    assert "10 words now" in text


def test_a_blurred_bright_photo_is_named_blurred_not_dark(app, make_business):
    product = product_with(make_business(), [sharp(), blurred()], description=FULL_DESCRIPTION,
                           attributes=BATIK_ATTRIBUTES)
    quality = score_product(product, today())
    assert quality.codes() == ["photo.third", "photo.blurred"]
    with app.test_request_context("/?lang=en"):
        assert "Photo 2 looks blurred" in str(quality.hints[1])


def test_food_needs_a_verified_halal_or_pirt_certificate(app, make_business):
    business = make_business()
    food = {"net_weight": "250", "shelf_life": "90", "pirt": "2353513010203-45"}
    product = product_with(business, [sharp(0), sharp(1), sharp(2)], description=FULL_DESCRIPTION,
                           category="keripik", attributes=food)
    assert score_product(product, today()).codes() == ["certificate.food"]
    with unit_of_work():
        certificate = Certification(business=business, cert_type=CertType.PIRT, number="351301020304500",
                                    issuer="Dinkes", document="x.pdf")
        db.session.add(certificate)
    assert score_product(product, today()).codes() == ["certificate.food"]  # claimed is not enough
    with unit_of_work():
        db.session.get(Certification, certificate.id).status = CertStatus.VERIFIED
    assert score_product(product, today()).score == 100


def test_a_price_on_request_is_a_hint(app, make_business):
    product = product_with(make_business(), [sharp()], description=FULL_DESCRIPTION, attributes=BATIK_ATTRIBUTES,
                           price_min=None)
    assert "price.missing" in score_product(product, today()).codes()


def test_an_attribute_an_admin_makes_required_is_coached_by_its_name(app, make_business, make_user):
    """The coach reads the catalogue's attribute definitions (data): a new required attribute of batik is asked for
    by the name the admin gave it, on products of its subcategories too."""
    from marketplace.catalog.attributes.models import AttributeKind
    from marketplace.catalog.attributes.services import save_attribute
    from marketplace.unit_of_work import unit_of_work

    product = product_with(make_business(), [sharp(), sharp(), sharp()], description=FULL_DESCRIPTION,
                           attributes=BATIK_ATTRIBUTES)
    assert "attributes.missing" not in score_product(product, today()).codes()
    batik = db.session.scalar(db.select(Category).where(Category.slug == "batik"))
    admin = make_user(role=Role.ADMIN)
    with unit_of_work():
        save_attribute(admin, None, category=batik, name_id="Asal kain", name_en="Fabric origin",
                       kind=AttributeKind.TEXT, required=True)
    quality = score_product(product, today())
    assert "attributes.missing" in quality.codes()
    assert "Asal kain" in str(next(h.text for h in quality.hints if h.code == "attributes.missing"))


def test_the_owner_sees_score_and_hints_on_the_list_and_the_form(client, auth, make_business):
    business = make_business()
    product = product_with(business, [black()], description=TEN_WORDS)
    auth.login(business.owner.email)
    listing = client.get("/my/products?lang=en").get_data(as_text=True)
    assert "Listing quality" in listing and "Add a second photo" in listing and "Photo 1 is too dark" in listing
    form = client.get(f"/products/{product.id}/edit?lang=en".replace("/products/", "/my/products/"))
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert "Listing quality" in html and "Photo 1 looks blurred" in html
    assert "Tambahkan foto kedua" in client.get("/my/products?lang=id").get_data(as_text=True)


def test_the_moderator_sees_the_score_in_the_queue(client, auth, moderator, make_product):
    make_product(status="pending", name="Batik Menunggu")
    auth.login(moderator.email)
    html = client.get("/moderation/?lang=en").get_data(as_text=True)
    assert "Batik Menunggu" in html and "Listing quality" in html


@pytest.mark.parametrize("role", [None, Role.BUYER])
def test_buyers_never_see_a_score(client, auth, make_user, make_product, role):
    product = make_product(status="published")
    if role is not None:
        auth.login(make_user(role=role).email)
    pages = [f"/products/{product.id}-{product.slug}?lang=en", f"/businesses/{product.business.slug}?lang=en",
             "/products?lang=en", f"/api/v1/products/{product.id}"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        assert "Listing quality" not in text and "quality" not in text.lower(), path


def test_the_product_list_keeps_a_constant_query_count(client, auth, make_business, make_product):
    business = make_business()
    auth.login(business.owner.email)

    def count() -> int:
        statements = []
        listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/my/products").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return statements

    make_product(business=business, name="Batik 0", photos=1)
    one = count()
    for i in range(6):
        make_product(business=business, name=f"Batik {i + 1}", photos=2, status="published" if i % 2 else "draft",
                     category="keripik" if i % 3 else "batik-tulis")
    more = count()
    import collections
    import re
    norm = lambda xs: collections.Counter(re.sub(r"\(\?(, \?)*\)", "(?)", x)[:160] for x in xs)  # noqa: E731
    assert len(more) == len(one), norm(more) - norm(one)


def test_photos_uploaded_before_the_coach_are_measured_by_the_backfill(app, runner, make_product):
    product = make_product(photos=2, photo_size=(1200, 900))
    with unit_of_work():
        for photo in db.session.scalars(db.select(Photo).where(Photo.product_id == product.id)):
            photo.mean_luminance = photo.sharpness = None
    result = runner.invoke(args=["coach", "backfill-photo-hints"])
    assert "Measured 2 photos" in result.output
    db.session.expire_all()
    assert all(p.mean_luminance is not None and p.sharpness is not None
               for p in db.session.scalars(db.select(Photo).where(Photo.product_id == product.id)))

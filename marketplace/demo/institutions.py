"""Demo data of issue 18: a staff account for BBSPJIKB and one for the halal facilitation, service requests in
several states, training cohorts with enrolments (one past, with its certificate of attendance), and a batik
cooperative of Kabupaten Probolinggo whose group Batikmark request for three member producers BBSPJIKB is deciding
member by member (one certified, one declined, one waiting). The DKUPP of Kabupaten Probolinggo runs a cohort of its
own (product photography for the region's UMKM), with one owner enrolled."""

from datetime import date, timedelta
from io import BytesIO

from pypdf import PdfWriter

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Role
from marketplace.businesses.models import Business, CooperativeKind
from marketplace.cooperatives.models import ConsentScope
from marketplace.demo.cooperatives import CONFIRMED, _seed_cooperative
from marketplace.extensions import db
from marketplace.institutions import group_requests, service_requests, training
from marketplace.institutions.models import Institution, ServiceKind
from marketplace.institutions.request_models import DocumentKind
from marketplace.institutions.training_models import Cohort, Eligibility
from marketplace.timeutil import today

STAFF = [
    ("staf.bbspjikb@demo.etalase.id", "Rudi Hartono (BBSPJIKB)", "bbspjikb"),
    ("pendamping.halal@demo.etalase.id", "Lilik Pendamping PPH", "pendamping-pph-kab-probolinggo"),
]
LINKS = {"link": "/my/services", "inbox_url": "/my/notifications"}

# A made-up cooperative of batik tulis makers in Tegalsiwalan (35.13), the kind APBBA gathers; numbers are placeholders.
BATIK_COOPERATIVE = {
    "owner": ("pengurus.batiktegalsiwalan@demo.etalase.id", "Nur Hasanah (Ketua Koperasi Perajin Batik Tegalsiwalan)"),
    "region": "35.13", "name": "Koperasi Perajin Batik Tegalsiwalan", "kind": CooperativeKind.PRODUCER,
    "legal": "AHU-0000005.AH.01.26.TAHUN 2025", "nib": "9120005351301", "whatsapp": "6281334401313",
    "address": "Desa Tegalsiwalan, Kecamatan Tegalsiwalan, Kabupaten Probolinggo",
    "description": "Koperasi produsen perajin batik tulis Tegalsiwalan: motif mangrove, daun tembakau dan anggur khas "
                   "Probolinggo, dibuat di rumah para anggota.",
    "members": [
        ("Maisaroh", "Desa Tegalsiwalan", "Tegalsiwalan", "batik tulis pewarna alam", ConsentScope.NAME_AND_DESA),
        ("Sumiati", "Desa Sumberbulu", "Tegalsiwalan", "batik tulis", ConsentScope.DESA_ONLY),
        ("Khotimah", "Desa Bulu", "Tegalsiwalan", "batik tulis", ConsentScope.NAME_AND_DESA),
    ],
    "products": [
        ("batik-tulis", "Batik Tulis Motif Mangrove Pewarna Alam", "Maisaroh",
         "Kain batik tulis katun primisima 2 m, motif mangrove pesisir Probolinggo, pewarna alam indigo dan tingi.",
         450000, None, "lembar", 1, {}),
        ("batik-tulis", "Batik Tulis Motif Daun Tembakau", "Sumiati",
         "Kain batik tulis katun 2 m, motif daun tembakau, pewarna sintetis.", 325000, None, "lembar", 1, {}),
        ("batik-tulis", "Batik Tulis Motif Anggur Probolinggo", "Khotimah",
         "Kain batik tulis katun 2 m, motif buah anggur khas Probolinggo.", 350000, None, "lembar", 1, {}),
    ],
}


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _institution(slug: str) -> Institution:
    return db.session.scalar(db.select(Institution).where(Institution.slug == slug))


def _business(name: str) -> Business:
    return db.session.scalar(db.select(Business).where(Business.name == name))


def seed_institutions_demo(password: str) -> list[tuple[str, str, str | None]]:
    """The staff accounts (returned for the list of demo accounts) and, once, their requests and cohorts."""
    made, staff = [], {}
    for email, name, slug in STAFF:
        user = accounts.find_user_by_email(email)
        if user is None:
            user = accounts.create_user(email=email, password=password, name=name, role=Role.INSTITUTION_STAFF,
                                        institution_id=_institution(slug).id)
            staff[slug] = user
        made.append((email, Role.INSTITUTION_STAFF.value, None))
    if len(staff) == len(STAFF):  # the accounts are new: the rest is new too
        _requests(staff)
        _cohorts(staff["bbspjikb"])
    if _business(BATIK_COOPERATIVE["name"]) is None:  # its own check: added to demo databases seeded before it
        _group_request(accounts.find_user_by_email(STAFF[0][0]), password)
    _dkupp_cohort()
    return made + [(BATIK_COOPERATIVE["owner"][0], Role.OWNER.value, BATIK_COOPERATIVE["region"])]


def _group_request(staff, password: str) -> None:
    """The cooperative's Batikmark request for its three members: accepted as one, decided per member."""
    _seed_cooperative(BATIK_COOPERATIVE, password)
    cooperative = _business(BATIK_COOPERATIVE["name"])
    owner, products = cooperative.owner, business_products(cooperative)
    members = [product.member for product in products]
    request = service_requests.start_request(
        owner, cooperative, _institution("bbspjikb").offers(ServiceKind.BATIK_MARK), products=products, members=members,
        note=f"Permohonan kelompok untuk tiga anggota. {CONFIRMED}")
    service_requests.add_document(owner, request, DocumentKind.PROCESS, _pdf(), "alur-produksi-batik.pdf")
    service_requests.submit_request(owner, request, **LINKS)
    service_requests.decide(staff, request, "accept", visit_on=today() + timedelta(days=3),
                            note="Kunjungan ke rumah produksi ketiga anggota dalam satu hari.", **LINKS)
    rows = {row.member.name: row for row in request.members}
    group_requests.decide_member(staff, rows["Maisaroh"], "issue", number="BM-0425/BBSPJIKB/2026",
                                 valid_until=date(today().year + 3, 6, 30), document=_pdf(), **LINKS)
    group_requests.decide_member(staff, rows["Sumiati"], "decline", note=(
        "Batikmark untuk batik tulis pewarna sintetis ini perlu uji ketahanan luntur warna dulu; ajukan lagi setelah "
        "uji di laboratorium BBSPJIKB."), **LINKS)
    from marketplace.institutions.training_models import Cohort
    cohort = db.session.scalar(db.select(Cohort).where(Cohort.topic == "Batik tulis dengan pewarna alam"))
    if cohort is not None and today() <= cohort.enrol_by:  # the cooperative enrols a member in the natural-dye class
        training.enrol(owner, cohort, cooperative, on=today(), member=rows["Sumiati"].member)


def _sent(business: Business, kind: ServiceKind, slug: str, ingredients: str = ""):
    owner = business.owner
    service = _institution(slug).offers(kind)
    request = service_requests.start_request(owner, business, service, products=business_products(business)[:1],
                                             ingredients=ingredients)
    for document_kind in (DocumentKind.PROCESS, DocumentKind.INGREDIENTS, DocumentKind.SITE_PHOTO):
        service_requests.add_document(owner, request, document_kind, _pdf(), f"{document_kind.value}.pdf")
    service_requests.submit_request(owner, request, **LINKS)
    return request


def business_products(business: Business):
    from marketplace.catalog.models import Product
    return list(db.session.scalars(db.select(Product).where(Product.business_id == business.id).order_by(Product.id)))


def _requests(staff: dict) -> None:
    batik = _business("Batik Tulis Tegalsiwalan Maimunah")
    bbspjikb = staff["bbspjikb"]
    issued = _sent(batik, ServiceKind.SNI, "bbspjikb")
    service_requests.decide(bbspjikb, issued, "accept", visit_on=today() - timedelta(days=20), **LINKS)
    service_requests.decide(bbspjikb, issued, "start", **LINKS)
    service_requests.decide(bbspjikb, issued, "issue", number="SNI 8302:2016/LSPr-025-IDN/0101",
                            scope="Batik tulis katun primisima", valid_until=date(today().year + 4, 1, 31),
                            document=_pdf(), **LINKS)
    returned = _sent(batik, ServiceKind.INDUSTRI_HIJAU, "bbspjikb")
    service_requests.decide(bbspjikb, returned, "return", note="Lampirkan catatan pemakaian air dan pewarna per bulan.",
                            **LINKS)
    _sent(batik, ServiceKind.BATIK_MARK, "bbspjikb")
    mango = _business("Olahan Mangga Bu Siti")
    if mango is not None:
        _sent(mango, ServiceKind.HALAL_SELF_DECLARE, "pendamping-pph-kab-probolinggo",
              ingredients="mangga arumanis\ngula pasir (ID35110000000000001)\ntepung tapioka")
    chips = _business("Keripik Bawang Merah Leces")
    if chips is not None:  # unverified, no NIB: the draft says what is missing
        service_requests.start_request(chips.owner, chips, _institution("pendamping-pph-kab-probolinggo")
                                       .offers(ServiceKind.HALAL_SELF_DECLARE), products=business_products(chips))


def _cohorts(staff) -> None:
    bbspjikb = _institution("bbspjikb")
    batik = _business("Batik Tulis Tegalsiwalan Maimunah")
    soon = training.create_cohort(staff, bbspjikb, topic="Batik tulis dengan pewarna alam",
                                  description="Praktik pewarnaan alam (indigo, tingi, jambal) untuk perajin batik tulis.",
                                  starts_on=today() + timedelta(days=21), ends_on=today() + timedelta(days=23),
                                  venue="Pendopo Kecamatan Tegalsiwalan", region_code="35.13", capacity=20,
                                  enrol_by=today() + timedelta(days=14))
    training.enrol(batik.owner, soon, batik, on=today())
    training.create_cohort(staff, bbspjikb, topic="Foto produk dengan ponsel", online=True,
                           starts_on=today() + timedelta(days=10), ends_on=today() + timedelta(days=10), capacity=50,
                           enrol_by=today() + timedelta(days=9))
    past = training.create_cohort(staff, bbspjikb, topic="Persiapan sertifikasi SNI batik",
                                  starts_on=today(), ends_on=today(), venue="Gedung BBSPJIKB", region_code="35.13",
                                  capacity=2, enrol_by=today())
    enrolment = training.enrol(batik.owner, past, batik, on=today(), show_name=True)
    enrolment.attended, enrolment.show_on_business = True, True
    training.issue_certificates(staff, past, verify_url_for=lambda code: f"/verify/{code}", **LINKS)


DKUPP_MODERATOR = "moderator.kabprobolinggo@demo.etalase.id"
DKUPP_TOPIC = "Foto produk UMKM dengan ponsel untuk etalase daring"


def _dkupp_cohort() -> None:
    """Once (its own check): DKUPP Kabupaten Probolinggo's product photography class for the region's UMKM."""
    moderator = accounts.find_user_by_email(DKUPP_MODERATOR)
    if moderator is None or db.session.scalar(db.select(Cohort.id).where(Cohort.topic == DKUPP_TOPIC,
                                                                         Cohort.organiser_region_code == "35.13")):
        return
    cohort = training.create_cohort(
        moderator, None, organiser_region_code="35.13", topic=DKUPP_TOPIC,
        description="Memotret produk dengan ponsel dan cahaya alami, latar sederhana, dan mengunggahnya ke etalase.",
        starts_on=today() + timedelta(days=17), ends_on=today() + timedelta(days=17),
        venue="Aula DKUPP Kabupaten Probolinggo, Kraksaan", region_code="35.13", capacity=25,
        eligibility=Eligibility.REGION, eligible_region_code="35.13", enrol_by=today() + timedelta(days=12))
    batik = _business("Batik Tulis Tegalsiwalan Maimunah")
    if batik is not None:
        training.enrol(batik.owner, cohort, batik, on=today())

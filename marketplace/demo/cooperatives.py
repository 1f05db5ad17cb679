"""Demo cooperatives of the Sekartaji 2025 trade deal, their member producers (with recorded consent) and products
produced by members; the trade agreement's free-text parties become links to them. Safe to run again."""

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Role
from marketplace.businesses.models import Business, BusinessKind, CooperativeKind, SizeClass, Verification
from marketplace.businesses.services import create_business, set_verification
from marketplace.catalog.models import Category
from marketplace.catalog.services import create_product, review_product, submit_product
from marketplace.cooperatives.models import ConsentMethod, ConsentScope
from marketplace.cooperatives.services import add_member, link_named_parties
from marketplace.demo.images import draw_product_photo
from marketplace.extensions import db
from marketplace.media.services import stage_photo
from marketplace.slugs import make_slug

NAME, DESA = ConsentScope.NAME_AND_DESA, ConsentScope.DESA_ONLY
CONFIRMED = "Dikonfirmasi langsung oleh anggota pada rapat anggota koperasi, 3 November 2026."

# Legal-entity numbers and NIBs are made up for the demo (placeholders in the real formats).
COOPERATIVES = [
    {
        "owner": ("pengurus.kopisiaga@demo.etalase.id", "Hartono (Ketua Kopi Siaga)"), "region": "35.74",
        "name": "Kopi Siaga", "kind": CooperativeKind.CONSUMER, "legal": "AHU-0000001.AH.01.26.TAHUN 2024",
        "nib": "9120005357401", "whatsapp": "6281234500741", "address": "Jl. Panglima Sudirman, Kanigaran, Kota Probolinggo",
        "description": "Koperasi Konsumen Pengendali Inflasi Harga (Kopi Siaga) Kota Probolinggo. Menampung jagung pipilan "
                       "kering petani anggota dan memasoknya sebagai jagung pakan ke Kabupaten Blitar.",
        "members": [
            ("Sholehuddin", "Kelurahan Jrebeng Kidul", "Wonoasih", "jagung pipilan kering", NAME),
            ("Siti Rohmah", "Kelurahan Pakistaji", "Wonoasih", "jagung pipilan kering, kedelai", NAME),
            ("Abdul Ghofur", "Kelurahan Sumberwetan", "Kedopok", "jagung pipilan kering", DESA),
            ("Musrifah", "Kelurahan Triwung Lor", "Kademangan", "jagung manis", ConsentScope.NOTHING),
        ],
        "products": [
            ("jagung", "Jagung Pipilan Kering Pakan Ternak", "Sholehuddin",
             "Jagung pipilan kering kadar air maksimal 15% untuk pakan ayam petelur, dikeringkan dan disortir di gudang "
             "koperasi. Dikirim per truk dari Kota Probolinggo.", 5400, 5800, "kg", 1000,
             {"grade": "a", "supply_capacity": "20 ton per bulan"}),
            ("jagung", "Jagung Pipilan Kering Karungan 50 kg", "Abdul Ghofur",
             "Jagung pipilan kering dalam karung 50 kg, kadar air maksimal 17%, untuk peternak kecil.", 5300, None, "kg", 50,
             {"grade": "b"}),
        ],
    },
    {
        "owner": ("pengurus.berkahtelur@demo.etalase.id", "Sutrisno (Ketua Koperasi Berkah Telur)"), "region": "35.05",
        "name": "Koperasi Berkah Telur", "kind": CooperativeKind.PRODUCER, "legal": "AHU-0000002.AH.01.26.TAHUN 2023",
        "nib": "9120005350501", "whatsapp": "6281334400505", "address": "Kecamatan Ponggok, Kabupaten Blitar",
        "description": "Koperasi peternak ayam ras petelur Kabupaten Blitar. Memasok telur anggota ke Kota Probolinggo "
                       "dan ke Koperasi Desa/Kelurahan Merah Putih di Kabupaten Malang dan Tulungagung.",
        "members": [
            ("Suyanto", "Desa Karangbendo", "Ponggok", "telur ayam ras", NAME),
            ("Sri Wahyuni", "Desa Bacem", "Ponggok", "telur ayam ras", DESA),
            ("Mujiono", "Desa Togogan", "Srengat", "telur ayam ras", NAME),
        ],
        "products": [
            ("telur", "Telur Ayam Ras Segar per Peti", "Suyanto",
             "Telur ayam ras segar ukuran sedang (55–62 g per butir), dipanen setiap pagi di kandang anggota. Satu peti "
             "berisi 15 kg.", 24000, None, "kg", 15, {"grade": "b", "supply_capacity": "5 ton per minggu"}),
            ("telur", "Telur Ayam Ras Besar", "Sri Wahyuni",
             "Telur ayam ras ukuran besar (di atas 62 g per butir) dari kandang anggota di Ponggok.", 25500, None, "kg", 15,
             {"grade": "a"}),
        ],
    },
]


def seed_cooperatives(password: str) -> list[tuple[str, str]]:
    """The two cooperatives with their owners, members and products, verified and published; then the trade agreement
    names them as business records. Returns the owners' (email, region)."""
    for data in COOPERATIVES:
        if db.session.scalar(db.select(Business.id).where(Business.name == data["name"])) is None:
            _seed_cooperative(data, password)
    link_named_parties(None)
    return [(data["owner"][0], data["region"]) for data in COOPERATIVES]


def _seed_cooperative(data: dict, password: str) -> None:
    email, owner_name = data["owner"]
    owner = accounts.find_user_by_email(email) or accounts.create_user(
        email=email, password=password, name=owner_name, role=Role.OWNER, region_code=data["region"])
    business = create_business(
        owner, name=data["name"], region_code=data["region"], whatsapp=data["whatsapp"], nib=data["nib"],
        size_class=SizeClass.KECIL, address=data["address"], description=data["description"],
        kind=BusinessKind.COOPERATIVE, cooperative_kind=data["kind"], legal_entity_number=data["legal"],
    )
    set_verification(business, Verification.VERIFIED)
    members = {}
    for name, desa, kecamatan, commodities, scope in data["members"]:
        members[name] = add_member(owner, business, name=name, desa=desa, kecamatan=kecamatan, commodities=commodities,
                                   consent_scope=scope, consent_method=ConsentMethod.MEMBER_CONFIRMATION,
                                   consent_note=CONFIRMED)
    for slug, name, member, description, price_min, price_max, unit, min_order, attributes in data["products"]:
        category = db.session.scalar(db.select(Category).where(Category.slug == slug))
        photo = stage_photo(owner, draw_product_photo(category, make_slug(name), 0), alt_text=name)
        product = create_product(business, category=category, name=name, description=description, price_min=price_min,
                                 price_max=price_max, unit=unit, min_order=min_order, attributes=attributes,
                                 new_photos=[photo], member_id=members[member].id)
        submit_product(product)
        review_product(product, "approve", Role.MODERATOR)

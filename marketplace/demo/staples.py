"""Demo data for staples, from the design's reference facts: Kopi Siaga (Kota Probolinggo) sends surplus feed corn to
Koperasi Berkah Telur (Kabupaten Blitar), which sends eggs back; a deal between them with two deliveries; a village
cooperative in Kabupaten Malang needing eggs, which matches nothing (no staples agreement with Blitar in the seed)."""

from datetime import timedelta

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Role
from marketplace.businesses.models import Business, SizeClass, Verification
from marketplace.businesses.services import create_business, set_verification
from marketplace.cooperatives.models import CooperativeMember
from marketplace.extensions import db
from marketplace.staples import deals, posts
from marketplace.staples.models import Commodity, DeliveryTerms, Period, PostKind, StaplesPost, Transport
from marketplace.timeutil import today

# slug, owner email, owner name, region, business name, NIB, WhatsApp, address, description
COOPERATIVES = [
    ("kopi-siaga", "kopisiaga@demo.etalase.id", "Ahmad Fauzi", "35.74", "Kopi Siaga", "9120005550001", "6281330050001",
     "Jl. Soekarno-Hatta, Kota Probolinggo",
     "Koperasi Konsumen Pengendali Inflasi Harga (Kopi Siaga) Kota Probolinggo: menyalurkan surplus jagung pakan "
     "dari petani anggota ke daerah mitra."),
    ("koperasi-berkah-telur", "berkahtelur@demo.etalase.id", "Hj. Sulastri", "35.05", "Koperasi Berkah Telur",
     "9120005550002", "6281330050002", "Kecamatan Srengat, Kabupaten Blitar",
     "Koperasi peternak ayam petelur Kabupaten Blitar: surplus telur ayam ras, butuh jagung pakan."),
    ("koperasi-desa-merah-putih-kepanjen", "kopdes.kepanjen@demo.etalase.id", "Suyanto", "35.07",
     "Koperasi Desa Merah Putih Kepanjen", "9120005550003", "6281330050003", "Kepanjen, Kabupaten Malang",
     "Koperasi Desa/Kelurahan Merah Putih di Kabupaten Malang: kebutuhan telur untuk warung anggota."),
]
MALANG_MODERATOR = ("moderator.malang@demo.etalase.id", "Wahyu DKUPP Kabupaten Malang", "35.07")


def _cooperative(password: str, slug, email, owner_name, region, name, nib, whatsapp, address, description) -> Business:
    """The cooperative with this slug (the cooperatives' branch may have made it already), made and verified if missing."""
    business = db.session.scalar(db.select(Business).where(Business.slug == slug))
    if business is None:
        owner = accounts.find_user_by_email(email) or accounts.create_user(
            email=email, password=password, name=owner_name, role=Role.OWNER, region_code=region)
        business = create_business(owner, name=name, region_code=region, whatsapp=whatsapp, nib=nib,
                                   size_class=SizeClass.KECIL, address=address, description=description)
    if business.verification is not Verification.VERIFIED:
        set_verification(business, Verification.VERIFIED)
    return business


def seed_staples(password: str) -> None:
    """Posts, matches and a deal between the cooperatives; safe to run again (nothing is added twice)."""
    siaga, telur, kepanjen = (_cooperative(password, *row) for row in COOPERATIVES)
    if db.session.scalar(db.select(StaplesPost.id).where(StaplesPost.business_id == siaga.id).limit(1)):
        return
    if accounts.find_user_by_email(MALANG_MODERATOR[0]) is None:
        accounts.create_user(email=MALANG_MODERATOR[0], password=password, name=MALANG_MODERATOR[1], role=Role.MODERATOR,
                             region_code=MALANG_MODERATOR[2])
    corn, eggs = (db.session.scalar(db.select(Commodity).where(Commodity.code == code))
                  for code in ("jagung-pipilan-kering", "telur-ayam-ras"))
    start = today() - timedelta(days=45)

    def post(business, kind, commodity, grade, quantity, unit, price_min, price_max, notes, *, min_lot=None,
             terms=DeliveryTerms.FRANCO, transport=Transport.SELLER, member=None):
        content = {
            "commodity_id": commodity.id, "grade_id": next((g.id for g in commodity.grades if g.code == grade), None),
            "unit_code": unit, "quantity": quantity, "period": Period.MONTH, "min_lot": min_lot, "starts_on": start,
            "ends_on": start + timedelta(days=240), "price_min": price_min, "price_max": price_max, "negotiable": False,
            "delivery_terms": terms, "transport_by": transport, "notes": notes,
        }
        made = posts.create_post(business, kind, content, member_id=member.id if member else None)
        moderator = db.session.scalar(db.select(type(business.owner)).where(
            type(business.owner).role == Role.MODERATOR, type(business.owner).region_code == business.region_code))
        posts.review_post(moderator, made, "approve")
        return made

    # the corn of a member farmer (seed_cooperatives recorded Kopi Siaga's members and their consent): the deal names them
    farmer = db.session.scalar(db.select(CooperativeMember).where(
        CooperativeMember.business_id == siaga.id, CooperativeMember.withdrawn_at.is_(None),
        CooperativeMember.commodities.startswith("jagung pipilan")).order_by(CooperativeMember.id).limit(1)
    ) if siaga.is_cooperative else None
    corn_offer = post(siaga, PostKind.OFFER, corn, "ka15", 20, "ton", 4_600_000, 5_000_000,
                      "Jagung pipilan kering dari petani anggota di Kota Probolinggo, dikeringkan dengan dryer.", min_lot=5,
                      member=farmer)
    post(telur, PostKind.OFFER, eggs, "sedang", 12, "ton", 22_000, 24_000,
         "Telur ayam ras dari peternak anggota di Srengat dan Kanigoro, dikemas per peti 15 kg.")
    corn_need = post(telur, PostKind.NEED, corn, "ka17", 15, "ton", 4_500_000, 5_200_000,
                     "Jagung pakan untuk peternak layer anggota.", terms=DeliveryTerms.FRANCO)
    post(siaga, PostKind.NEED, eggs, None, 4, "ton", 23_000, 25_000, "Telur untuk anggota dan pasar murah.",
         terms=DeliveryTerms.FRANCO)
    post(kepanjen, PostKind.NEED, eggs, None, 2, "ton", 23_000, 26_000, "Telur untuk warung anggota koperasi desa.",
         terms=DeliveryTerms.LOCO, transport=Transport.BUYER)

    deal = deals.propose_deal(siaga.owner, {siaga.id}, corn_offer, corn_need, volume=45_000, unit_price=4_800,
                              starts_on=start + timedelta(days=5), ends_on=start + timedelta(days=95),
                              delivery_terms=DeliveryTerms.FRANCO, transport_by=Transport.SELLER, on=today())
    deals.confirm_deal(telur.owner, {telur.id}, deal)
    for days, quantity, moisture in ((10, 15_000, "14,6"), (40, 15_000, "14,9")):
        delivery = deals.log_delivery(siaga.owner, {siaga.id}, deal, delivered_on=start + timedelta(days=days),
                                      quantity=quantity, quality=f"kadar air {moisture} %", received_by="Gudang pakan Srengat")
        deals.confirm_delivery(telur.owner, {telur.id}, delivery)

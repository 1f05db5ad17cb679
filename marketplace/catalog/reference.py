"""The category tree shipped with the code: (slug, Indonesian name, English name, children)."""

CATEGORIES = [
    ("batik", "Batik", "Batik", [
        ("batik-tulis", "Batik tulis", "Hand-drawn batik", []),
        ("batik-cap", "Batik cap", "Stamped batik", []),
        ("batik-printing", "Batik printing", "Printed batik", []),
    ]),
    ("bordir", "Bordir", "Embroidery", [
        ("mukena", "Mukena", "Prayer garments (mukena)", []),
        ("kebaya", "Kebaya", "Kebaya", []),
        ("sajadah", "Sajadah", "Prayer mats", []),
    ]),
    ("kerajinan-tangan", "Kerajinan tangan", "Handicrafts", [
        ("anyaman", "Anyaman", "Woven crafts", []),
        ("ecoprint", "Ecoprint", "Eco-print", []),
        ("kerajinan-kayu", "Kerajinan kayu", "Woodcraft", []),
        ("gerabah", "Gerabah dan keramik", "Pottery and ceramics", []),
    ]),
    ("fesyen", "Fesyen", "Fashion", [
        ("pakaian", "Pakaian", "Clothing", []),
        ("tas-dompet", "Tas dan dompet", "Bags and wallets", []),
        ("alas-kaki", "Alas kaki", "Footwear", []),
    ]),
    ("makanan-olahan", "Makanan olahan", "Processed food", [
        ("keripik", "Keripik dan camilan", "Chips and snacks", []),
        ("olahan-buah", "Olahan buah", "Fruit products", []),
        ("kue-roti", "Kue dan roti", "Cakes and bread", []),
        ("sambal-bumbu", "Sambal dan bumbu", "Sambal and spices", []),
    ]),
    ("minuman", "Minuman", "Beverages", [
        ("kopi", "Kopi", "Coffee", []),
        ("jamu-herbal", "Jamu dan herbal", "Jamu and herbal drinks", []),
        ("sari-buah", "Sari buah", "Fruit juice", []),
    ]),
    ("hasil-pertanian", "Hasil pertanian", "Farm produce", [
        ("jagung", "Jagung", "Corn", []),
        ("bawang-merah", "Bawang merah", "Shallots", []),
        ("buah-sayur", "Buah dan sayur", "Fruit and vegetables", []),
        ("beras", "Beras", "Rice", []),
    ]),
    ("hasil-peternakan", "Hasil peternakan", "Livestock produce", [
        ("telur", "Telur", "Eggs", []),
        ("daging-olahan", "Daging dan olahannya", "Meat and meat products", []),
        ("susu", "Susu dan olahannya", "Milk and dairy", []),
    ]),
    ("hasil-perikanan", "Hasil perikanan", "Fishery produce", []),
    ("kosmetik-perawatan", "Kosmetik dan perawatan", "Cosmetics and personal care", []),
]

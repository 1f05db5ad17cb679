"""The demo businesses and their products (data only)."""

# owner email -> (name, region)
OWNERS = {
    "pemilik@demo.etalase.id": ("Siti Aminah", "35.74"),
    "pemilik.pasuruan@demo.etalase.id": ("Hj. Nur Hasanah", "35.14"),
    "pemilik.blitar@demo.etalase.id": ("Slamet Riyadi", "35.05"),
    "pemilik.kabprobolinggo@demo.etalase.id": ("Maimunah", "35.13"),
}

# Each business: owner, region, name, NIB, size, WhatsApp, address, description, verified?, products.
# Each product: category slug, name, description, price min, price max, unit, min order, attributes, status.
BUSINESSES = [
    {
        "owner": "pemilik@demo.etalase.id", "region": "35.74", "name": "Batik Manggur Siti",
        "nib": "9120001234567", "size": "mikro", "whatsapp": "6281234567801",
        "address": "Jl. Mastrip No. 12, Kanigaran, Kota Probolinggo",
        "description": "Batik tulis dan cap bermotif Manggur (mangga dan anggur), ciri khas Kota Probolinggo, "
                       "dibuat oleh perajin di Kanigaran sejak 2012.",
        "verified": True,
        "products": [
            ("batik-tulis", "Batik Tulis Motif Manggur Klasik",
             "Kain batik tulis katun primisima 2 x 1,15 m dengan motif Manggur klasik. Pewarna alami dari kulit "
             "mangga dan kayu tegeran. Setiap lembar dikerjakan sekitar tiga minggu.",
             650000, None, "lembar", 1,
             {"technique": "tulis", "motif": "Manggur", "fabric": "katun primisima", "dye": "alami", "size": "200 x 115 cm"},
             "published"),
            ("batik-cap", "Batik Cap Manggur Biru",
             "Batik cap katun prima warna biru indigo, cocok untuk kemeja dan seragam kantor. Bisa pesan jumlah "
             "banyak untuk instansi.",
             175000, 225000, "lembar", 2,
             {"technique": "cap", "motif": "Manggur", "fabric": "katun prima", "dye": "sintetis", "size": "200 x 110 cm"},
             "published"),
            ("pakaian", "Kemeja Batik Pria Lengan Panjang",
             "Kemeja batik cap Manggur lengan panjang, furing penuh, ukuran M sampai XXL.",
             285000, None, "pcs", 1, {"technique": "cap", "motif": "Manggur", "size": "M–XXL"}, "pending"),
        ],
    },
    {
        "owner": "pemilik@demo.etalase.id", "region": "35.74", "name": "Olahan Mangga Bu Siti",
        "nib": "9120001234568", "size": "mikro", "whatsapp": "6281234567801",
        "address": "Jl. Soekarno Hatta No. 88, Mayangan, Kota Probolinggo",
        "description": "Olahan mangga arumanis dan manalagi dari kebun Probolinggo: opak mangga, dodol, dan sari buah.",
        "verified": True,
        "products": [
            ("olahan-buah", "Opak Mangga Arumanis 250 g",
             "Opak mangga renyah dari mangga arumanis pilihan, tanpa pengawet. Cocok untuk oleh-oleh khas Probolinggo.",
             25000, None, "paket", 5, {"net_weight": "250", "shelf_life": "180", "pirt": "2113574010123-27"},
             "published"),
            ("sari-buah", "Sari Mangga Manalagi 1 Liter",
             "Sari buah mangga manalagi tanpa gula tambahan, dikemas botol kaca 1 liter.",
             35000, None, "liter", 6, {"net_weight": "1000", "shelf_life": "90"}, "draft"),
        ],
    },
    {
        "owner": "pemilik.pasuruan@demo.etalase.id", "region": "35.14", "name": "Bordir Bangil Hasanah",
        "nib": "9120002234501", "size": "kecil", "whatsapp": "6285790001122",
        "address": "Jl. Gajah Mada No. 41, Bangil, Kabupaten Pasuruan",
        "description": "Sentra bordir Bangil: mukena, kebaya, dan sajadah bordir tangan dan mesin dengan benang sutra.",
        "verified": True,
        "products": [
            ("mukena", "Mukena Bordir Bangil Katun Jepang",
             "Mukena dewasa katun Jepang dengan bordir bunga melati di tepi, termasuk tas. Tersedia putih, krem dan dusty pink.",
             325000, None, "set", 1, {"material": "katun Jepang"}, "published"),
            ("kebaya", "Kebaya Bordir Kerancang",
             "Kebaya brokat dengan bordir kerancang khas Bangil, dijahit sesuai ukuran pemesan.",
             450000, 750000, "pcs", 1, {"material": "brokat"}, "published"),
            ("sajadah", "Sajadah Bordir Tepi Emas",
             "Sajadah beludru dengan bordir tepi benang emas, ukuran 70 x 115 cm.", None, None, "pcs", 10, {}, "published"),
        ],
    },
    {
        "owner": "pemilik.blitar@demo.etalase.id", "region": "35.05", "name": "Peternakan Berkah Telur Slamet",
        "nib": "9120003234502", "size": "kecil", "whatsapp": "6281334445566",
        "address": "Desa Sumberasri, Srengat, Kabupaten Blitar",
        "description": "Peternakan ayam ras petelur anggota Koperasi Berkah Telur, 12.000 ekor, kirim ke seluruh Jawa Timur.",
        "verified": True,
        "products": [
            ("telur", "Telur Ayam Ras Blitar Grade A",
             "Telur ayam ras segar grade A (58–65 g per butir), dipanen setiap pagi. Harga per kg, pesan minimal 1 peti (15 kg).",
             26500, None, "kg", 15, {"grade": "A", "supply_capacity": "2 ton per minggu"}, "published"),
            ("jagung", "Jagung Pakan Pipil Kering",
             "Jagung pipil kering kadar air 15% untuk pakan ternak, dari petani mitra Blitar.",
             5200, 5600, "kg", 500, {"grade": "b", "supply_capacity": "20 ton per bulan"}, "published"),
        ],
    },
    {
        "owner": "pemilik.kabprobolinggo@demo.etalase.id", "region": "35.13", "name": "Batik Tulis Tegalsiwalan Maimunah",
        "nib": "9120004234503", "size": "mikro", "whatsapp": "6282244556677",
        "address": "Desa Tegalsiwalan, Kecamatan Tegalsiwalan, Kabupaten Probolinggo",
        "description": "Batik tulis Tegalsiwalan dan kain ecoprint daun jati dari lereng Bromo.",
        "verified": True,
        "products": [
            ("batik-tulis", "Batik Tulis Tegalsiwalan Motif Bromo",
             "Batik tulis motif kawah Bromo dan edelweis, katun primisima, pewarna sintetis tahan luntur.",
             550000, None, "lembar", 1,
             {"technique": "tulis", "motif": "Bromo", "fabric": "katun primisima", "dye": "sintetis", "size": "200 x 115 cm"},
             "published"),
            ("ecoprint", "Selendang Ecoprint Daun Jati",
             "Selendang sutra ecoprint dengan daun jati dan lanang, setiap motif unik.", 225000, None, "pcs", 1,
             {"material": "sutra"}, "published"),
        ],
    },
    {
        "owner": "pemilik.kabprobolinggo@demo.etalase.id", "region": "35.13", "name": "Keripik Bawang Merah Leces",
        "nib": None, "size": "mikro", "whatsapp": "6282244556678",
        "address": "Kecamatan Leces, Kabupaten Probolinggo",
        "description": "Bawang goreng dan keripik dari bawang merah Probolinggo.",
        "verified": False,
        "products": [
            ("keripik", "Bawang Goreng Probolinggo 200 g",
             "Bawang merah Probolinggo digoreng renyah, tanpa tepung.", 30000, None, "paket", 10,
             {"net_weight": "200", "shelf_life": "120"}, "pending"),
        ],
    },
]

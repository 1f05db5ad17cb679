"""Staple commodities and the government reference prices shipped with the code (seed-reference loads them).

Names follow Bank Indonesia's PIHPS and Badan Pangan's panel harga, so figures can be compared with theirs. Units
give how many base units one of them is; a higher grade rank is a better quality (moisture <= 15 % beats <= 17 %)."""

from datetime import date

KG_UNITS = [("kg", 1.0), ("kuintal", 100.0), ("ton", 1000.0)]

# code, name (id), name (en), PIHPS / panel harga name, base unit, units, grades (code, id, en, rank)
COMMODITIES = [
    ("jagung-pipilan-kering", "Jagung pipilan kering", "Shelled dry maize", "Jagung Pipilan Kering", "kg", KG_UNITS, [
        ("ka15", "Kadar air ≤ 15 %", "Moisture ≤ 15 %", 50),
        ("ka17", "Kadar air ≤ 17 %", "Moisture ≤ 17 %", 40),
        ("ka20", "Kadar air ≤ 20 %", "Moisture ≤ 20 %", 30),
        ("ka25", "Kadar air ≤ 25 %", "Moisture ≤ 25 %", 20),
        ("ka30", "Kadar air ≤ 30 %", "Moisture ≤ 30 %", 10),
    ]),
    # a kilo of eggs is about 16 eggs; a peti (crate) holds 15 kg
    ("telur-ayam-ras", "Telur ayam ras", "Chicken eggs (layer)", "Telur Ayam Ras", "kg",
     [("butir", 0.0625), ("kg", 1.0), ("peti", 15.0), ("ton", 1000.0)], [
        ("besar", "Besar (≥ 60 g/butir)", "Large (≥ 60 g per egg)", 30),
        ("sedang", "Sedang (50–60 g/butir)", "Medium (50–60 g per egg)", 20),
        ("kecil", "Kecil (< 50 g/butir)", "Small (< 50 g per egg)", 10),
    ]),
    ("beras", "Beras", "Rice", "Beras", "kg", KG_UNITS, [
        ("premium", "Premium", "Premium", 20),
        ("medium", "Medium", "Medium", 10),
    ]),
    ("bawang-merah", "Bawang merah", "Shallots", "Bawang Merah", "kg", KG_UNITS, []),
    ("cabai-merah-keriting", "Cabai merah keriting", "Curly red chilli", "Cabai Merah Keriting", "kg", KG_UNITS, []),
    ("cabai-rawit", "Cabai rawit", "Bird's eye chilli", "Cabai Rawit", "kg", KG_UNITS, [
        ("merah", "Cabai rawit merah", "Red", 20),
        ("hijau", "Cabai rawit hijau", "Green", 10),
    ]),
    ("gula-pasir", "Gula pasir", "Granulated sugar", "Gula Pasir", "kg", KG_UNITS, [
        ("premium", "Kualitas premium", "Premium quality", 20),
        ("lokal", "Lokal", "Local", 10),
    ]),
    ("minyak-goreng", "Minyak goreng", "Cooking oil", "Minyak Goreng", "liter",
     [("liter", 1.0), ("jeriken", 18.0), ("drum", 200.0)], [
        ("kemasan", "Kemasan", "Packaged", 20),
        ("curah", "Curah", "Bulk", 10),
    ]),
]

HAP_SOURCE = ("Peraturan Badan Pangan Nasional Nomor 5 Tahun 2022 tentang Harga Acuan Pembelian di Tingkat Produsen "
              "dan Harga Acuan Penjualan di Tingkat Konsumen Komoditas Jagung, Telur Ayam Ras, dan Daging Ayam Ras "
              "(berlaku sejak 5 Oktober 2022)")
HAP_FROM = date(2022, 10, 5)

# National reference prices (HAP), Rupiah per kg: commodity, grade (None: any), level, low, high (None: one price), note
HAP = [
    ("telur-ayam-ras", None, "producer", 22000, 24000, ""),
    ("telur-ayam-ras", None, "consumer", 27000, None, ""),
    ("jagung-pipilan-kering", "ka15", "producer", 4200, None, ""),
    ("jagung-pipilan-kering", "ka20", "producer", 3970, None, ""),
    ("jagung-pipilan-kering", "ka25", "producer", 3750, None, ""),
    ("jagung-pipilan-kering", "ka30", "producer", 3540, None, ""),
    # to the consumer, i.e. at the feed mill (industri pakan) and the livestock farmer
    ("jagung-pipilan-kering", "ka15", "consumer", 5000, None, " — di tingkat konsumen (pabrik pakan/peternak)"),
]

"""Reference data shipped with the code: the 38 regions of Jawa Timur and the agreements of the design."""

from datetime import date

KABUPATEN = [
    ("35.01", "Pacitan"), ("35.02", "Ponorogo"), ("35.03", "Trenggalek"), ("35.04", "Tulungagung"),
    ("35.05", "Blitar"), ("35.06", "Kediri"), ("35.07", "Malang"), ("35.08", "Lumajang"),
    ("35.09", "Jember"), ("35.10", "Banyuwangi"), ("35.11", "Bondowoso"), ("35.12", "Situbondo"),
    ("35.13", "Probolinggo"), ("35.14", "Pasuruan"), ("35.15", "Sidoarjo"), ("35.16", "Mojokerto"),
    ("35.17", "Jombang"), ("35.18", "Nganjuk"), ("35.19", "Madiun"), ("35.20", "Magetan"),
    ("35.21", "Ngawi"), ("35.22", "Bojonegoro"), ("35.23", "Tuban"), ("35.24", "Lamongan"),
    ("35.25", "Gresik"), ("35.26", "Bangkalan"), ("35.27", "Sampang"), ("35.28", "Pamekasan"),
    ("35.29", "Sumenep"),
]
KOTA = [
    ("35.71", "Kediri"), ("35.72", "Blitar"), ("35.73", "Malang"), ("35.74", "Probolinggo"),
    ("35.75", "Pasuruan"), ("35.76", "Mojokerto"), ("35.77", "Madiun"), ("35.78", "Surabaya"),
    ("35.79", "Batu"),
]

# The name of each region's cooperative and trade office, only where published sources agree on it (checked in
# 2025); every other name, and every address, phone number, email and website, is left for admins to enter, never
# guessed. Names change with each regional reorganisation: Kota Probolinggo's office was the DKUPP (Koperasi, Usaha
# Mikro, Perindustrian dan Perdagangan) until 2025 and is reported as the DKUP (Koperasi, Usaha Kecil Menengah, dan
# Perdagangan) since, so it is left empty until an admin confirms it.
OFFICE_NAMES = {
    "35.13": "Dinas Koperasi, Usaha Mikro, Perdagangan dan Perindustrian Kabupaten Probolinggo",
}

# The MoUs signed at Sekartaji 2025 (Malang, 17 June 2025). The published sources give no end
# date; five years is the usual term of a regional MoU, so that is what is seeded.
AGREEMENTS = [
    {
        "key": "mou-kota-probolinggo-kab-pasuruan-2025",
        "title": "Kesepakatan Bersama Pemerintah Kota Probolinggo dan Pemerintah Kabupaten Pasuruan",
        "number": None,
        "signed_on": date(2025, 6, 17),
        "valid_from": date(2025, 6, 17),
        "valid_until": date(2030, 6, 16),
        "scopes": ["promotion", "staples"],
        "parties": [("35.74", None), ("35.14", None)],
        "description": "Kelancaran distribusi bahan pokok serta fasilitasi promosi dan pemasaran produk UMKM. "
                       "Ditandatangani pada Sekartaji 2025 di Malang.",
    },
    {
        "key": "mou-kota-probolinggo-kab-blitar-2025",
        "title": "Kesepakatan Bersama Pemerintah Kota Probolinggo dan Pemerintah Kabupaten Blitar",
        "number": None,
        "signed_on": date(2025, 6, 17),
        "valid_from": date(2025, 6, 17),
        "valid_until": date(2030, 6, 16),
        "scopes": ["promotion", "staples"],
        "parties": [("35.74", None), ("35.05", None)],
        "description": "Kelancaran distribusi bahan pokok serta fasilitasi promosi dan pemasaran produk UMKM. "
                       "Ditandatangani pada Sekartaji 2025 di Malang.",
    },
    {
        "key": "trade-kopi-siaga-berkah-telur-2025",
        "title": "Kerja sama dagang Kopi Siaga dan Koperasi Berkah Telur",
        "number": None,
        "signed_on": date(2025, 6, 17),
        "valid_from": date(2025, 6, 17),
        "valid_until": None,
        "scopes": ["staples"],
        "parties": [("35.74", "Koperasi Kopi Siaga"), ("35.05", "Koperasi Berkah Telur")],
        "description": "Kopi Siaga (Kota Probolinggo) memasok surplus jagung pakan; "
                       "Koperasi Berkah Telur (Kabupaten Blitar) memasok surplus telur.",
    },
]

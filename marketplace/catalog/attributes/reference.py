"""The attributes shipped with the code, per category slug (seed-reference adds what is missing and never changes what
an admin edited). Each: code, Indonesian name, English name, kind, and the kind's details."""

PIRT = {"pattern": r"\d{13}-?\d{2}", "example": "1234567890123-45"}  # 15 digits; 4th-7th are the region (3513)
GRADES = [("a", "Grade A", "Grade A"), ("b", "Grade B", "Grade B"), ("c", "Grade C", "Grade C")]


def _food(net_unit: tuple[str, str], net_name: tuple[str, str]) -> list[dict]:
    return [
        {"code": "net_weight", "name": net_name, "kind": "number", "unit": net_unit},
        {"code": "shelf_life", "name": ("Masa simpan", "Shelf life"), "kind": "number", "unit": ("hari", "days")},
        {"code": "pirt", "name": ("Nomor P-IRT", "P-IRT number"), "kind": "identifier", **PIRT},
        {"code": "ingredients", "name": ("Komposisi", "Ingredients"), "kind": "text"},
        {"code": "halal", "name": ("Halal", "Halal"), "kind": "choice", "options": [
            ("bersertifikat", "Bersertifikat halal", "Halal certified"),
            ("proses", "Sertifikasi sedang diproses", "Certification in progress"),
            ("belum", "Belum bersertifikat", "Not certified")]},
    ]


def _produce(extra: list[dict]) -> list[dict]:
    return [
        {"code": "grade", "name": ("Mutu", "Grade"), "kind": "choice", "options": GRADES},
        *extra,
        {"code": "supply_capacity", "name": ("Kapasitas pasok per periode", "Supply capacity per period"), "kind": "text"},
    ]


ATTRIBUTES: dict[str, list[dict]] = {
    "batik": [
        {"code": "technique", "name": ("Teknik batik", "Batik technique"), "kind": "choice", "options": [
            ("tulis", "Tulis", "Tulis (hand-drawn)"), ("cap", "Cap", "Cap (stamped)"),
            ("printing", "Printing", "Printing"), ("kombinasi", "Kombinasi tulis dan cap", "Kombinasi (tulis and cap)")]},
        {"code": "motif", "name": ("Motif", "Motif"), "kind": "text"},
        {"code": "fabric", "name": ("Bahan kain", "Fabric"), "kind": "text"},
        {"code": "dye", "name": ("Pewarna", "Dye"), "kind": "choice", "options": [
            ("alami", "Pewarna alami", "Natural dye"), ("sintetis", "Pewarna sintetis", "Synthetic dye")]},
        {"code": "size", "name": ("Ukuran", "Size"), "kind": "text"},
    ],
    "bordir": [{"code": "material", "name": ("Bahan", "Material"), "kind": "text"}],
    "makanan-olahan": _food(("gram", "grams"), ("Berat bersih", "Net weight")),
    "minuman": _food(("ml", "ml"), ("Isi bersih", "Net content")),
    "hasil-pertanian": _produce([
        {"code": "sales_unit", "name": ("Satuan jual", "Sales unit"), "kind": "choice", "options": [
            ("kg", "Kilogram", "Kilogram"), ("kuintal", "Kuintal", "Quintal (100 kg)"), ("ton", "Ton", "Tonne"),
            ("karung", "Karung", "Sack"), ("ikat", "Ikat", "Bunch")]},
        {"code": "harvest_season", "name": ("Musim panen", "Harvest season"), "kind": "text"},
    ]),
    "hasil-peternakan": _produce([]),
    "hasil-perikanan": _produce([]),
    "kerajinan-tangan": [
        {"code": "material", "name": ("Bahan", "Material"), "kind": "text"},
        {"code": "dimensions", "name": ("Ukuran (p × l × t)", "Dimensions (l × w × h)"), "kind": "text"},
    ],
}

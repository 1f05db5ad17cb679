"""Institutions shipped as reference data (the meeting of 27 January 2026 in Kabupaten Probolinggo)."""

from marketplace.institutions.models import InstitutionKind, ServiceKind

# slug -> fields, and the services offered: (kind, service standard in working days, description)
INSTITUTIONS = {
    "bbspjikb": {
        "name": "Balai Besar Standardisasi dan Pelayanan Jasa Industri Kerajinan dan Batik",
        "short_name": "BBSPJIKB", "kind": InstitutionKind.CERTIFICATION, "region_code": "35.13",
        "accreditation": "LSPr-025-IDN",
        "description": "Balai Kementerian Perindustrian untuk kerajinan dan batik. Lembaga sertifikasi produknya "
                       "terakreditasi LSPr-025-IDN: sertifikasi SNI dan industri hijau batik dan kerajinan, pengujian "
                       "produk, Batikmark, pelatihan UMKM.",
        "services": [
            (ServiceKind.SNI, 40, "Sertifikasi produk penggunaan tanda SNI untuk batik dan kerajinan."),
            (ServiceKind.INDUSTRI_HIJAU, 40, "Sertifikasi industri hijau batik sesuai standar industri hijau."),
            (ServiceKind.TESTING, 10, "Pengujian mutu produk batik dan kerajinan di laboratorium."),
            (ServiceKind.BATIK_MARK, 20, "Batikmark: tanda batik Indonesia untuk batik tulis, cap dan kombinasi."),
            (ServiceKind.CONSULTATION, 5, "Konsultasi mutu, standardisasi dan desain."),
        ],
    },
    "pendamping-pph-kab-probolinggo": {
        "name": "Pendampingan Proses Produk Halal (P3H) Kabupaten Probolinggo",
        "short_name": "Pendamping PPH Kab. Probolinggo", "kind": InstitutionKind.HALAL, "region_code": "35.13",
        "accreditation": "",
        "description": "Pendamping PPH untuk sertifikasi halal jalur self-declare (program SEHATI) bagi usaha mikro "
                       "dan kecil.",
        "services": [
            (ServiceKind.HALAL_SELF_DECLARE, 21, "Sertifikasi halal jalur self-declare: verifikasi dan validasi oleh "
                                                 "Pendamping PPH, lalu penerbitan sertifikat oleh BPJPH."),
            (ServiceKind.CONSULTATION, 5, "Konsultasi persiapan sertifikasi halal."),
        ],
    },
    "apbba-kab-probolinggo": {
        "name": "Asosiasi Pengrajin Batik dan Bordir (APBBA) Kabupaten Probolinggo",
        "short_name": "APBBA Kab. Probolinggo", "kind": InstitutionKind.ASSOCIATION, "region_code": "35.13",
        "accreditation": "",
        "description": "Asosiasi pengrajin batik dan bordir Kabupaten Probolinggo.",
        "services": [(ServiceKind.CONSULTATION, 10, "Pendampingan anggota dan konsultasi usaha batik dan bordir.")],
    },
}

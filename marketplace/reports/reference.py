"""BPS (Statistics Indonesia) codes of the regions of Jawa Timur, so exports join with other offices' data.

In Jawa Timur BPS numbers each kabupaten and kota like Kemendagri without the dot (DESIGN.md: Kemendagri 35.74 is
BPS 3574; 35.13 Kabupaten Probolinggo 3513, 35.14 Kabupaten Pasuruan 3514, 35.05 Kabupaten Blitar 3505, 35.07
Kabupaten Malang 3507, 35.04 Kabupaten Tulungagung 3504). The table is written out, not derived, because other
provinces do not always follow the rule and an office may correct a row."""

from marketplace.regions.reference import KABUPATEN, KOTA

BPS_CODES = {code: code.replace(".", "") for code, _name in (*KABUPATEN, *KOTA)}

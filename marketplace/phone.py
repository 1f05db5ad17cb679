"""Indonesian phone numbers, normalised to the international form WhatsApp wants (62…)."""

import re

_DIGITS = re.compile(r"\D")


def normalise_phone(raw: str) -> str | None:
    """'0812-3456-7890', '+62 812 3456 7890' or '8123456789' -> '6281234567890'; None if not a valid number."""
    digits = _DIGITS.sub("", raw or "")
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    national = national.lstrip("0")
    # Mobile numbers start with 8 and have 9-12 digits after the leading 0; landlines 2-9 with area code.
    if not re.fullmatch(r"[2-9]\d{7,11}", national):
        return None
    return "62" + national

"""The site's clock: local dates are Asia/Jakarta (WIB)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def today() -> date:
    """Today's date in Jakarta; agreements and showcases start and end on local dates."""
    return datetime.now(JAKARTA).date()

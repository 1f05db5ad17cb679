"""Active and dormant sellers over time: the coach's nightly DormancySnapshot, the last one of each month."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.coach.models import DormancySnapshot
from marketplace.extensions import db
from marketplace.reports.sql import local_month
from marketplace.reports.tables import Table, share


def dormant(scope, period) -> list[Table]:
    month = local_month(DormancySnapshot.day, is_date=True)
    last_days = (select(func.max(DormancySnapshot.day))
                 .where(DormancySnapshot.region_code.in_(scope.codes), period.contains_day(DormancySnapshot.day))
                 .group_by(month))
    found = db.session.execute(
        select(DormancySnapshot.day, func.sum(DormancySnapshot.active), func.sum(DormancySnapshot.dormant))
        .where(DormancySnapshot.region_code.in_(scope.codes), DormancySnapshot.day.in_(last_days))
        .group_by(DormancySnapshot.day).order_by(DormancySnapshot.day)).all()
    rows = [[day.isoformat(), int(a), int(d), share(int(d), int(a) + int(d))] for day, a, d in found]
    return [Table("dormant", _l("Active and dormant sellers"),
                  [_l("Day"), _l("Active"), _l("Dormant"), _l("Dormant (%)")], rows, chart=(0, (1, 2)),
                  note=_l("The last daily count of each month; a seller is dormant without an inquiry in 60 days."))]

"""The staples blueprint and the template helpers its pages share."""

from flask import Blueprint

from marketplace.staples import display
from marketplace.units import unit_label

bp = Blueprint("staples", __name__)


@bp.app_template_filter("staples_amount")
def _amount(value, unit: str) -> str:
    return display.amount(value, unit)


@bp.app_template_filter("staples_rupiah")
def _rupiah(value) -> str:
    return display.rupiah(value)


@bp.app_template_global("staples_price_hint")
def _price_hint(post, bands):
    return display.price_hint(post, bands)


@bp.app_template_global("staples_unit")
def _unit(code: str, count: int = 1) -> str:
    return unit_label(code, count)

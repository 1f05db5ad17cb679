"""Forms of the staples' reference data: a reference price, a CSV of prices, a commodity (staff and admins)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from marketplace.forms_common import Form, strip
from marketplace.staples.forms import PRICE, _choices, _integer
from marketplace.staples.models import Level
from marketplace.units import unit_label


class PriceForm(Form):
    commodity = SelectField(_l("Commodity"), validate_choice=False)
    level = SelectField(_l("Level"), choices=_choices(Level))
    region = SelectField(_l("Region"), validate_choice=False)
    valid_on = DateField(_l("Date"), validators=[InputRequired(_l("Enter a date."))])
    unit = SelectField(_l("Price per"), validate_choice=False)
    price_min = _integer(_l("Price (Rp)"), PRICE, required=True)
    price_max = _integer(_l("Up to (Rp, optional)"), PRICE)
    source = StringField(_l("Source"), filters=[strip], validators=[
        InputRequired(_l("Say where the price comes from, e.g. PIHPS Pasar Baru, 17 Juni 2025.")), Length(max=300)])

    def __init__(self, *args, commodities=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.commodities = {str(c.id): c for c in commodities}
        self.commodity.choices = [SelectChoice(str(c.id), c.name) for c in commodities]
        self.region.choices = [SelectChoice(code, label) for code, label in regions]
        units = {}
        for c in commodities:
            for u in c.units:
                units.setdefault(u.code, unit_label(u.code))
        self.unit.choices = [SelectChoice(code, label) for code, label in units.items()]

    def validate_commodity(self, field):
        if field.data not in self.commodities:
            raise ValidationError(_l("Choose a commodity from the list."))

    def validate_region(self, field):
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a region from the list."))

    def validate_unit(self, field):
        commodity = self.commodities.get(self.commodity.data or "")
        if commodity is not None and commodity.unit(field.data or "") is None:
            raise ValidationError(_l("%(unit)s is not a unit of %(commodity)s.", unit=unit_label(field.data or ""),
                                     commodity=commodity.name))

    def validate_price_max(self, field):
        if field.data is not None and self.price_min.data is not None and field.data < self.price_min.data:
            raise ValidationError(_l("The highest price is lower than the lowest: swap them or correct one."))


class ImportForm(Form):
    """Shown beside the price form, so used with the prefix "import"; the page's token is checked for every POST by
    CSRFProtect (extensions.csrf)."""

    class Meta:
        csrf = False

    file = FileField(_l("CSV file"), render_kw={"accept": ".csv,text/csv"})
    source = StringField(_l("Source"), filters=[strip], validators=[
        InputRequired(_l("Say where the file comes from, e.g. PIHPS Bank Indonesia, export of 1 Desember 2026.")),
        Length(max=300)])

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose the CSV file to import."))


class CommodityForm(Form):
    code = StringField(_l("Code (in the address, e.g. daging-ayam-ras)"), filters=[strip], validators=[
        InputRequired(_l("Enter a code.")), Length(max=60)])
    name_id = StringField(_l("Name in Indonesian"), filters=[strip], validators=[InputRequired(_l("Enter a name.")), Length(max=120)])
    name_en = StringField(_l("Name in English"), filters=[strip], validators=[InputRequired(_l("Enter a name.")), Length(max=120)])
    pihps_name = StringField(_l("Name in PIHPS / panel harga"), filters=[strip], validators=[Length(max=120)])
    base_unit = StringField(_l("Base unit (e.g. kg)"), filters=[strip], validators=[
        InputRequired(_l("Enter the base unit.")), Length(max=16)])
    units = TextAreaField(_l("Units, one a line: code = how many base units"), filters=[strip],
                          validators=[Length(max=2000)], render_kw={"rows": 4})
    grades = TextAreaField(_l("Grades, one a line: code | name in Indonesian | name in English | rank (higher is better)"),
                           filters=[strip], validators=[Length(max=4000)], render_kw={"rows": 4})

    def validate_code(self, field):
        import re

        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", field.data or ""):
            raise ValidationError(_l("Use lower-case letters, digits and dashes only."))

    def parsed_units(self) -> list[tuple[str, float]]:
        units = {self.base_unit.data: 1.0}
        for line in (self.units.data or "").splitlines():
            if not line.strip():
                continue
            code, _sep, factor = line.partition("=")
            try:
                value = float(factor.strip().replace(",", "."))
            except ValueError:
                value = 0
            if not code.strip() or not 0 < value < 1e9 or len(code.strip()) > 16:
                raise ValueError(line)
            units[code.strip()] = value
        return list(units.items())

    def parsed_grades(self) -> list[tuple[str, str, str, int]]:
        grades = []
        for line in (self.grades.data or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 4 or not all(parts) or not parts[3].lstrip("-").isdigit() or len(parts[0]) > 40:
                raise ValueError(line)
            grades.append((parts[0], parts[1][:120], parts[2][:120], int(parts[3])))
        return grades

    def validate_units(self, field):
        try:
            self.parsed_units()
        except ValueError as error:
            raise ValidationError(_l("Not a unit line: \"%(line)s\". Write e.g. ton = 1000.", line=str(error)[:60])) from None

    def validate_grades(self, field):
        try:
            self.parsed_grades()
        except ValueError as error:
            raise ValidationError(_l("Not a grade line: \"%(line)s\". Write e.g. ka15 | Kadar air 15 %% | Moisture 15 %% | 50.",
                                     line=str(error)[:60])) from None

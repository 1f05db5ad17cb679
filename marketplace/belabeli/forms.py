"""Forms of bela beli: the programme, an office, its headcount, a coordinator's invitation, a purchase, a seller's
dispute, a quote request and a seller's answer."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, EmailField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.belabeli.models import DEFAULT_MINIMUMS, OfficeKind, RankBand
from marketplace.forms_common import Form, strip

RUPIAH = {"inputmode": "numeric"}
MAX_RUPIAH = 10_000_000_000


def _amount(label, *, required=True):
    checks = [InputRequired(_l("Enter an amount in Rupiah, digits only."))] if required else [Optional()]
    return IntegerField(label, validators=[*checks, NumberRange(min=1, max=MAX_RUPIAH, message=_l(
        "Enter an amount of more than Rp 0."))], render_kw=RUPIAH)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProgrammeForm(Form):
    legal_basis = StringField(_l("Legal basis"), filters=[strip], validators=[
        InputRequired(_l("Name the legal basis, e.g. Instruksi Bupati Probolinggo 9/2024.")), Length(max=200)])
    starts_on = DateField(_l("Starts on"), validators=[InputRequired(_l("Enter a date."))])
    ends_on = DateField(_l("Ends on (optional)"), validators=[Optional()])
    purchase_points = TextAreaField(_l("Purchase points, one per line"), filters=[strip],
                                    validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})
    flag_after_days = IntegerField(_l("Flag purchases unconfirmed after this many days"), default=7, validators=[
        InputRequired(_l("Enter a number of days.")), NumberRange(min=1, max=60, message=_l("Enter 1 to 60 days."))],
        render_kw={"inputmode": "numeric"})
    staff = IntegerField(RankBand.STAFF.label, default=DEFAULT_MINIMUMS[RankBand.STAFF], render_kw=RUPIAH,
                         validators=[InputRequired(_l("Enter an amount in Rupiah, digits only.")), NumberRange(min=0, max=MAX_RUPIAH)])
    eselon_iv = IntegerField(RankBand.ESELON_IV.label, default=DEFAULT_MINIMUMS[RankBand.ESELON_IV], render_kw=RUPIAH,
                             validators=[InputRequired(_l("Enter an amount in Rupiah, digits only.")), NumberRange(min=0, max=MAX_RUPIAH)])
    eselon_iii = IntegerField(RankBand.ESELON_III.label, default=DEFAULT_MINIMUMS[RankBand.ESELON_III], render_kw=RUPIAH,
                              validators=[InputRequired(_l("Enter an amount in Rupiah, digits only.")), NumberRange(min=0, max=MAX_RUPIAH)])
    head = IntegerField(RankBand.HEAD.label, default=DEFAULT_MINIMUMS[RankBand.HEAD], render_kw=RUPIAH,
                        validators=[InputRequired(_l("Enter an amount in Rupiah, digits only.")), NumberRange(min=0, max=MAX_RUPIAH)])
    eselon_ii = IntegerField(RankBand.ESELON_II.label, default=DEFAULT_MINIMUMS[RankBand.ESELON_II], render_kw=RUPIAH,
                             validators=[InputRequired(_l("Enter an amount in Rupiah, digits only.")), NumberRange(min=0, max=MAX_RUPIAH)])

    def minimums(self) -> dict[RankBand, int]:
        return {band: getattr(self, band.value).data for band in RankBand}


class OfficeForm(Form):
    name = StringField(_l("Name of the office"), filters=[strip], validators=[
        InputRequired(_l("Enter the office's name.")), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, k.label) for k in OfficeKind])


class HeadcountForm(Form):
    """Civil servants of the office per rank band: numbers only."""

    staff = IntegerField(RankBand.STAFF.label, default=0, validators=[InputRequired(), NumberRange(min=0, max=100_000)])
    eselon_iv = IntegerField(RankBand.ESELON_IV.label, default=0, validators=[InputRequired(), NumberRange(min=0, max=100_000)])
    eselon_iii = IntegerField(RankBand.ESELON_III.label, default=0, validators=[InputRequired(), NumberRange(min=0, max=100_000)])
    head = IntegerField(RankBand.HEAD.label, default=0, validators=[InputRequired(), NumberRange(min=0, max=100_000)])
    eselon_ii = IntegerField(RankBand.ESELON_II.label, default=0, validators=[InputRequired(), NumberRange(min=0, max=100_000)])

    def counts(self) -> dict[RankBand, int]:
        return {band: getattr(self, band.value).data for band in RankBand}


class CoordinatorForm(Form):
    email = EmailField(_l("Email"), filters=[strip], validators=[
        InputRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address, e.g. nama@contoh.id."), check_deliverability=False)])
    name = StringField(_l("Full name"), filters=[strip], validators=[InputRequired(_l("Enter your name.")), Length(max=120)])
    locale = SelectField(_l("Language of the invitation"), default="id",
                         choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")])


class ServantForm(CoordinatorForm):
    """A civil servant of the office, invited to log their own purchases: their rank band fixes their minimum."""

    band = SelectField(_l("Rank band"), choices=[SelectChoice(b.value, b.label) for b in RankBand])


class PurchaseForm(Form):
    business = SelectField(_l("Seller"), validators=[InputRequired(_l("Choose the seller."))])
    products = SelectMultipleField(_l("Products (optional)"), validate_choice=False, coerce=str)
    amount = _amount(_l("Amount in Rupiah"))
    bought_on = DateField(_l("Date of purchase"), validators=[InputRequired(_l("Enter a date."))])
    band = SelectField(_l("Rank band of the buyer"), choices=[SelectChoice(b.value, b.label) for b in RankBand])
    receipt = FileField(_l("Photo of the receipt"), render_kw={"accept": "image/*", "capture": "environment"})
    note = StringField(_l("Note (optional)"), filters=[strip], validators=[Optional(), Length(max=300)])

    def product_ids(self) -> list[int]:
        return [int(value) for value in self.products.data or [] if value.isdigit()]


class DisputeForm(Form):
    reason = TextAreaField(_l("What is wrong with this purchase?"), filters=[strip], validators=[
        InputRequired(_l("Say what is wrong with this purchase.")), Length(max=1000)], render_kw={"rows": 2})


class QuoteForm(Form):
    what = StringField(_l("What is needed"), filters=[strip], validators=[
        InputRequired(_l("Say what is needed, e.g. nasi kotak and snacks.")), Length(max=200)])
    quantity = StringField(_l("Quantity"), filters=[strip], validators=[
        InputRequired(_l("Enter the quantity, e.g. 50 boxes.")), Length(max=80)])
    needed_on = DateField(_l("Date"), validators=[InputRequired(_l("Enter a date."))])
    budget = _amount(_l("Budget in Rupiah (optional)"), required=False)
    occasion = StringField(_l("Meeting or event"), filters=[strip], validators=[Optional(), Length(max=200)])
    sellers = CheckboxesField(_l("Food sellers to ask"), coerce=str, validators=[
        InputRequired(_l("Choose one or more sellers."))])

    def seller_ids(self) -> list[int]:
        return [int(value) for value in self.sellers.data or [] if value.isdigit()]


class AnswerForm(Form):
    price = _amount(_l("Your price in Rupiah"))
    note = TextAreaField(_l("Note (what is included)"), filters=[strip], validators=[Optional(), Length(max=500)],
                         render_kw={"rows": 2})

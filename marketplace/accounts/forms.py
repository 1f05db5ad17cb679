"""Account forms; every message goes through the catalogue."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from marketplace.accounts.models import Role
from marketplace.forms_common import region_choices, strip, validate_phone_number, validate_region_choice

MIN_PASSWORD = 8


def _new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(_l("Enter a password.")),
            Length(min=MIN_PASSWORD, max=200, message=_l("The password must be at least %(n)d characters.", n=MIN_PASSWORD)),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[InputRequired(_l("Repeat the password.")), EqualTo("password", _l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class RegionFieldMixin:
    def validate_region(self, field):
        validate_region_choice(field)

    def validate_phone(self, field):
        validate_phone_number(field)


class RegistrationForm(RegionFieldMixin, FlaskForm):
    role = RadioField(
        _l("I want to"),
        choices=[SelectChoice(Role.BUYER.value, _l("buy products (buyer)")),
                 SelectChoice(Role.OWNER.value, _l("sell my UMKM products (owner)"))],
        default=Role.BUYER.value,
        validators=[InputRequired(_l("Choose buyer or owner."))],
    )
    name = StringField(_l("Full name"), filters=[strip], validators=[InputRequired(_l("Enter your name.")), Length(max=120)],
                       render_kw={"autocomplete": "name"})
    email = EmailField(_l("Email"), filters=[strip], validators=[
        InputRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address, e.g. nama@contoh.id."), check_deliverability=False),
        Length(max=254),
    ], render_kw={"autocomplete": "email"})
    phone = TelField(_l("Phone / WhatsApp (optional)"), validators=[Optional(), Length(max=30)],
                     render_kw={"autocomplete": "tel", "inputmode": "tel"})
    region = SelectField(_l("Home region"), validators=[InputRequired(_l("Choose your home region."))],
                         validate_choice=False)
    password, confirm_password = _new_password_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[strip], validators=[InputRequired(_l("Enter your email address."))],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me logged in on this device"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[strip], validators=[
        InputRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address, e.g. nama@contoh.id."), check_deliverability=False),
    ], render_kw={"autocomplete": "email"})


class ResetPasswordForm(FlaskForm):
    password, confirm_password = _new_password_fields()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password"})
    password, confirm_password = _new_password_fields()


class ProfileForm(RegionFieldMixin, FlaskForm):
    name = StringField(_l("Full name"), filters=[strip], validators=[InputRequired(_l("Enter your name.")), Length(max=120)])
    phone = TelField(_l("Phone / WhatsApp (optional)"), validators=[Optional(), Length(max=30)],
                     render_kw={"autocomplete": "tel", "inputmode": "tel"})
    region = SelectField(_l("Home region"), validate_choice=False)
    locale = SelectField(_l("Language"), choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()

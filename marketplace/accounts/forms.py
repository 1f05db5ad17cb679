"""Account forms; every message goes through the catalogue."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, ValidationError

from marketplace.accounts.models import Role
from marketplace.accounts.passwords import min_length, password_problem
from marketplace.forms_common import Form, region_choices, strip, validate_phone_number, validate_region_choice


def new_password_field() -> PasswordField:
    """A field for a new password; the form's validate_password (NewPasswordMixin) applies the policy."""
    return PasswordField(_l("Password"), validators=[InputRequired(_l("Enter a password."))],
                         render_kw={"autocomplete": "new-password"})


class NewPasswordMixin:
    """A form that sets a password: the policy (accounts/passwords.py) for the account's role, with its email and name.

    Forms for an existing account get it as `account=`; forms that create one override password_role/_inputs."""

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def password_role(self) -> Role:
        return self.account.role

    def password_inputs(self) -> tuple[str, ...]:
        return (self.account.email, self.account.name)

    def password_help(self):
        """The policy in one sentence, for the help under the field."""
        return _l("At least %(n)d characters. Spaces and any letters are allowed: a few words that do not belong "
                  "together make a strong password that is easy to remember. Common and leaked passwords are refused.",
                  n=min_length(self.password_role()))

    def validate_password(self, field):
        problem = password_problem(field.data, self.password_role(), self.password_inputs())
        if problem is not None:
            raise ValidationError(problem)


def _new_password_fields():
    password = new_password_field()
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


class RegistrationForm(RegionFieldMixin, NewPasswordMixin, Form):
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

    def password_role(self) -> Role:
        """The role chosen on the form (buyer or owner); the policy is checked against it."""
        return Role.OWNER if self.role.data == Role.OWNER.value else Role.BUYER

    def password_inputs(self) -> tuple[str, ...]:
        return (self.email.data or "", self.name.data or "")


class LoginForm(Form):
    email = EmailField(_l("Email"), filters=[strip], validators=[InputRequired(_l("Enter your email address."))],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me logged in on this device"))


class ResetRequestForm(Form):
    email = EmailField(_l("Email"), filters=[strip], validators=[
        InputRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address, e.g. nama@contoh.id."), check_deliverability=False),
    ], render_kw={"autocomplete": "email"})


class ResetPasswordForm(NewPasswordMixin, Form):
    password, confirm_password = _new_password_fields()


class ChangePasswordForm(NewPasswordMixin, Form):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password"})
    password, confirm_password = _new_password_fields()


class ProfileForm(RegionFieldMixin, Form):
    name = StringField(_l("Full name"), filters=[strip], validators=[InputRequired(_l("Enter your name.")), Length(max=120)])
    phone = TelField(_l("Phone / WhatsApp (optional)"), validators=[Optional(), Length(max=30)],
                     render_kw={"autocomplete": "tel", "inputmode": "tel"})
    region = SelectField(_l("Home region"), validate_choice=False)
    locale = SelectField(_l("Language"), choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()

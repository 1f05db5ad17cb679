"""Forms of institutions, service requests and training cohorts."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from marketplace.admin.forms import CheckboxesField
from marketplace.forms_common import Form, as_integer, region_choices, strip, validate_region_choice
from marketplace.institutions.models import InstitutionKind, ServiceKind
from marketplace.institutions.request_models import DocumentKind
from marketplace.institutions.training_models import Eligibility


class InstitutionForm(Form):
    name = StringField(_l("Name"), filters=[strip], validators=[InputRequired(_l("Enter the name.")), Length(max=200)])
    short_name = StringField(_l("Short name"), filters=[strip], validators=[Optional(), Length(max=60)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, k.label) for k in InstitutionKind])
    region = SelectField(_l("Region"), validate_choice=False,
                         validators=[InputRequired(_l("Choose a region from the list."))])
    accreditation = StringField(_l("Accreditation (e.g. LSPr-025-IDN)"), filters=[strip],
                                validators=[Optional(), Length(max=80)])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional(), Length(max=3000)],
                                render_kw={"rows": 3})
    address = TextAreaField(_l("Address"), filters=[strip], validators=[Optional(), Length(max=500)], render_kw={"rows": 2})
    phone = StringField(_l("Phone"), filters=[strip], validators=[Optional(), Length(max=40)])
    email = EmailField(_l("Email"), filters=[strip], validators=[
        Optional(), Length(max=254), Email(_l("Enter a valid email address, e.g. nama@contoh.id."), check_deliverability=False)])
    website = URLField(_l("Website"), filters=[strip], validators=[
        Optional(), Length(max=300), URL(message=_l("Enter a full address starting with https://"))])
    active = BooleanField(_l("Active (shown and open to requests)"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()

    def validate_region(self, field):
        validate_region_choice(field)


class ServiceForm(Form):
    kind = SelectField(_l("Service"), choices=[SelectChoice(k.value, k.label) for k in ServiceKind])
    standard_days = IntegerField(_l("Service standard (working days)"), validators=[
        InputRequired(_l("Enter the service standard in working days.")),
        NumberRange(min=1, max=365, message=_l("Enter a number of working days from 1 to 365."))])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional(), Length(max=2000)],
                                render_kw={"rows": 2})
    active = BooleanField(_l("Offered"), default=True)


def _product_choices(products):
    """A cooperative's products say which member produced them: the owner matches products to members."""
    return [SelectChoice(str(p.id), f"{p.name} ({p.member.name})" if p.member else p.name) for p in products]


class RequestForm(Form):
    """What the owner enters on a request: the products, their ingredients and a note."""

    products = CheckboxesField(_l("Products the request is for"), validate_choice=False)
    ingredients = TextAreaField(_l("Ingredients (one a line, with the halal certificate of each bought ingredient)"),
                                filters=[strip], validators=[Optional(), Length(max=5000)], render_kw={"rows": 4})
    note = TextAreaField(_l("Note to the institution"), filters=[strip], validators=[Optional(), Length(max=2000)],
                         render_kw={"rows": 2})
    members = CheckboxesField(_l("Member producers (a group request)"), validate_choice=False)

    def __init__(self, products=(), members=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.products.choices = _product_choices(products)
        self.members.choices = [SelectChoice(str(m.id), f"{m.name} · {m.desa}") for m in members]

    def validate_members(self, field):
        known = {c.value for c in field.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError(_l("Choose members of this cooperative whose consent is in force."))

    def chosen_member_ids(self) -> set[int]:
        return {as_integer(value) for value in self.members.data or []} - {None}

    def validate_products(self, field):
        known = {c.value for c in field.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError(_l("Choose a product from the list."))

    def chosen_ids(self) -> set[int]:
        return {as_integer(value) for value in self.products.data or []} - {None}


class NewRequestForm(RequestForm):
    business = SelectField(_l("Business"), validate_choice=False)
    service = SelectField(_l("Service and institution"), validate_choice=False)

    def __init__(self, businesses=(), services=(), products=(), members=(), *args, **kwargs):
        super().__init__(products, members, *args, **kwargs)
        self.business.choices = [SelectChoice(str(b.id), b.name) for b in businesses]
        self.service.choices = [SelectChoice(str(s.id), f"{s.kind.label} – {s.institution.display_name}") for s in services]

    def validate_business(self, field):
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a business from the list."))

    def validate_service(self, field):
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a service from the list."))


class MemberDecisionForm(Form):
    """The staff's decision on one member of a group request: a certificate of their own, or a reason."""

    version = HiddenField()
    number = StringField(_l("Certificate number"), filters=[strip], validators=[Optional(), Length(max=80)])
    valid_until = DateField(_l("Valid until"), validators=[Optional()])
    document = FileField(_l("Certificate document (PDF or photo)"), render_kw={"accept": "application/pdf,image/*"})
    note = TextAreaField(_l("Reason"), filters=[strip], validators=[Optional(), Length(max=3000)], render_kw={"rows": 2})

    @property
    def seen_version(self) -> int | None:
        return as_integer(str(self.version.data or ""))


class DocumentForm(Form):
    kind = SelectField(_l("Document"), choices=[SelectChoice(k.value, k.label) for k in DocumentKind])
    document = FileField(_l("File (PDF or photo)"), render_kw={"accept": "application/pdf,image/*"})

    def validate_document(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose a file: a PDF, or a photo (JPEG, PNG, WebP or HEIC)."))


class DecisionForm(Form):
    """One decision of the institution's staff; the page shows one such form per action the state allows (each with
    its own prefix), with only the fields that action uses."""

    version = HiddenField()
    note = TextAreaField(_l("Note to the owner"), filters=[strip], validators=[Optional(), Length(max=3000)],
                         render_kw={"rows": 3})
    visit_on = DateField(_l("Visit"), validators=[Optional()])
    sample_on = DateField(_l("Sample taken"), validators=[Optional()])
    test_on = DateField(_l("Test"), validators=[Optional()])
    number = StringField(_l("Certificate number"), filters=[strip], validators=[Optional(), Length(max=80)])
    scope = TextAreaField(_l("Scope"), filters=[strip], validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    valid_until = DateField(_l("Valid until"), validators=[Optional()])
    document = FileField(_l("Certificate document (PDF or photo)"), render_kw={"accept": "application/pdf,image/*"})

    @property
    def seen_version(self) -> int | None:
        return as_integer(str(self.version.data or ""))


class RecommendationForm(Form):
    recommendation = TextAreaField(_l("Recommendation to the institution"), filters=[strip],
                                   validators=[InputRequired(_l("Write the recommendation.")), Length(max=2000)],
                                   render_kw={"rows": 3})


class CohortEditForm(Form):
    """What may change once a cohort is published: schedule, venue, capacity, description."""

    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional(), Length(max=3000)],
                                render_kw={"rows": 3})
    starts_on = DateField(_l("First day"), validators=[InputRequired(_l("Enter the first day."))])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(_l("Enter the last day."))])
    online = BooleanField(_l("Online"))
    venue = StringField(_l("Venue"), filters=[strip], validators=[Optional(), Length(max=200)])
    region = SelectField(_l("Region of the venue"), validate_choice=False)
    capacity = IntegerField(_l("Seats"), validators=[InputRequired(_l("Enter the number of seats.")),
                                                     NumberRange(min=1, max=5000, message=_l("Enter 1 to 5000 seats."))])
    enrol_by = DateField(_l("Enrolment deadline"), validators=[InputRequired(_l("Enter the enrolment deadline."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()

    def validate_region(self, field):
        validate_region_choice(field)
        if not self.online.data and not field.data:
            raise ValidationError(_l("Choose the region of the venue, or tick online."))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day is before the first day."))

    def validate_enrol_by(self, field):
        if field.data and self.starts_on.data and field.data > self.starts_on.data:
            raise ValidationError(_l("The deadline must be on or before the first day."))


class CohortForm(CohortEditForm):
    """A new cohort: also its topic and who may enrol, fixed once published."""

    topic = StringField(_l("Topic"), filters=[strip], validators=[InputRequired(_l("Enter the topic.")), Length(max=200)])
    eligibility = SelectField(_l("Who may enrol"), choices=[SelectChoice(e.value, e.label) for e in Eligibility])
    eligible_region = SelectField(_l("Region (when only one region's UMKM may enrol)"), validate_choice=False)
    eligible_category = SelectField(_l("Sector (when only one sector may enrol)"), validate_choice=False)

    def __init__(self, categories=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.eligible_region.choices = region_choices()
        self.eligible_category.choices = [SelectChoice("", _l("— choose a sector —"))] + [
            SelectChoice(str(c.id), c.name_id) for c in categories]

    def validate_eligible_region(self, field):
        validate_region_choice(field)
        if self.eligibility.data == Eligibility.REGION.value and not field.data:
            raise ValidationError(_l("Choose the region whose UMKM may enrol."))

    def validate_eligible_category(self, field):
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a sector from the list."))
        if self.eligibility.data == Eligibility.SECTOR.value and not field.data:
            raise ValidationError(_l("Choose the sector that may enrol."))


class EnrolForm(Form):
    business = SelectField(_l("For the business"), validate_choice=False)
    member = SelectField(_l("Participant"), validate_choice=False)
    young = BooleanField(_l("The participant is 30 or younger"))
    show_name = BooleanField(_l("The participant's name may be shown when someone checks the certificate of attendance"))

    def __init__(self, businesses=(), members=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.business.choices = [SelectChoice(str(b.id), b.name) for b in businesses]
        self.member.choices = [SelectChoice("", _l("Myself"))] + [
            SelectChoice(str(m.id), f"{m.name} · {m.business.name}") for m in members]
        self.members = {str(m.id): m for m in members}

    def validate_business(self, field):
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a business from the list."))

    def validate_member(self, field):
        if not field.data:
            return
        member = self.members.get(field.data)
        if member is None:
            raise ValidationError(_l("Choose a member of the cooperative from the list."))
        if str(member.business_id) != self.business.data:
            raise ValidationError(_l("Choose the cooperative this member belongs to as the business."))

    @property
    def chosen_member(self):
        return self.members.get(self.member.data or "")


class EnrolmentChoicesForm(Form):
    show_name = BooleanField(_l("Show my name when someone checks my certificate"))
    show_on_business = BooleanField(_l("Show this training on my business page"))

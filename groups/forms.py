from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Fieldset, Layout, Row
from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from groups.enums import CohortState, StaffRole
from groups.models import DECLINE_REASON_MAX_LENGTH, Candidate, Chapter, Cohort
from members.fields import SiretFormField
from members.models import User
from members.validators import validate_siret
from plato.dates import PlausibleDateFormField


class ChapterSettingsForm(forms.ModelForm):
    """A chapter's own rules. Identity (code, region, department) and the invoice number
    prefix are the admins' business: changing the prefix mid-year would break the
    chapter's gapless invoice series."""

    months_off = forms.TypedMultipleChoiceField(
        label=_("Months without meetings"),
        choices=[(number, name) for number, name in MONTHS.items()],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Chapter
        fields = [
            "name",
            "cci_name",
            "fee",
            "programme_commitment",
            "vat_rate",
            "vat_exemption_text",
            "issuer_legal_name",
            "issuer_address",
            "issuer_postcode",
            "issuer_town",
            "issuer_siret",
            "issuer_vat_number",
            "issuer_iban",
            "issuer_bic",
            "payment_terms_days",
            "instalments",
            "late_penalty_rate",
            "early_payment_discount",
            "meeting_weekday",
            "meeting_start_time",
            "meeting_end_time",
            "months_off",
            "vote_close_days",
            "votes_per_member",
            "absence_limit",
            "absence_window_months",
            "group_min_size",
            "group_max_size",
            "competitor_granularity",
        ]
        widgets = {
            "programme_commitment": forms.Textarea(attrs={"rows": 2}),
            "meeting_start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "meeting_end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        half = "col-md-6"
        self.helper.layout = Layout(
            Fieldset(_("Chapter"), Row(Column("name", css_class=half), Column("cci_name", css_class=half))),
            Fieldset(
                _("Programme and fee"),
                Row(Column("fee", css_class="col-md-4"), Column("vat_rate", css_class="col-md-4")),
                "vat_exemption_text",
                "programme_commitment",
            ),
            Fieldset(
                _("Invoice issuer"),
                "issuer_legal_name",
                "issuer_address",
                Row(
                    Column("issuer_postcode", css_class="col-md-4"),
                    Column("issuer_town", css_class="col-md-8"),
                ),
                Row(Column("issuer_siret", css_class=half), Column("issuer_vat_number", css_class=half)),
                Row(Column("issuer_iban", css_class="col-md-8"), Column("issuer_bic", css_class="col-md-4")),
                Row(
                    Column("payment_terms_days", css_class="col-md-4"),
                    Column("instalments", css_class="col-md-4"),
                ),
                "late_penalty_rate",
                "early_payment_discount",
            ),
            Fieldset(
                _("Meetings"),
                Row(
                    Column("meeting_weekday", css_class="col-md-4"),
                    Column("meeting_start_time", css_class="col-md-4"),
                    Column("meeting_end_time", css_class="col-md-4"),
                ),
                "months_off",
                Row(Column("vote_close_days", css_class=half), Column("votes_per_member", css_class=half)),
                Row(Column("absence_limit", css_class=half), Column("absence_window_months", css_class=half)),
            ),
            Fieldset(
                _("Groups"),
                Row(Column("group_min_size", css_class=half), Column("group_max_size", css_class=half)),
                "competitor_granularity",
            ),
        )

    def clean(self):
        """Put cross-field errors next to the field to correct (the database
        constraints say the same, but only at the top of the form)."""
        cleaned = super().clean()
        if cleaned.get("vat_rate") == 0 and not cleaned.get("vat_exemption_text"):
            self.add_error(
                "vat_exemption_text", _("A chapter that charges no VAT must state the exemption wording.")
            )
        low, high = cleaned.get("group_min_size"), cleaned.get("group_max_size")
        if low is not None and high is not None and low > high:
            self.add_error("group_min_size", _("The minimum group size cannot exceed the maximum."))
        start, end = cleaned.get("meeting_start_time"), cleaned.get("meeting_end_time")
        if start and end and start >= end:
            self.add_error("meeting_end_time", _("Meetings must end after they start."))
        return cleaned

    def clean_issuer_iban(self):
        from stdnum import iban
        from stdnum.exceptions import ValidationError as StdnumError

        value = iban.compact(self.cleaned_data["issuer_iban"] or "")
        if value:
            try:
                iban.validate(value)
            except StdnumError:
                raise forms.ValidationError(
                    _("This IBAN is not valid: check its length and its 2 check digits."), code="iban"
                ) from None
        return value


def _helper(layout=None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    if layout is not None:
        helper.layout = layout
    return helper


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person} — {person.company}" if person.company_id else str(person)


def clean_plausible_start(value):
    """A cohort's start: from its chapter's history (30 years back) to 5 years ahead."""
    if value is None:
        return value
    this_year = timezone.localdate().year
    if not this_year - 30 <= value.year <= this_year + 5:
        raise forms.ValidationError(
            _("A start date in %(year)d is not plausible: check the year.") % {"year": value.year}
        )
    return value


class CohortForm(forms.ModelForm):
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Cohort
        fields = ["name", "start_date"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {"name": {"required": _("Give the cohort a name, e.g. Golfe du Morbihan 2027.")}}
        help_texts = {"start_date": _("The first meeting's month; the programme ends two years later.")}

    def __init__(self, *args, chapter: Chapter, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapter = chapter
        self.fields["facilitators"].queryset = User.objects.filter(
            chapter_roles__chapter=chapter, chapter_roles__role=StaffRole.FACILITATOR
        ).order_by("last_name", "first_name")
        if self.instance.pk:
            self.fields["facilitators"].initial = list(self.instance.facilitators.all())
        self.helper = _helper(
            Layout(
                Row(Column("name", css_class="col-md-8"), Column("start_date", css_class="col-md-4")),
                "facilitators",
            )
        )

    def clean_start_date(self):
        return clean_plausible_start(self.cleaned_data["start_date"])

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Cohort.objects.filter(chapter=self.chapter, name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("Another cohort of this chapter is already called “%(name)s”.") % {"name": name}
            )
        return name


class JustificationMixin(forms.Form):
    justification = forms.CharField(
        label=_("Justification for letting a competitor in"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only if the rule refuses and you decide otherwise: your reason is kept in the cohort's audit log."
        ),
    )


class MembershipAddForm(JustificationMixin):
    person = _PersonChoiceField(
        label=_("Leader"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose the leader who joins the cohort.")},
        help_text=_("People of the chapter with a company; the company joins with them."),
    )
    field_order = ["person", "justification"]

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            User.objects.filter(company__chapter=cohort.chapter, is_active=True)
            .select_related("company")
            .order_by("last_name", "first_name")
        )
        self.helper = _helper()


class WithdrawForm(forms.Form):
    left_on = PlausibleDateFormField(
        label=_("Left on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date the member left.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the member leaves: it stays in their history.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class SponsorAddForm(forms.Form):
    person = _PersonChoiceField(
        label=_("Sponsor"),
        queryset=User.objects.none(),
        error_messages={"required": _("Choose the executive who sponsors the cohort.")},
        help_text=_("An executive of a larger company of the chapter, recorded with their company."),
    )

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            User.objects.filter(company__chapter=cohort.chapter, is_active=True)
            .select_related("company")
            .order_by("last_name", "first_name")
        )
        self.helper = _helper()


class ConflictForm(forms.Form):
    """A coordinator declares two companies (or candidates) of the chapter in conflict."""

    party = forms.ChoiceField(label=_("Company"))
    other_party = forms.ChoiceField(label=_("competes with"))
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why these two companies compete.")},
    )

    def __init__(self, *args, parties: dict[str, tuple[str, str]], **kwargs):
        """`parties`: SIREN → (name, label) of every company and open candidate of the chapter."""
        super().__init__(*args, **kwargs)
        self.parties = parties
        choices = [("", _("— Choose —"))] + [(siren, label) for siren, (_name, label) in parties.items()]
        for name in ("party", "other_party"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["required"] = _("Choose a company.")
            self.fields[name].error_messages["invalid_choice"] = _("Choose a company of the list.")
        self.helper = _helper(
            Layout(
                Row(Column("party", css_class="col-md-6"), Column("other_party", css_class="col-md-6")),
                "reason",
            )
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("party") and cleaned.get("party") == cleaned.get("other_party"):
            self.add_error("other_party", _("Choose two different companies."))
        return cleaned


class MemberConflictForm(forms.Form):
    """A member names a company they compete with, known to the CCI or not."""

    company_name = forms.CharField(
        label=_("Company name"), max_length=150, error_messages={"required": _("Enter the company's name.")}
    )
    siret = SiretFormField(
        label=_("Its SIRET"),
        help_text=_("14 digits, found on societe.com or the company's invoices."),
        error_messages={"required": _("Enter the company's SIRET (14 digits).")},
    )
    reason = forms.CharField(
        label=_("How do you compete?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say in a few words how you compete.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["siret"].validators.append(validate_siret)
        self.helper = _helper()


TOO_LONG = _("Keep it to %(limit_value)d characters at most (this text has %(show_value)d).")


def say_how_long(form: forms.Form) -> None:
    """Every text field says how long it may be, and by how much the text is over, in
    words a person understands (the text stays in the field, nothing is lost)."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length:
            field.error_messages["max_length"] = TOO_LONG


class ApplicationForm(forms.ModelForm):
    """The public application form: what a leader types once, kept whatever the errors."""

    consent = forms.BooleanField(
        label=_("I agree that the CCI keeps these details to study my application and contacts me about it."),
        error_messages={"required": _("Tick the box so that the CCI may keep your details.")},
    )
    # Left empty by people; robots fill every field.
    website = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Candidate
        fields = [
            "company_name",
            "siret",
            "naf_code",
            "size_band",
            "postcode",
            "town",
            "first_name",
            "last_name",
            "email",
            "phone",
            "motivation",
        ]
        labels = {
            "first_name": _("Your first name"),
            "last_name": _("Your last name"),
            "email": _("Your e-mail address"),
            "phone": _("Your phone number"),
            "motivation": _("What do you expect from a Plato group?"),
        }
        widgets = {"motivation": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "company_name": {"required": _("Enter your company's name.")},
            "siret": {"required": _("Enter your company's SIRET (14 digits, on your Kbis).")},
            "naf_code": {
                "required": _("Enter your NAF/APE code, e.g. 62.01Z (on your Kbis or INSEE notice).")
            },
            "size_band": {"required": _("Choose your company's size.")},
            "postcode": {"required": _("Enter your postcode.")},
            "town": {"required": _("Enter your town.")},
            "first_name": {"required": _("Enter your first name.")},
            "last_name": {"required": _("Enter your last name.")},
            "email": {
                "required": _("Enter your e-mail address."),
                "invalid": _("Enter a valid e-mail address."),
            },
            "phone": {"required": _("Enter a phone number where the coordinator can call you.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_how_long(self)
        self.fields["size_band"].required = True
        self.fields["phone"].required = True
        self.fields["phone"].widget.attrs.update({"type": "tel", "autocomplete": "tel"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["postcode"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})
        self.fields["website"].label = ""
        self.helper = _helper(
            Layout(
                Fieldset(
                    _("Your company"),
                    "company_name",
                    Row(Column("siret", css_class="col-md-6"), Column("naf_code", css_class="col-md-6")),
                    "size_band",
                    Row(Column("postcode", css_class="col-md-4"), Column("town", css_class="col-md-8")),
                ),
                Fieldset(
                    _("You"),
                    Row(
                        Column("first_name", css_class="col-md-6"), Column("last_name", css_class="col-md-6")
                    ),
                    Row(Column("email", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
                    "motivation",
                    "consent",
                ),
                Div("website", css_class="hp-field", aria_hidden="true"),
            )
        )


class CandidateForm(forms.ModelForm):
    """A coordinator enters or corrects a candidate."""

    class Meta:
        model = Candidate
        fields = ApplicationForm.Meta.fields
        widgets = ApplicationForm.Meta.widgets
        error_messages = ApplicationForm.Meta.error_messages

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_how_long(self)
        self.helper = _helper(
            Layout(
                Fieldset(
                    _("Company"),
                    "company_name",
                    Row(Column("siret", css_class="col-md-6"), Column("naf_code", css_class="col-md-6")),
                    "size_band",
                    Row(Column("postcode", css_class="col-md-4"), Column("town", css_class="col-md-8")),
                ),
                Fieldset(
                    _("Leader"),
                    Row(
                        Column("first_name", css_class="col-md-6"), Column("last_name", css_class="col-md-6")
                    ),
                    Row(Column("email", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
                    "motivation",
                ),
            )
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=DECLINE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the application is declined.")},
        help_text=_("e.g. a competitor is already in every group; company too large."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_how_long(self)
        self.helper = _helper()


class PlaceForm(JustificationMixin):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        error_messages={
            "required": _("Choose the cohort."),
            "invalid_choice": _("Choose a cohort of the list."),
        },
    )
    field_order = ["cohort", "justification"]

    def __init__(self, *args, chapter: Chapter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = (
            Cohort.objects.filter(chapter=chapter).exclude(state=CohortState.CLOSED).order_by("name")
        )
        self.helper = _helper()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        error_messages={"required": _("Choose the CSV file to import."), "empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    qualified = forms.BooleanField(
        label=_("These candidates are already qualified (met by the CCI)"),
        required=False,
        help_text=_("Qualified candidates go straight to the composer."),
    )
    cohort = forms.ModelChoiceField(
        label=_("Place them directly in a cohort (optional)"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("— No: keep them as candidates —"),
        help_text=_("For a cohort formed outside Plato: the competitor rule is checked for every row."),
        error_messages={"invalid_choice": _("Choose a cohort of the list.")},
    )

    def __init__(self, *args, chapter: Chapter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = (
            Cohort.objects.filter(chapter=chapter).exclude(state=CohortState.CLOSED).order_by("name")
        )
        self.helper = _helper()


class ComposeForm(forms.Form):
    min_size = forms.IntegerField(label=_("Minimum group size"), min_value=2, max_value=30)
    max_size = forms.IntegerField(label=_("Maximum group size"), min_value=2, max_value=30)

    def __init__(self, *args, chapter: Chapter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_size"].initial = chapter.group_min_size
        self.fields["max_size"].initial = chapter.group_max_size
        # Smaller groups may be tried; larger ones than the chapter allows could never be confirmed.
        for name in ("min_size", "max_size"):
            field = self.fields[name]
            field.max_value = chapter.group_max_size
            field.validators = [v for v in field.validators if not isinstance(v, MaxValueValidator)]
            field.validators.append(MaxValueValidator(chapter.group_max_size))
            field.widget.attrs["max"] = chapter.group_max_size
            field.error_messages["max_value"] = _(
                "At most %(limit_value)s: the chapter's maximum group size (see its settings)."
            )
        self.helper = _helper(
            Layout(Row(Column("min_size", css_class="col-6"), Column("max_size", css_class="col-6")))
        )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_size"), cleaned.get("max_size")
        if low and high and low > high:
            self.add_error("min_size", _("The minimum group size cannot exceed the maximum."))
        return cleaned


class ConfirmCompositionForm(forms.Form):
    start_date = PlausibleDateFormField(
        label=_("Start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional: it can be set later on each cohort."),
    )

    def __init__(self, *args, group_count: int, chapter: Chapter, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(group_count):
            self.fields[f"name_{index}"] = forms.CharField(
                label=_("Name of group %(number)d") % {"number": index + 1},
                max_length=100,
                error_messages={"required": _("Give each new cohort a name.")},
            )
        self.chapter = chapter
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        names = [cleaned.get(name, "").strip().lower() for name in self.fields if name.startswith("name_")]
        if len([name for name in names if name]) != len({name for name in names if name}):
            raise forms.ValidationError(_("Give each new cohort a different name."))
        return cleaned

    def clean_start_date(self):
        return clean_plausible_start(self.cleaned_data["start_date"])

    def names(self) -> list[str]:
        return [self.cleaned_data[name].strip() for name in self.fields if name.startswith("name_")]

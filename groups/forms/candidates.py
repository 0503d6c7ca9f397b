"""Candidates: the public application, the coordinator's entry, declining, placing, the CSV import."""

from crispy_forms.layout import Column, Div, Fieldset, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from groups.enums import CandidateState, CohortState
from groups.forms.cohorts import JustificationMixin
from groups.models import DECLINE_REASON_MAX_LENGTH, Candidate, Chapter, Cohort
from plato.forms import form_helper

TOO_LONG = _("Keep it to %(limit_value)d characters at most (this text has %(show_value)d).")


def say_how_long(form: forms.Form) -> None:
    """Every text field says how long it may be, and by how much the text is over, in
    words a person understands (the text stays in the field, nothing is lost)."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length:
            field.error_messages["max_length"] = TOO_LONG


class CandidateFilterForm(forms.Form):
    """The list's filters, from the query string: a malformed one is ignored, the valid ones apply."""

    q = forms.CharField(max_length=100, required=False, strip=True)
    state = forms.ChoiceField(choices=[("", ""), *CandidateState.choices], required=False)


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
        self.helper = form_helper(
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
        self.helper = form_helper(
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
        self.helper = form_helper()


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
        self.helper = form_helper()


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
        self.helper = form_helper()

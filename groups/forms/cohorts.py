"""Cohorts: creating and editing one, its members and sponsors, a member's declared competitor."""

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.enums import CohortState, StaffRole
from groups.models import Chapter, Cohort
from members.fields import SiretFormField
from members.models import User
from members.validators import validate_siret
from plato.dates import PlausibleDateFormField
from plato.forms import form_helper


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


class CohortFilterForm(forms.Form):
    """The list's filters, from the query string: a malformed one is ignored, the valid ones apply."""

    chapter = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    state = forms.ChoiceField(choices=[("", ""), *CohortState.choices], required=False)


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
        self.helper = form_helper(
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
        self.helper = form_helper()


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
        self.helper = form_helper()


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
        self.helper = form_helper()


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
        self.helper = form_helper()

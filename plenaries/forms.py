"""Forms validate; services write. Plenaries, their program, registrations and quotas, and the
local networks' directory."""

from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groups.models import Chapter
from members.validators import validate_postcode
from plato.forms import form_helper
from plenaries.enums import PlenaryScope, ProgramKind
from plenaries.models import LocalNetwork, Plenary, ProgramItem
from plenaries.selectors import has_registrations

_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_widget():
    # datetime-local opens the phone's own date and time pickers.
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_DATETIME_FORMAT)


def _datetime_errors(required: str) -> dict:
    return {"required": required, "invalid": _("Enter a date and a time, e.g. 2027-03-18 14:00.")}


def where_choices(user) -> list[tuple[str, str]]:
    """Departmental for each chapter the user coordinates, regional organised by each of
    them (admins: every chapter, both ways)."""
    chapters = list(Chapter.objects.coordinated_by(user).select_related("region").order_by("code"))
    choices = [
        (f"chapter:{chapter.pk}", _("Departmental — %(chapter)s") % {"chapter": chapter.name})
        for chapter in chapters
    ]
    choices += [
        (
            f"regional:{chapter.pk}",
            _("Regional — %(region)s, organised by %(chapter)s")
            % {"region": chapter.region.name, "chapter": chapter.name},
        )
        for chapter in sorted(chapters, key=lambda chapter: (chapter.region.name, chapter.code))
    ]
    return choices


def where_value(plenary: Plenary) -> str:
    if plenary.is_regional:
        return f"regional:{plenary.organiser_id or ''}"
    return f"chapter:{plenary.chapter_id}"


class PlenaryForm(forms.ModelForm):
    where = forms.ChoiceField(
        label=_("For whom"),
        help_text=_(
            "A departmental plenary gathers one chapter's groups; a regional one every chapter of the "
            "region, organised by one of them."
        ),
        error_messages={
            "required": _("Choose the chapter or the region."),
            "invalid_choice": _("Choose one of the list."),
        },
    )

    class Meta:
        model = Plenary
        fields = [
            "title",
            "description",
            "starts_at",
            "ends_at",
            "venue_name",
            "venue_address",
            "venue_postcode",
            "venue_town",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "plus_one_allowed",
            "confirmation_hours",
        ]
        labels = {
            "title": _("Title"),
            "description": _("What the plenary is about"),
            "starts_at": _("Starts"),
            "ends_at": _("Ends"),
            "venue_name": pgettext_lazy("a venue", "Place"),
            "venue_address": _("Address"),
            "venue_postcode": _("Postcode"),
            "venue_town": _("Town"),
            "capacity": _("Places"),
            "registration_opens_at": _("Registration opens"),
            "registration_closes_at": _("Registration deadline"),
            "plus_one_allowed": _("Each person may bring a guest"),
            "confirmation_hours": _("Hours to confirm a place offered from the waiting list"),
        }
        help_texts = {
            "capacity": _("Guests take a place too. When it is full, people join the waiting list."),
            "venue_name": _("E.g. the CCI's auditorium, a conference centre."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": _datetime_widget(),
            "ends_at": _datetime_widget(),
            "registration_opens_at": _datetime_widget(),
            "registration_closes_at": _datetime_widget(),
            "capacity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "confirmation_hours": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "venue_postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        }
        error_messages = {
            "title": {"required": _("Give the plenary a title.")},
            "starts_at": _datetime_errors(_("Give the day and time it starts.")),
            "ends_at": _datetime_errors(_("Give the day and time it ends.")),
            "registration_opens_at": _datetime_errors(_("Give the day registration opens.")),
            "registration_closes_at": _datetime_errors(_("Give the registration deadline.")),
            "venue_name": {"required": _("Say where it takes place.")},
            "capacity": {
                "required": _("Give the number of places."),
                "invalid": _("Enter a whole number."),
                "min_value": _("At least one place."),
            },
            "confirmation_hours": {
                "invalid": _("Enter a whole number of hours."),
                "min_value": _("At least one hour."),
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["where"].choices = where_choices(user)
        if self.instance.pk:
            self.fields["where"].initial = where_value(self.instance)
            if has_registrations(self.instance):
                self._keep_who_is_invited()
        elif len(self.fields["where"].choices) >= 1:
            self.fields["where"].initial = self.fields["where"].choices[0][0]
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            # The browser's datetime-local, and what a person types (the French example too).
            self.fields[name].input_formats = [
                _DATETIME_FORMAT,
                "%Y-%m-%d %H:%M",
                "%Y-%m-%d %H:%M:%S",
                "%d/%m/%Y %H:%M",
                "%d/%m/%Y %Hh%M",
            ]
        self.fields["venue_postcode"].validators.append(validate_postcode)
        self.helper = form_helper()
        self.helper.layout = Layout(
            "where",
            "title",
            "description",
            Fieldset(
                _("When"),
                Row(Column("starts_at", css_class="col-sm-6"), Column("ends_at", css_class="col-sm-6")),
            ),
            Fieldset(
                _("Where"),
                "venue_name",
                "venue_address",
                Row(
                    Column("venue_postcode", css_class="col-sm-4"), Column("venue_town", css_class="col-sm-8")
                ),
            ),
            Fieldset(
                _("Registration"),
                Row(
                    Column("registration_opens_at", css_class="col-sm-6"),
                    Column("registration_closes_at", css_class="col-sm-6"),
                ),
                Row(
                    Column("capacity", css_class="col-sm-6"),
                    Column("confirmation_hours", css_class="col-sm-6"),
                ),
                "plus_one_allowed",
            ),
        )

    def _keep_who_is_invited(self) -> None:
        """People have answered: the plenary stays for the same chapter or region. A
        regional one may still pass to another organising chapter of its region."""
        value = where_value(self.instance)
        field = self.fields["where"]
        if self.instance.is_regional:
            same_region = set(
                Chapter.objects.filter(region_id=self.instance.region_id).values_list("pk", flat=True)
            )
            field.choices = [
                choice
                for choice in field.choices
                if choice[0].startswith("regional:") and int(choice[0].partition(":")[2]) in same_region
            ]
            field.help_text = _(
                "People have already answered: the plenary stays for the same region; "
                "another of its chapters may organise it."
            )
            return
        field.disabled = True
        field.choices = [choice for choice in field.choices if choice[0] == value] or [
            (value, str(self.instance.chapter or self.instance.region))
        ]
        field.help_text = _("People have already answered: the plenary stays for the same chapter or region.")

    def clean(self):
        cleaned = super().clean()
        where = cleaned.get("where", "")
        kind, _sep, pk = where.partition(":")
        if kind in ("chapter", "regional") and pk.isdigit():
            chapter = Chapter.objects.get(pk=pk)
            self.instance.region_id = chapter.region_id
            self.instance.organiser = chapter
            if kind == "chapter":
                self.instance.scope = PlenaryScope.DEPARTMENTAL
                self.instance.chapter = chapter
            else:
                self.instance.scope = PlenaryScope.REGIONAL
                self.instance.chapter = None
        return cleaned

    def validate_constraints(self, exclude=None):
        # clean() and the model's clean() say the same in words; the database still enforces them.
        return None


class CancelPlenaryForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the plenary is cancelled"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the plenary is cancelled: the people registered are told.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class ProgramItemForm(forms.ModelForm):
    class Meta:
        model = ProgramItem
        fields = ["starts_at", "ends_at", "kind", "title", "speakers", "network"]
        labels = {
            "starts_at": _("From"),
            "ends_at": _("To"),
            "kind": _("Kind"),
            "title": _("Title"),
            "speakers": _("Speakers"),
            "network": _("Local network presenting"),
        }
        help_texts = {
            "speakers": _("Names, and their company or role."),
            "network": _("For a local network presentation only."),
        }
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        error_messages = {
            "starts_at": {
                "required": _("Give the starting time."),
                "invalid": _("Enter a time, e.g. 14:30."),
            },
            "ends_at": {"invalid": _("Enter a time, e.g. 15:00.")},
            "title": {"required": _("Give the slot a title.")},
        }

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        self.fields["network"].empty_label = _("— No network —")
        self.helper = form_helper()
        self.helper.layout = Layout(
            Row(Column("starts_at", css_class="col-6"), Column("ends_at", css_class="col-6")),
            "kind",
            "title",
            "speakers",
            "network",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ProgramKind.NETWORK and not cleaned.get("network"):
            self.add_error("network", _("Choose the network that presents itself."))
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The slot must end after it starts."))
        return cleaned

    def validate_constraints(self, exclude=None):
        # The clean() above says the same in words; the database still enforces them.
        return None


class RegisterForm(forms.Form):
    """The person's own registration: a guest only when the plenary takes guests."""

    plus_one = forms.BooleanField(label=_("I come with a guest"), required=False)
    plus_one_name = forms.CharField(label=_("Guest's name"), max_length=150, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("plus_one"):
            cleaned["plus_one_name"] = ""
        return cleaned


class QuotaForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=None,
        error_messages={
            "required": _("Choose a cohort."),
            "invalid_choice": _("Choose a cohort of the list."),
        },
    )
    places = forms.IntegerField(
        label=_("Places at most"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to remove the limit."),
        error_messages={"invalid": _("Enter a whole number."), "min_value": _("At least one place.")},
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
    )

    def __init__(self, *args, cohorts, capacity: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        # More than the plenary holds would be no limit at all (and overflow the column).
        self.fields["places"].validators.append(
            MaxValueValidator(
                capacity,
                message=_("At most %(limit_value)s places: the plenary's capacity."),
            )
        )
        self.fields["places"].widget.attrs["max"] = capacity
        self.fields["cohort"].empty_label = _("— Choose a cohort —")
        self.helper = form_helper()


# The local networks' directory -------------------------------------------------------


class LocalNetworkForm(forms.ModelForm):
    """A network of one of the coordinator's chapters. The chapter stays a form field (fixed
    when there is only one) so that the unique name per chapter is checked by the form."""

    class Meta:
        model = LocalNetwork
        fields = [
            "chapter",
            "name",
            "purpose",
            "audience",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "is_listed",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.Textarea(attrs={"rows": 2}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        help_texts = {
            "purpose": _("What members do there: meetings, business referrals, mentoring…"),
            "audience": _("e.g. women business leaders, manufacturers, leaders who took over a company."),
        }

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].queryset = chapters
        self.fields["chapter"].empty_label = None
        if self.instance.pk or len(chapters) == 1:
            self.fields["chapter"].disabled = True
            if not self.instance.pk:
                self.fields["chapter"].initial = chapters[0]
        self.helper = form_helper(
            Layout(
                Field("chapter"),
                Field("name"),
                Field("purpose"),
                Field("audience"),
                Row(
                    Column("contact_name", css_class="col-md-4"),
                    Column("contact_email", css_class="col-md-4"),
                    Column("contact_phone", css_class="col-md-4"),
                ),
                Field("website"),
                Field("is_listed"),
            )
        )

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        digits = phone.replace(" ", "").replace(".", "").replace("-", "")
        if phone and not (digits.lstrip("+").isdigit() and 10 <= len(digits.lstrip("+")) <= 15):
            raise forms.ValidationError(_("Enter a phone number, e.g. 02 97 00 00 00."))
        return phone


def coordinator_chapters(user):
    return Chapter.objects.coordinated_by(user).order_by("name")

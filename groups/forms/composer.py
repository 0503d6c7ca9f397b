"""The composer: the group sizes to try, and the names of the cohorts it creates."""

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from groups.forms.cohorts import clean_plausible_start
from groups.models import Chapter
from plato.dates import PlausibleDateFormField
from plato.forms import form_helper


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
        self.helper = form_helper(
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
        self.helper = form_helper()

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

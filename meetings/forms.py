"""Forms validate; services write."""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.enums import AttendanceStatus
from meetings.models import ChapterTheme, Topic


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["title", "theme", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "title": _("Your topic in a few words"),
            "description": _("What would you like to talk about?"),
        }
        error_messages = {
            "title": {"required": _("Give your topic a title.")},
            "theme": {"required": _("Choose a theme."), "invalid_choice": _("Choose a theme of the list.")},
        }

    def __init__(self, *args, chapter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = ChapterTheme.objects.filter(chapter=chapter)
        self.fields["theme"].empty_label = _("— Choose a theme —")
        self.helper = _helper()


class AgendaForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics of the agenda"),
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose one or two topics.")},
        help_text=_("One or two topics, usually the first of the vote."),
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics
        self.helper = _helper()

    def clean_topics(self):
        topics = self.cleaned_data["topics"]
        if len(topics) > 2:
            raise forms.ValidationError(_("Choose one or two topics."))
        return topics


class UrgentForm(forms.Form):
    reason = forms.CharField(
        label=_("The urgent problem"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what the urgent problem is about: the members are told.")},
        help_text=_("The planned topics go back to the backlog for the next vote."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AttendanceForm(forms.Form):
    """One line per member (present, excused, absent) and the minutes."""

    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the group talked about and decided; members and sponsors read it."),
    )

    def __init__(self, *args, members, current: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for person in members:
            self.fields[f"person_{person.pk}"] = forms.ChoiceField(
                label=str(person),
                choices=AttendanceStatus.choices,
                initial=current.get(person.pk, AttendanceStatus.PRESENT),
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose present, excused or absent.")},
            )
        self.order_fields([*(f"person_{person.pk}" for person in members), "minutes"])
        self.helper = _helper()
        # One line per member: three taps side by side, not a column of twelve radio lists.
        self.helper.layout = Layout(*(InlineRadios(f"person_{person.pk}") for person in members), "minutes")

    def statuses(self) -> dict[int, str]:
        return {person.pk: self.cleaned_data[f"person_{person.pk}"] for person in self.members}

"""Forms validate; services write."""

import datetime

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings.enums import AttendanceStatus, RsvpAnswer, VenueKind
from meetings.models import ActionItem, ChapterTheme, MeetingDocument, Topic
from meetings.rsvp import COMMENT_MAX_LENGTH
from meetings.validators import DOCUMENT_EXTENSIONS
from members.validators import validate_postcode
from plato.dates import PlausibleDateFormField
from plato.forms import form_helper


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
        self.helper = form_helper()


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
        self.helper = form_helper()

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
        self.helper = form_helper()


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
        self.helper = form_helper()
        # One line per member: three taps side by side, not a column of twelve radio lists.
        self.helper.layout = Layout(*(InlineRadios(f"person_{person.pk}") for person in members), "minutes")

    def statuses(self) -> dict[int, str]:
        return {person.pk: self.cleaned_data[f"person_{person.pk}"] for person in self.members}


class MeetingForm(forms.Form):
    """A meeting's date, times, place and external speaker. A date and two times (in the
    chapter's time zone) are easier to type on a phone than two date-times; `clean` joins them
    into `starts_at` and `ends_at`."""

    date = PlausibleDateFormField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose the day of the meeting."), "invalid": _("Enter a valid date.")},
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Give the starting time."), "invalid": _("Enter a time, e.g. 08:30.")},
    )
    end_time = forms.TimeField(
        label=_("Ends at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Give the ending time."), "invalid": _("Enter a time, e.g. 12:00.")},
    )
    venue_kind = forms.ChoiceField(label=_("Venue"), choices=VenueKind.choices)
    venue_name = forms.CharField(
        label=pgettext_lazy("a venue", "Place"),
        max_length=150,
        required=False,
        help_text=_("E.g. the room, or the company's name."),
    )
    venue_address = forms.CharField(label=_("Address"), max_length=255, required=False)
    venue_postcode = forms.CharField(
        label=_("Postcode"), max_length=5, required=False, validators=[validate_postcode]
    )
    venue_town = forms.CharField(label=_("Town"), max_length=100, required=False)
    speaker_name = forms.CharField(label=_("External speaker"), max_length=150, required=False)
    speaker_organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    speaker_subject = forms.CharField(label=_("Subject"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
        self.helper.layout = Layout(
            Fieldset(
                _("When"),
                Row(
                    Column("date", css_class="col-sm-6 col-md-4"),
                    Column("start_time", css_class="col-6 col-md-4"),
                    Column("end_time", css_class="col-6 col-md-4"),
                ),
            ),
            Fieldset(
                _("Where"),
                Row(Column("venue_kind", css_class="col-md-5"), Column("venue_name", css_class="col-md-7")),
                "venue_address",
                Row(
                    Column("venue_postcode", css_class="col-sm-4"), Column("venue_town", css_class="col-sm-8")
                ),
            ),
            Fieldset(
                _("External speaker (optional)"),
                Row(
                    Column("speaker_name", css_class="col-md-6"),
                    Column("speaker_organisation", css_class="col-md-6"),
                ),
                "speaker_subject",
            ),
        )

    @staticmethod
    def initial_for(meeting) -> dict:
        starts_at, ends_at = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {
            "date": starts_at.date(),
            "start_time": starts_at.time().replace(second=0, microsecond=0),
            "end_time": ends_at.time().replace(second=0, microsecond=0),
            **{name: getattr(meeting, name) for name in MEETING_TEXT_FIELDS},
        }

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day is None or start is None or end is None:
            return cleaned
        zone = timezone.get_current_timezone()
        cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start), zone)
        cleaned["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end), zone)
        if end <= start:
            self.add_error("end_time", _("The meeting ends after it starts: check the two times."))
        elif cleaned["starts_at"] <= timezone.now():
            self.add_error("date", _("Choose a date and time in the future."))
        return cleaned

    def values(self) -> dict:
        """What the services take: starts_at, ends_at, the place and the speaker."""
        names = ("starts_at", "ends_at", *MEETING_TEXT_FIELDS)
        return {name: self.cleaned_data[name] for name in names}


MEETING_TEXT_FIELDS = (
    "venue_kind",
    "venue_name",
    "venue_address",
    "venue_postcode",
    "venue_town",
    "speaker_name",
    "speaker_organisation",
    "speaker_subject",
)


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Say why the meeting is cancelled: it is shown on the meeting page.")},
        help_text=_("Shown on the meeting page. The agenda's topics go back to the backlog."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class DocumentForm(forms.ModelForm):
    """The file's type and size are checked by the model field's validators."""

    class Meta:
        model = MeetingDocument
        fields = ["file", "title"]
        labels = {"file": _("File"), "title": _("Title (optional)")}
        help_texts = {
            "file": _("Up to 10 MB: PDF, Word, Excel, PowerPoint, LibreOffice, PNG, JPEG, text or CSV."),
            "title": _("As shown on the meeting page; the file's name if you leave it empty."),
        }
        error_messages = {"file": {"required": _("Choose a file to share.")}}
        widgets = {
            "file": forms.ClearableFileInput(
                attrs={"accept": ",".join(f".{extension}" for extension in DOCUMENT_EXTENSIONS)}
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.helper = form_helper()


class ActionItemsForm(forms.Form):
    """A member and their actions, one per line."""

    person = forms.ModelChoiceField(
        label=_("Member"),
        queryset=None,
        empty_label=_("— Choose a member —"),
        error_messages={
            "required": _("Choose the member."),
            "invalid_choice": _("Choose a member of the list."),
        },
    )
    texts = forms.CharField(
        label=_("Actions"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One action per line, e.g. “Call two bankers before the next meeting”."),
        error_messages={"required": _("Write at least one action.")},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members
        self.helper = form_helper()

    def clean_texts(self):
        limit = ActionItem._meta.get_field("text").max_length
        lines = [" ".join(line.split()) for line in self.cleaned_data["texts"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Write at least one action."))
        too_long = [number for number, line in enumerate(lines, 1) if len(line) > limit]
        if too_long:
            raise forms.ValidationError(
                _("Line %(line)d is too long: an action fits in %(limit)d characters.")
                % {"line": too_long[0], "limit": limit}
            )
        return lines


class RsvpForm(forms.Form):
    """Whether one comes, from the e-mail's link or the meeting page, with a word for the facilitator."""

    answer = forms.ChoiceField(choices=RsvpAnswer.choices)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        help_text=_("For the facilitator, e.g. “I will arrive at 9:30”."),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

"""The form of the local networks' directory."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Chapter
from plenaries.models import LocalNetwork


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
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
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

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        digits = phone.replace(" ", "").replace(".", "").replace("-", "")
        if phone and not (digits.lstrip("+").isdigit() and 10 <= len(digits.lstrip("+")) <= 15):
            raise forms.ValidationError(_("Enter a phone number, e.g. 02 97 00 00 00."))
        return phone


def coordinator_chapters(user):
    return Chapter.objects.coordinated_by(user).order_by("name")

"""Forms validate; services write. Every error message is specific and translated."""

from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Company, User
from plato.forms import form_helper


class SearchForm(forms.Form):
    """The query string of list pages. CharField refuses NUL bytes (PostgreSQL would)."""

    q = forms.CharField(max_length=100, required=False, strip=True)
    chapter = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class _ChapterScopedForm(forms.ModelForm):
    """The chapter field offers only the chapters the user coordinates; hidden if just one."""

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["chapter"]
        field.queryset = chapters
        field.empty_label = None
        first_two = list(chapters[:2])
        self.chapter_is_hidden = len(first_two) == 1
        if self.chapter_is_hidden:
            field.initial = first_two[0].pk
            field.widget = forms.HiddenInput()
        self.helper = form_helper()

    def clean(self):
        cleaned = super().clean()
        if self.chapter_is_hidden and "chapter" in self._errors:
            # A hidden field's error would not show: say it above the form.
            self._errors.pop("chapter")
            self.add_error(None, _("This chapter is not one you coordinate."))
        return cleaned


class CompanyForm(_ChapterScopedForm):
    class Meta:
        model = Company
        fields = [
            "chapter",
            "name",
            "siret",
            "naf_code",
            "size_band",
            "vat_number",
            "address",
            "postcode",
            "town",
            "website",
        ]
        error_messages = {
            "name": {"required": _("Enter the company's name.")},
            "siret": {"required": _("Enter the company's SIRET (14 digits).")},
            "naf_code": {"required": _("Enter the NAF/APE code, e.g. 62.01Z.")},
            "size_band": {"required": _("Choose the company's size.")},
            "postcode": {"required": _("Enter the postcode.")},
            "town": {"required": _("Enter the town.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].assume_scheme = "https"
        # Blank only for companies created from imported candidates; staff give it.
        self.fields["size_band"].required = True
        self.helper.layout = Layout(
            "chapter",
            Fieldset(
                _("Identity"),
                "name",
                Row(Column("siret", css_class="col-md-6"), Column("naf_code", css_class="col-md-6")),
                Row(Column("size_band", css_class="col-md-6"), Column("vat_number", css_class="col-md-6")),
            ),
            Fieldset(
                _("Address"),
                "address",
                Row(Column("postcode", css_class="col-md-4"), Column("town", css_class="col-md-8")),
                "website",
            ),
        )


class PersonForm(_ChapterScopedForm):
    class Meta:
        model = User
        fields = ["chapter", "first_name", "last_name", "email", "phone", "job_title", "company"]
        error_messages = {
            "email": {
                "required": _("Enter the person's e-mail address: it is how they sign in."),
                "unique": _("This e-mail address already belongs to another account."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["first_name"].error_messages["required"] = _("Enter the first name.")
        self.fields["last_name"].error_messages["required"] = _("Enter the last name.")
        self.fields["company"].queryset = Company.objects.filter(
            chapter__in=self.fields["chapter"].queryset
        ).order_by("name")
        self.fields["company"].empty_label = _("— No company —")
        self.helper.layout = Layout(
            "chapter",
            Row(Column("first_name", css_class="col-md-6"), Column("last_name", css_class="col-md-6")),
            Row(Column("email", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
            Row(Column("company", css_class="col-md-6"), Column("job_title", css_class="col-md-6")),
        )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("This e-mail address already belongs to another account."), code="unique"
            )
        return email

    def clean(self):
        cleaned = super().clean()
        company, chapter = cleaned.get("company"), cleaned.get("chapter")
        if company and chapter and company.chapter_id != chapter.pk:
            self.add_error("company", _("This company belongs to another chapter."))
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "phone",
            "job_title",
            "share_email",
            "share_phone",
            "share_job_title",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        # The profile page renders the whole form from its helper: tag, CSRF token and button.
        self.helper = form_helper(
            Layout(
                Row(Column("first_name", css_class="col-md-6"), Column("last_name", css_class="col-md-6")),
                Row(Column("phone", css_class="col-md-6"), Column("job_title", css_class="col-md-6")),
                Fieldset(
                    _("What my cohort sees"),
                    HTML(
                        '<p class="form-text mt-0">'
                        + str(
                            _(
                                "Your name, company and activity are always shown to your cohort. The rest is up to you."
                            )
                        )
                        + "</p>"
                    ),
                    "share_email",
                    "share_phone",
                    "share_job_title",
                ),
                Submit("save", _("Save"), css_class="btn-primary"),
            ),
            form_tag=True,
        )

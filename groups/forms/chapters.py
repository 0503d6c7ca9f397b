"""A chapter's settings: the fee and VAT, the invoice issuer, meeting defaults, group sizes."""

from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from groups.models import Chapter
from plato.forms import form_helper


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
        half = "col-md-6"
        layout = Layout(
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
        self.helper = form_helper(layout)

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

"""Forms of billing: they validate input; the services decide."""

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.enums import InvoiceStatus, PaymentMethod
from plato.dates import PlausibleDateFormField
from plato.forms import form_helper


class InvoiceFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *InvoiceStatus.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    cohort = forms.TypedChoiceField(
        label=_("Cohort"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    issued_from = PlausibleDateFormField(
        label=_("Issued from"),
        required=False,
        widget=forms.DateInput(
            format="%Y-%m-%d", attrs={"type": "date", "class": "form-control form-control-sm"}
        ),
    )
    issued_to = PlausibleDateFormField(
        label=_("to"),
        required=False,
        widget=forms.DateInput(
            format="%Y-%m-%d", attrs={"type": "date", "class": "form-control form-control-sm"}
        ),
    )

    def __init__(self, *args, cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", _("All cohorts")), *((c.pk, c.name) for c in cohorts)]

    def clean(self):
        data = super().clean()
        start, end = data.get("issued_from"), data.get("issued_to")
        if start and end and end < start:
            self.add_error("issued_to", _("The end of the period comes after its start."))
        return data


# What people put between thousands: a space, a no-break space, a narrow no-break space
# (what French formatting prints, and so what a copy and paste brings).
THOUSANDS_SPACES = str.maketrans("", "", " \xa0\u202f\t")


class AmountField(forms.DecimalField):
    """An amount in euros as typed: « 1 900,50 », « 1\u202f900,50 », « 1900.50 ».

    Spaces between thousands are dropped; the decimal mark is a comma or a point (when both
    appear, the last one is the decimal mark and the other groups thousands)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.translate(THOUSANDS_SPACES)
            if "," in value and "." in value:
                thousands = "," if value.rfind(".") > value.rfind(",") else "."
                value = value.replace(thousands, "")
            value = value.replace(",", ".")
        return super().to_python(value)


class PaymentForm(forms.Form):
    amount = AmountField(
        label=_("Amount received (€)"), max_digits=12, decimal_places=2, min_value=0.01, localize=True
    )
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    received_on = PlausibleDateFormField(
        label=_("Received on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    reference = forms.CharField(
        label=_("Reference (optional)"),
        max_length=100,
        required=False,
        help_text=_("Cheque number, transfer label…"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Layout(
                Row(Column("amount", css_class="col-sm-6"), Column("method", css_class="col-sm-6")),
                Row(Column("received_on", css_class="col-sm-6"), Column("reference", css_class="col-sm-6")),
            )
        )


class CreditNoteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("Printed on the credit note, e.g. “Left before the programme started”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

"""Declared conflicts: a coordinator declares two companies of the chapter in conflict."""

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from plato.forms import form_helper


class ConflictForm(forms.Form):
    """A coordinator declares two companies (or candidates) of the chapter in conflict."""

    party = forms.ChoiceField(label=_("Company"))
    other_party = forms.ChoiceField(label=_("competes with"))
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why these two companies compete.")},
    )

    def __init__(self, *args, parties: dict[str, tuple[str, str]], **kwargs):
        """`parties`: SIREN → (name, label) of every company and open candidate of the chapter."""
        super().__init__(*args, **kwargs)
        self.parties = parties
        choices = [("", _("— Choose —"))] + [(siren, label) for siren, (_name, label) in parties.items()]
        for name in ("party", "other_party"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["required"] = _("Choose a company.")
            self.fields[name].error_messages["invalid_choice"] = _("Choose a company of the list.")
        self.helper = form_helper(
            Layout(
                Row(Column("party", css_class="col-md-6"), Column("other_party", css_class="col-md-6")),
                "reason",
            )
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("party") and cleaned.get("party") == cleaned.get("other_party"):
            self.add_error("other_party", _("Choose two different companies."))
        return cleaned

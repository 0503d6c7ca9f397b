"""Model fields that normalise what people type before it is validated.

"552 100 554 00013" becomes "55210055400013", "6201z" becomes "62.01Z", so a form
accepts the usual spellings while the database holds one canonical form.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from members import naf
from members.validators import (
    normalize_siret,
    normalize_vat_number,
    validate_naf_code,
    validate_siret,
    validate_vat_number,
)


class _NormalizingFormField(forms.CharField):
    normalize = staticmethod(lambda value: value)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalize(value) if value else value


class SiretFormField(_NormalizingFormField):
    normalize = staticmethod(normalize_siret)

    def widget_attrs(self, widget):
        return super().widget_attrs(widget) | {"inputmode": "numeric", "autocomplete": "off"}


class NafCodeFormField(_NormalizingFormField):
    normalize = staticmethod(naf.normalize_code)

    def widget_attrs(self, widget):
        return super().widget_attrs(widget) | {"list": "naf-codes", "autocomplete": "off"}


class VatNumberFormField(_NormalizingFormField):
    normalize = staticmethod(normalize_vat_number)


def _without_generic_length_check(field: models.CharField) -> None:
    """The format validator already refuses a wrong length with a specific message;
    Django's "at most N characters" would only repeat it less clearly."""
    field.validators[:] = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]


# The form fields get no max_length: "552 100 554 00013" is longer than the 14 digits it
# stands for, and a browser would refuse to let people type it (HTML maxlength).


class SiretField(models.CharField):
    description = _("SIRET number")
    default_validators = [validate_siret]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 14)
        super().__init__(*args, **kwargs)
        _without_generic_length_check(self)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SiretFormField, "max_length": None, **kwargs})


class NafCodeField(models.CharField):
    description = _("NAF/APE code")
    default_validators = [validate_naf_code]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 6)
        super().__init__(*args, **kwargs)
        _without_generic_length_check(self)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NafCodeFormField, "max_length": None, **kwargs})


class VatNumberField(models.CharField):
    description = _("French VAT number")
    default_validators = [validate_vat_number]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 13)
        super().__init__(*args, **kwargs)
        _without_generic_length_check(self)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": VatNumberFormField, "max_length": None, **kwargs})

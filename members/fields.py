"""Model fields that normalise what people type before it is validated.

"552 100 554 00016" becomes "55210055400016", "6201z" becomes "62.01Z", so a form
accepts the usual spellings while the database holds one canonical form.
"""

from django import forms
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


class SiretField(models.CharField):
    description = _("SIRET number")
    default_validators = [validate_siret]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 14)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SiretFormField, **kwargs})


class NafCodeField(models.CharField):
    description = _("NAF/APE code")
    default_validators = [validate_naf_code]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 6)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NafCodeFormField, **kwargs})


class VatNumberField(models.CharField):
    description = _("French VAT number")
    default_validators = [validate_vat_number]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 13)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": VatNumberFormField, **kwargs})

"""One rule for every date and date-time the app accepts: from 1 January 2000 to 31 December 2100.

Nothing Plato records lies outside it (cohorts, meetings, plenaries, invoices, payments),
and what lies outside breaks things far from the form that let it in: year 1 typed as
`0001-01-01T00:00` in Paris is a date-time before year 1 in UTC, which PostgreSQL stores as
a BC timestamp and Python cannot read back, so every later page listing it fails; year
9999 overflows the first `+ timedelta` a service computes.

- Models: `PlausibleDateField` and `PlausibleDateTimeField` carry the rule as a validator
  (so `full_clean` refuses), and their form fields carry it too, so a ModelForm refuses the
  value before its own `clean()` computes with it.
- Plain forms and list filters: `PlausibleDateFormField` and `PlausibleDateTimeFormField`.
- Elsewhere (a date read from a URL, a CSV): `plausible_date(value)` raises the same
  ValidationError, `is_plausible(value)` answers without raising.

tests/plato/test_dates.py walks every model and every form of the project and fails for
a date field without the rule.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

FIRST_DATE = datetime.date(2000, 1, 1)
LAST_DATE = datetime.date(2100, 12, 31)


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    # A date-time's own calendar day, without converting it to another zone: converting
    # year 1 or 9999 may itself overflow.
    return value.date() if isinstance(value, datetime.datetime) else value


def is_plausible(value: datetime.date | datetime.datetime | None) -> bool:
    return value is None or FIRST_DATE <= _day(value) <= LAST_DATE


@deconstructible(path="plato.dates.PlausibleDateValidator")
class PlausibleDateValidator:
    """Refuses a date (or a date-time) outside FIRST_DATE..LAST_DATE, with a message that
    says which year to check."""

    code = "implausible_date"

    def __call__(self, value) -> None:
        if not is_plausible(value):
            raise ValidationError(
                _("Check the year: dates go from %(first)s to %(last)s."),
                code=self.code,
                params={
                    "first": date_format(FIRST_DATE, "SHORT_DATE_FORMAT"),
                    "last": date_format(LAST_DATE, "SHORT_DATE_FORMAT"),
                },
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, PlausibleDateValidator)

    def __hash__(self) -> int:
        return hash(PlausibleDateValidator)


plausible_date = PlausibleDateValidator()


# --- Form fields ------------------------------------------------------------------------


class _PlausibleFormFieldMixin:
    default_validators = [plausible_date]
    # The browser's own picker offers the same range.
    html_bounds = (FIRST_DATE.isoformat(), LAST_DATE.isoformat())
    html_datetime_bounds = (f"{FIRST_DATE.isoformat()}T00:00", f"{LAST_DATE.isoformat()}T23:59")

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        input_type = widget.attrs.get("type", getattr(widget, "input_type", None))
        if input_type in ("date", "datetime-local"):
            first, last = self.html_bounds if input_type == "date" else self.html_datetime_bounds
            attrs.setdefault("min", first)
            attrs.setdefault("max", last)
        return attrs


class PlausibleDateFormField(_PlausibleFormFieldMixin, forms.DateField):
    """A form's date within the plausible range."""


class PlausibleDateTimeFormField(_PlausibleFormFieldMixin, forms.DateTimeField):
    """A form's date-time within the plausible range."""


# --- Model fields -----------------------------------------------------------------------


class _PlausibleModelFieldMixin:
    """The rule as the field's first validator, and its form field carrying it too.

    Migrations see the plain Django field with the validator (`deconstruct`): the column is
    the same, and a new field class would make SQLite rebuild every table holding a date,
    dropping the triggers that guard issued invoices (billing/migrations/0002)."""

    form_class: type[forms.Field]
    django_path: str

    def __init__(self, *args, validators=(), **kwargs):
        others = [validator for validator in validators if validator != plausible_date]
        super().__init__(*args, validators=[plausible_date, *others], **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, self.django_path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, **kwargs})


class PlausibleDateField(_PlausibleModelFieldMixin, models.DateField):
    """A model's date within the plausible range, in `full_clean` and in its ModelForm field."""

    form_class = PlausibleDateFormField
    django_path = "django.db.models.DateField"


class PlausibleDateTimeField(_PlausibleModelFieldMixin, models.DateTimeField):
    """A model's date-time within the plausible range, in `full_clean` and in its ModelForm field."""

    form_class = PlausibleDateTimeFormField
    django_path = "django.db.models.DateTimeField"

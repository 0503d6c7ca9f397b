"""Every date and date-time the app accepts lies between 2000 and 2100 (plato/dates.py).

Two walks keep it so: every DateField/DateTimeField of every model of our apps, and every
date field of every form class of our apps, must carry the shared rule; a new one without
it fails here. Then the rule's behaviour, and the original failure: a plenary whose
registration opened in year 1 broke every later page of the chapter's plenaries (run it on
PostgreSQL, where year 1 in Paris became a BC timestamp:
DATABASE_URL=postgres://… pytest tests/plato/test_dates.py).
"""

import datetime
import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from plato.dates import FIRST_DATE, LAST_DATE, PlausibleDateTimeFormField, plausible_date
from plenaries.models import Plenary
from tests import factories
from tests.pages import assert_shows

BASE_DIR = Path(settings.BASE_DIR).resolve()


def our_app_configs():
    """The project's own apps (not Django's, allauth's or any installed package's)."""
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(BASE_DIR)
        and not Path(config.path).resolve().is_relative_to(BASE_DIR / ".venv")
    ]


def our_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in a module of our apps (each module imported first)."""
    names = {config.name for config in our_app_configs()}
    for config in our_app_configs():
        package = importlib.import_module(config.name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{config.name}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            importlib.import_module(module.name)
    found, pending = [], [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for subclass in cls.__subclasses__():
            pending.append(subclass)
            if subclass.__module__.split(".")[0] in names:
                found.append(subclass)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


DATE_FORM_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def test_the_walks_see_our_apps_and_their_forms():
    assert {config.label for config in our_app_configs()} >= {
        "members",
        "groups",
        "meetings",
        "plenaries",
        "billing",
    }
    names = {cls.__name__ for cls in our_form_classes()}
    assert {"PlenaryForm", "MeetingForm", "PaymentForm", "InvoiceFilterForm", "CohortForm"} <= names


def test_every_model_date_field_accepts_only_plausible_dates():
    missing = []
    for config in our_app_configs():
        for model in config.get_models():
            for field in model._meta.get_fields():
                if not isinstance(field, models.DateField):  # DateTimeField is one too
                    continue
                where = f"{model._meta.label}.{field.name}"
                if plausible_date not in field.validators:
                    missing.append(f"{where} (model validator)")
                if field.editable and plausible_date not in field.formfield().validators:
                    missing.append(f"{where} (its ModelForm field)")

    assert not missing, (
        "Date fields without the plausible range of plato/dates.py (use PlausibleDateField or "
        f"PlausibleDateTimeField): {missing}"
    )


def test_every_form_date_field_accepts_only_plausible_dates():
    missing = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in our_form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, DATE_FORM_FIELDS) and plausible_date not in field.validators
    ]

    assert not missing, (
        "Form date fields without the plausible range of plato/dates.py (use PlausibleDateFormField "
        f"or PlausibleDateTimeFormField, or a model's PlausibleDateField): {missing}"
    )


# --- The rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        FIRST_DATE,
        LAST_DATE,
        datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(2100, 12, 31, 23, 59, tzinfo=datetime.UTC),
        None,
    ],
)
def test_the_range_takes_its_bounds(value):
    plausible_date(value)  # no error


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(1, 1, 1),
        datetime.date(1999, 12, 31),
        datetime.date(2101, 1, 1),
        datetime.date(9999, 12, 31),
        datetime.datetime(1, 1, 1, 0, 0, tzinfo=timezone.get_current_timezone()),
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC),
    ],
)
def test_the_range_refuses_what_lies_outside_and_says_which_year(value):
    with pytest.raises(ValidationError) as refusal:
        plausible_date(value)

    assert refusal.value.code == "implausible_date"
    [message] = refusal.value.messages
    assert "01/01/2000" in message and "31/12/2100" in message  # the range, in French dates


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "01/01/0001 00:00", "31/12/9999 23:59"])
def test_a_form_date_time_refuses_year_1_and_9999_typed_either_way(typed):
    field = PlausibleDateTimeFormField()

    with pytest.raises(ValidationError):
        field.clean(typed)


def test_a_date_input_offers_only_the_range_in_the_browser():
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"})

    attrs = PlausibleDateTimeFormField(widget=widget).widget.attrs

    assert (attrs["min"], attrs["max"]) == ("2000-01-01T00:00", "2100-12-31T23:59")


def test_a_model_refuses_year_1_in_full_clean(chapter):
    plenary = factories.PlenaryFactory.build(chapter=chapter, region=chapter.region)
    plenary.registration_opens_at = datetime.datetime(1, 1, 1, tzinfo=timezone.get_current_timezone())

    with pytest.raises(ValidationError) as refusal:
        plenary.full_clean()

    assert "registration_opens_at" in refusal.value.message_dict


# --- The original failure: year 1 on a plenary (PostgreSQL: a BC timestamp) --------------------


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "01/01/0001 00:00"])
def test_registration_opening_in_year_1_is_refused_and_the_plenaries_still_show(
    login, coordinator, chapter, typed
):
    plenary = factories.PlenaryFactory(chapter=chapter, title="Plénière du Morbihan")
    opens = plenary.registration_opens_at
    local = {
        name: timezone.localtime(getattr(plenary, name)).strftime("%Y-%m-%dT%H:%M")
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
    }
    data = local | {
        "where": f"chapter:{chapter.pk}",
        "title": plenary.title,
        "venue_name": plenary.venue_name,
        "venue_address": plenary.venue_address,
        "venue_postcode": plenary.venue_postcode,
        "venue_town": plenary.venue_town,
        "capacity": str(plenary.capacity),
        "confirmation_hours": "48",
        "registration_opens_at": typed,
    }
    client = login(coordinator)

    response = client.post(reverse("plenaries:plenary_edit", kwargs={"pk": plenary.pk}), data)

    assert response.status_code == 200
    [error] = response.context["form"].errors["registration_opens_at"]
    assert "01/01/2000" in error and "31/12/2100" in error
    assert Plenary.objects.get(pk=plenary.pk).registration_opens_at == opens
    listing = client.get(reverse("plenaries:plenary_list"))
    assert listing.status_code == 200
    assert_shows(listing, "Plénière du Morbihan")
    assert client.get(plenary.get_absolute_url()).status_code == 200

"""Chapters: who sees them, who edits their settings, and which settings are refused."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from groups.forms.chapters import ChapterSettingsForm
from groups.models import Chapter
from tests.forms import post_data, rendered_values
from tests.french import CHAPTER_SAVED, MIN_OVER_MAX, VAT_WITHOUT_EXEMPTION, en, fr
from tests.pages import assert_hides, assert_shows


def settings_url(chapter) -> str:
    return reverse("groups:chapter_update", kwargs={"code": chapter.code})


def settings_data(chapter, **overrides) -> dict:
    return post_data(ChapterSettingsForm(instance=chapter), **overrides)


def test_chapter_settings_saved_by_coordinator(coordinator, chapter, login):
    data = settings_data(chapter, fee="2100.00", group_max_size="14", months_off=["7", "8"])

    response = login(coordinator).post(settings_url(chapter), data)

    assert response.status_code == 302
    assert response["Location"] == chapter.get_absolute_url()
    chapter.refresh_from_db()
    assert chapter.fee == Decimal("2100.00")
    assert chapter.group_max_size == 14
    assert chapter.months_off == [7, 8]


def test_chapter_settings_saved_says_so_in_french(coordinator, chapter, login):
    response = login(coordinator).post(settings_url(chapter), settings_data(chapter, fee="2100.00"))

    assert [str(message) for message in get_messages(response.wsgi_request)] == [fr(CHAPTER_SAVED)]


def test_chapter_settings_vat_exemption_saved_with_zero_rate(coordinator, chapter, login):
    wording = "TVA non applicable, article 261-4-4° a du CGI"
    data = settings_data(chapter, vat_rate="0", vat_exemption_text=wording)

    response = login(coordinator).post(settings_url(chapter), data)

    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.vat_rate == 0
    assert chapter.vat_exemption_text == wording


INVALID_SETTINGS = pytest.mark.parametrize(
    ("overrides", "msgid", "kept"),
    [
        (
            {"group_min_size": "14", "group_max_size": "12", "fee": "2222.00"},
            MIN_OVER_MAX,
            {"group_min_size": "14", "group_max_size": "12", "fee": "2222.00"},
        ),
        (
            {"vat_rate": "0", "vat_exemption_text": "", "fee": "2222.00"},
            VAT_WITHOUT_EXEMPTION,
            {"vat_rate": "0", "fee": "2222.00"},
        ),
    ],
    ids=["min-over-max", "vat-0-without-exemption"],
)


@INVALID_SETTINGS
def test_chapter_settings_invalid_combination_is_refused_and_input_kept(
    overrides, msgid, kept, coordinator, chapter, login
):
    before = Chapter.objects.values().get(pk=chapter.pk)

    response = login(coordinator).post(settings_url(chapter), settings_data(chapter, **overrides))

    assert response.status_code == 200
    assert Chapter.objects.values().get(pk=chapter.pk) == before
    shown = rendered_values(response.content.decode())
    for name, value in kept.items():
        assert shown.get(name) == [value], f"the typed {name} was lost: {shown.get(name)}"
    assert response.context["form"].errors, "the form should carry the error"


@INVALID_SETTINGS
def test_chapter_settings_invalid_combination_shows_its_specific_error_in_english(
    overrides, msgid, kept, coordinator, chapter, login, settings
):
    client = login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # what the language switch sets

    response = client.post(settings_url(chapter), settings_data(chapter, **overrides))

    assert_shows(response, en(msgid))


@INVALID_SETTINGS
def test_chapter_settings_invalid_combination_has_specific_french_error(
    overrides, msgid, kept, coordinator, chapter, login
):
    response = login(coordinator).post(settings_url(chapter), settings_data(chapter, **overrides))

    assert_shows(response, fr(msgid))


def test_chapter_settings_refuses_invalid_issuer_siret(coordinator, chapter, login):
    response = login(coordinator).post(
        settings_url(chapter), settings_data(chapter, issuer_siret="55210055400016")
    )

    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()["issuer_siret"]] == [
        "siret_checksum"
    ]


def test_chapter_settings_forbidden_to_facilitator(facilitator, chapter, login):
    response = login(facilitator).post(settings_url(chapter), settings_data(chapter, fee="1.00"))

    assert response.status_code == 403
    chapter.refresh_from_db()
    assert chapter.fee == Decimal("1900.00")


def test_chapter_settings_of_another_chapter_not_found(other_chapter_coordinator, chapter, login):
    response = login(other_chapter_coordinator).post(
        settings_url(chapter), settings_data(chapter, fee="1.00")
    )

    assert response.status_code == 404
    chapter.refresh_from_db()
    assert chapter.fee == Decimal("1900.00")


def test_chapter_list_shows_only_the_coordinators_chapter(coordinator, chapter, other_chapter, login):
    response = login(coordinator).get(reverse("groups:chapter_list"))

    assert_shows(response, "Plato 56 — CCI du Morbihan")
    assert_hides(response, "Plato 35")


def test_chapter_list_shows_every_chapter_to_admin(admin, chapter, other_chapter, login):
    response = login(admin).get(reverse("groups:chapter_list"))

    assert_shows(response, "Plato 56 — CCI du Morbihan", "Plato 35 — CCI Ille-et-Vilaine")


def test_chapter_detail_shows_staff_and_edit_link_to_coordinator(coordinator, facilitator, chapter, login):
    response = login(coordinator).get(chapter.get_absolute_url())

    assert_shows(response, "Le Guennec", settings_url(chapter))  # the facilitator, the edit link


def test_chapter_detail_has_no_edit_link_for_facilitator(facilitator, chapter, login):
    response = login(facilitator).get(chapter.get_absolute_url())

    assert response.status_code == 200
    assert_hides(response, settings_url(chapter))


def test_chapter_settings_cannot_change_the_invoice_prefix(coordinator, chapter, login):
    """The prefix numbers a gapless invoice series: admins only, through the admin site."""
    prefix = chapter.invoice_prefix
    data = settings_data(chapter, invoice_prefix="HACK")

    response = login(coordinator).post(settings_url(chapter), data)

    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.invoice_prefix == prefix


def test_chapter_settings_refuses_a_vat_number_of_another_siren(coordinator, chapter, login):
    data = settings_data(chapter, issuer_siret="55210055400013", issuer_vat_number="FR40303265045")

    response = login(coordinator).post(settings_url(chapter), data)

    assert response.status_code == 200
    assert "correspond au SIREN 303265045" in response.content.decode()

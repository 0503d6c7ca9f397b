"""Companies and people through the views: create, scope, refuse, and never lose typed input."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from members.models import Company, User
from tests import factories
from tests.forms import rendered_values
from tests.french import (
    COMPANY_CREATED,
    NAF_FORMAT,
    NAF_UNKNOWN,
    PERSON_ADDED,
    SIRET_CHECK_DIGIT,
    SIRET_LENGTH,
    SIRET_LETTERS,
    fr,
)
from tests.pages import assert_hides, assert_shows, page_text


def company_data(chapter, **overrides) -> dict:
    """What a coordinator types in the company form (loose spellings on purpose)."""
    data = {
        "chapter": chapter.pk,
        "name": "Scierie de Brocéliande",
        "siret": "552 100 554 00013",
        "naf_code": "1610a",
        "size_band": "small",
        "vat_number": "",
        "address": "La Ville Jégu",
        "postcode": "56800",
        "town": "Ploërmel",
        "website": "https://www.scierie-broceliande.fr",
    }
    return data | overrides


def person_data(chapter, company, **overrides) -> dict:
    data = {
        "chapter": chapter.pk,
        "first_name": "Nolwenn",
        "last_name": "Le Corre",
        "email": "Nolwenn.LeCorre@Oceane-Paysages.test",
        "phone": "02 97 00 00 01",
        "job_title": "Gérante",
        "company": company.pk,
    }
    return data | overrides


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Creating a company ------------------------------------------------------------------


def test_company_create_by_coordinator_saves_normalised_company_and_redirects(coordinator, chapter, login):
    response = login(coordinator).post(reverse("members:company_create"), company_data(chapter))

    company = Company.objects.get(name="Scierie de Brocéliande")
    assert response.status_code == 302
    assert response["Location"] == reverse("members:company_detail", kwargs={"pk": company.pk})
    assert company.chapter == chapter
    assert company.siret == "55210055400013"
    assert company.naf_code == "16.10A"
    assert company.town == "Ploërmel"


def test_company_create_by_coordinator_says_so_in_french(coordinator, chapter, login):
    response = login(coordinator).post(reverse("members:company_create"), company_data(chapter))

    assert messages_of(response) == [fr(COMPANY_CREATED, name="Scierie de Brocéliande")]


def test_company_create_shows_the_new_company_after_redirect(coordinator, chapter, login):
    response = login(coordinator).post(reverse("members:company_create"), company_data(chapter), follow=True)

    assert response.status_code == 200
    assert_shows(response, "Scierie de Brocéliande", "16.10A")


BAD_IDENTIFIERS = pytest.mark.parametrize(
    ("field", "typed", "code", "msgid", "params"),
    [
        (
            "siret",
            "5521005540001",
            "siret_length",
            SIRET_LENGTH,
            {"count": 13},
        ),
        (
            "siret",
            "552100554000130",
            "siret_length",
            SIRET_LENGTH,
            {"count": 15},
        ),
        (
            "siret",
            "55210055400016",
            "siret_checksum",
            SIRET_CHECK_DIGIT,
            {"value": "55210055400016"},
        ),
        (
            "siret",
            "5521005540001A",
            "siret_format",
            SIRET_LETTERS,
            {"value": "5521005540001A"},
        ),
        (
            "naf_code",
            "6201",
            "naf_format",
            NAF_FORMAT,
            {"value": "6201"},
        ),
        (
            "naf_code",
            "62.01ZZ",
            "naf_format",
            NAF_FORMAT,
            {"value": "62.01ZZ"},
        ),
        (
            "naf_code",
            "62.99Z",
            "naf_unknown",
            NAF_UNKNOWN,
            {"value": "62.99Z"},
        ),
    ],
    ids=[
        "siret-13-digits",
        "siret-15-digits",
        "siret-check-digit",
        "siret-letters",
        "naf-format",
        "naf-too-long",
        "naf-unknown",
    ],
)


@BAD_IDENTIFIERS
def test_company_create_refuses_bad_identifier_and_keeps_what_was_typed(
    field, typed, code, msgid, params, coordinator, chapter, login
):
    data = company_data(chapter, **{field: typed})

    response = login(coordinator).post(reverse("members:company_create"), data)

    assert response.status_code == 200
    assert not Company.objects.filter(name="Scierie de Brocéliande").exists()
    assert [error.code for error in response.context["form"].errors.as_data()[field]] == [code]
    shown = rendered_values(response.content.decode())
    for name in ("name", "siret", "naf_code", "size_band", "address", "postcode", "town", "website"):
        assert shown.get(name) == [data[name]], f"the typed {name} was lost: {shown.get(name)}"


@BAD_IDENTIFIERS
def test_company_create_refuses_bad_identifier_with_french_message(
    field, typed, code, msgid, params, coordinator, chapter, login
):
    response = login(coordinator).post(
        reverse("members:company_create"), company_data(chapter, **{field: typed})
    )

    assert_shows(response, fr(msgid, **params))


def test_company_form_lets_loose_spellings_be_typed(coordinator, login):
    """A browser enforces maxlength: the spaced SIRET of the help text must fit."""
    response = login(coordinator).get(reverse("members:company_create"))

    inputs = re.findall(r"<input[^>]*>", page_text(response))
    for name, loose in (
        ("siret", "552 100 554 00013"),
        ("naf_code", "62 01 Z"),
        ("vat_number", "FR 40 303 265 045"),
    ):
        tag = next(tag for tag in inputs if f'name="{name}"' in tag)
        maxlength = re.search(r'maxlength="(\d+)"', tag)
        assert maxlength is None or int(maxlength.group(1)) >= len(loose), f"{name}: {tag}"


def test_company_create_refuses_a_siret_already_in_the_chapter(coordinator, chapter, company, login):
    response = login(coordinator).post(
        reverse("members:company_create"), company_data(chapter, siret=company.siret)
    )

    assert response.status_code == 200
    assert Company.objects.filter(siret=company.siret).count() == 1


def test_company_create_in_another_chapter_by_tampering_is_refused(
    coordinator, chapter, other_chapter, login
):
    response = login(coordinator).post(reverse("members:company_create"), company_data(other_chapter))

    # The chapter field is hidden (the coordinator has one chapter): the refusal is said
    # above the form, where it shows.
    assert response.status_code == 200
    assert not Company.objects.filter(name="Scierie de Brocéliande").exists()
    assert response.context["form"].non_field_errors() == [
        "Cette antenne n’est pas l’une de celles que vous coordonnez."
    ]
    assert_shows(response, "Cette antenne n’est pas l’une de celles que vous coordonnez.")


def test_company_create_is_forbidden_to_the_facilitator(facilitator, chapter, login):
    response = login(facilitator).post(reverse("members:company_create"), company_data(chapter))

    assert response.status_code == 403
    assert not Company.objects.filter(name="Scierie de Brocéliande").exists()


# --- Seeing and editing a company --------------------------------------------------------


def test_company_detail_shows_the_company_to_the_facilitator(facilitator, company, login):
    response = login(facilitator).get(company.get_absolute_url())

    assert response.status_code == 200
    assert_shows(response, company.name, "Gwenaël Le Floch")  # and the person leading it


def test_company_update_is_forbidden_to_the_facilitator(facilitator, company, chapter, login):
    url = reverse("members:company_update", kwargs={"pk": company.pk})
    client = login(facilitator)

    get_response = client.get(url)
    post_response = client.post(url, company_data(chapter, name="Renamed"))

    assert get_response.status_code == 403
    assert post_response.status_code == 403
    company.refresh_from_db()
    assert company.name == "Kerlann Informatique"


@pytest.mark.parametrize(
    ("method", "url_name"),
    [
        ("get", "members:company_detail"),
        ("get", "members:company_update"),
        ("post", "members:company_update"),
    ],
)
def test_company_of_another_chapter_is_not_found_for_its_coordinator(
    method, url_name, other_chapter_coordinator, company, other_chapter, login
):
    url = reverse(url_name, kwargs={"pk": company.pk})

    response = getattr(login(other_chapter_coordinator), method)(
        url, company_data(other_chapter, name="Renamed")
    )

    assert response.status_code == 404
    company.refresh_from_db()
    assert company.name == "Kerlann Informatique"


def test_company_update_by_coordinator_saves_and_redirects(coordinator, company, chapter, login):
    url = reverse("members:company_update", kwargs={"pk": company.pk})
    data = company_data(
        chapter, name="Kerlann Informatique et Réseaux", siret=company.siret, naf_code="62.02A"
    )

    response = login(coordinator).post(url, data)

    assert response.status_code == 302
    assert response["Location"] == company.get_absolute_url()
    company.refresh_from_db()
    assert company.name == "Kerlann Informatique et Réseaux"
    assert company.naf_code == "62.02A"


def test_company_list_shows_only_the_coordinators_chapter(coordinator, company, other_company, login):
    response = login(coordinator).get(reverse("members:company_list"))

    assert_shows(response, "Kerlann Informatique")
    assert_hides(response, "Rennes Data Factory")


def test_company_list_of_other_coordinator_shows_only_their_chapter(
    other_chapter_coordinator, company, other_company, login
):
    response = login(other_chapter_coordinator).get(reverse("members:company_list"))

    assert_shows(response, "Rennes Data Factory")
    assert_hides(response, "Kerlann Informatique")


def test_company_list_search_filters_by_name(coordinator, company, chapter, login):
    factories.CompanyFactory(chapter=chapter, name="Optique Celtique")

    response = login(coordinator).get(reverse("members:company_list"), {"q": "celtique"})

    assert_shows(response, "Optique Celtique")
    assert_hides(response, "Kerlann Informatique")


# --- Scoping (querysets) -----------------------------------------------------------------


def test_company_visible_to_other_chapter_coordinator_never_includes_first_chapter(
    other_chapter_coordinator, company, chapter, other_company
):
    factories.CompanyFactory.create_batch(3, chapter=chapter)

    visible = Company.objects.visible_to(other_chapter_coordinator)

    assert list(visible) == [other_company]
    assert not visible.filter(chapter=chapter).exists()


def test_company_visible_to_outsider_is_empty(outsider, company, other_company):
    assert list(Company.objects.visible_to(outsider)) == []


def test_company_visible_to_member_is_only_their_own(member, company, other_company, chapter):
    factories.CompanyFactory(chapter=chapter)

    assert list(Company.objects.visible_to(member)) == [company]


def test_company_visible_to_admin_is_every_company(admin, company, other_company):
    assert set(Company.objects.visible_to(admin)) == {company, other_company}


def test_person_visible_to_other_chapter_coordinator_never_includes_first_chapter(
    other_chapter_coordinator, member, coordinator
):
    visible = User.objects.visible_to(other_chapter_coordinator)

    assert member not in visible
    assert coordinator not in visible
    assert other_chapter_coordinator in visible


def test_person_visible_to_outsider_is_empty(outsider, member):
    assert list(User.objects.visible_to(outsider)) == []


# --- People ------------------------------------------------------------------------------


def test_person_create_by_coordinator_saves_person_without_password(coordinator, chapter, company, login):
    response = login(coordinator).post(reverse("members:person_create"), person_data(chapter, company))

    person = User.objects.get(email="nolwenn.lecorre@oceane-paysages.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("members:person_detail", kwargs={"pk": person.pk})
    assert person.chapter == chapter
    assert person.company == company
    assert not person.has_usable_password()
    address = person.emailaddress_set.get()
    assert (address.email, address.primary, address.verified) == (person.email, True, False)


def test_person_create_by_coordinator_says_so_in_french(coordinator, chapter, company, login):
    response = login(coordinator).post(reverse("members:person_create"), person_data(chapter, company))

    assert messages_of(response) == [fr(PERSON_ADDED, name="Nolwenn Le Corre")]


def test_person_create_refuses_an_email_already_taken_and_keeps_input(
    coordinator, chapter, company, member, login
):
    data = person_data(chapter, company, email=member.email.upper())

    response = login(coordinator).post(reverse("members:person_create"), data)

    assert response.status_code == 200
    assert User.objects.filter(email__iexact=member.email).count() == 1
    shown = rendered_values(response.content.decode())
    for name in ("first_name", "last_name", "email", "phone", "job_title"):
        assert shown.get(name) == [data[name]], f"the typed {name} was lost: {shown.get(name)}"
    assert shown.get("company") == [str(company.pk)]


def test_person_create_in_another_chapter_by_tampering_is_refused(
    coordinator, chapter, other_chapter, other_company, login
):
    data = person_data(other_chapter, other_company)

    response = login(coordinator).post(reverse("members:person_create"), data)

    assert response.status_code == 200
    assert not User.objects.filter(last_name="Le Corre").exists()


def test_person_create_with_a_company_of_another_chapter_is_refused(
    coordinator, chapter, other_company, login
):
    response = login(coordinator).post(reverse("members:person_create"), person_data(chapter, other_company))

    assert response.status_code == 200
    assert not User.objects.filter(last_name="Le Corre").exists()


def test_person_update_by_coordinator_saves_and_redirects(coordinator, chapter, company, member, login):
    url = reverse("members:person_update", kwargs={"pk": member.pk})
    data = person_data(
        chapter,
        company,
        first_name="Gwenaël",
        last_name="Le Floch",
        email=member.email,
        phone="06 11 22 33 44",
    )

    response = login(coordinator).post(url, data)

    assert response.status_code == 302
    assert response["Location"] == member.get_absolute_url()
    member.refresh_from_db()
    assert member.phone == "06 11 22 33 44"
    assert member.has_usable_password()  # editing someone does not touch their password


def test_person_update_of_an_admin_is_forbidden_to_the_coordinator(coordinator, chapter, login):
    network_admin = factories.AdminFactory(chapter=chapter, first_name="Sophie", last_name="Martin")
    url = reverse("members:person_update", kwargs={"pk": network_admin.pk})
    client = login(coordinator)

    get_response = client.get(url)
    post_response = client.post(
        url,
        {
            "chapter": chapter.pk,
            "first_name": "Sophie",
            "last_name": "Martin",
            "email": "attacker@example.test",
            "phone": "",
            "job_title": "",
            "company": "",
        },
    )

    assert get_response.status_code == 403
    assert post_response.status_code == 403
    network_admin.refresh_from_db()
    assert network_admin.email != "attacker@example.test"


def test_person_update_is_forbidden_to_the_facilitator(facilitator, member, login):
    response = login(facilitator).get(reverse("members:person_update", kwargs={"pk": member.pk}))

    assert response.status_code == 403


@pytest.mark.parametrize("url_name", ["members:person_detail", "members:person_update"])
def test_person_of_another_chapter_is_not_found_for_its_coordinator(
    url_name, other_chapter_coordinator, member, login
):
    response = login(other_chapter_coordinator).get(reverse(url_name, kwargs={"pk": member.pk}))

    assert response.status_code == 404


def test_person_list_shows_only_the_coordinators_chapter(
    coordinator, member, other_chapter_coordinator, login
):
    response = login(coordinator).get(reverse("members:person_list"))

    assert_shows(response, "Le Floch")
    assert_hides(response, "Pichon")


# --- Own profile -------------------------------------------------------------------------


def test_profile_update_saves_own_name_only(member, login):
    response = login(member).post(
        reverse("members:profile_update"),
        {
            "first_name": "Gwen",
            "last_name": "Le Floch",
            "phone": "06 00 00 00 00",
            "job_title": "PDG",
            "email": "hijack@example.test",
            "is_superuser": "on",
        },
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.first_name, member.job_title) == ("Gwen", "PDG")
    assert member.email == "member@plato.test"
    assert not member.is_superuser

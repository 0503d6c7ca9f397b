"""What a code review found: account takeover through the people pages, malformed
input answering 500, VAT numbers of another company."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from groups.enums import StaffRole
from members.models import Company
from tests import factories
from tests.factories import PASSWORD
from tests.members.test_views import company_data, person_data
from tests.pages import assert_shows


def test_coordinator_cannot_edit_someone_with_a_role_in_another_chapter(
    coordinator, chapter, company, other_chapter, login
):
    # A facilitator of our chapter who also coordinates another one: changing their
    # e-mail would hand over the other chapter.
    person = factories.UserFactory(chapter=chapter, email="double.casquette@plato.test")
    factories.ChapterRoleFactory(user=person, chapter=chapter, role=StaffRole.FACILITATOR)
    factories.ChapterRoleFactory(user=person, chapter=other_chapter, role=StaffRole.COORDINATOR)
    url = reverse("members:person_update", kwargs={"pk": person.pk})

    response = login(coordinator).post(url, person_data(chapter, company, email="attacker@evil.test"))

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.email == "double.casquette@plato.test"


def test_coordinator_cannot_edit_a_django_staff_account(coordinator, chapter, login):
    staff = factories.UserFactory(chapter=chapter, is_staff=True)

    response = login(coordinator).get(reverse("members:person_update", kwargs={"pk": staff.pk}))

    assert response.status_code == 403


def test_email_change_retires_the_old_address_and_tells_its_owner(
    coordinator, chapter, company, member, login, django_capture_on_commit_callbacks
):
    old_email = member.email
    url = reverse("members:person_update", kwargs={"pk": member.pk})
    data = person_data(chapter, company, email="nouvelle.adresse@kerlann.test", first_name="Gwenaël")

    with django_capture_on_commit_callbacks(execute=True):
        response = login(coordinator).post(url, data)

    assert response.status_code == 302
    assert list(EmailAddress.objects.filter(user=member).values_list("email", "verified")) == [
        ("nouvelle.adresse@kerlann.test", False)
    ]
    [notice] = [message for message in mail.outbox if message.to == [old_email]]
    assert "nouvelle.adresse@kerlann.test" in notice.body
    assert notice.subject == "[Plato] Votre adresse de connexion a été modifiée"


def test_old_address_no_longer_signs_in_after_an_email_change(
    coordinator, chapter, company, member, login, client
):
    old_email = member.email
    url = reverse("members:person_update", kwargs={"pk": member.pk})
    login(coordinator).post(url, person_data(chapter, company, email="nouvelle.adresse@kerlann.test"))

    client.logout()
    client.post(reverse("account_login"), {"login": old_email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "query",
    [
        "?chapter=%C2%B2",
        "?chapter=99999999999999999999999",
        "?chapter=abc",
        "?q=%00",
        "?q=" + "x" * 500,
        "?page=abc",
    ],
)
@pytest.mark.parametrize("url_name", ["members:company_list", "members:person_list"])
def test_list_pages_ignore_malformed_query_strings(coordinator, login, url_name, query):
    response = login(coordinator).get(reverse(url_name) + query)

    assert response.status_code in (200, 404)  # a page number that is not one is a 404


@pytest.mark.parametrize("siret", ["²²²²²²²²²²²²²²", "٥٥٢١٠٠٥٥٤٠٠٠١٣"])
def test_company_form_refuses_non_ascii_digits_with_a_french_message(coordinator, chapter, login, siret):
    response = login(coordinator).post(reverse("members:company_create"), company_data(chapter, siret=siret))

    assert response.status_code == 200
    assert_shows(response, "Un SIRET ne contient que des chiffres")
    assert not Company.objects.filter(name="Scierie de Brocéliande").exists()


def test_company_vat_number_of_another_siren_is_refused(coordinator, chapter, login):
    data = company_data(chapter, vat_number="FR40303265045")  # the SIRET typed is 552 100 554 00013

    response = login(coordinator).post(reverse("members:company_create"), data)

    assert response.status_code == 200
    assert_shows(response, "correspond au SIREN 303265045, pas au SIREN 552100554 de cette entreprise")


def test_company_vat_number_matching_its_siren_is_accepted(coordinator, chapter, login):
    data = company_data(chapter, vat_number="FR 96 552 100 554")

    response = login(coordinator).post(reverse("members:company_create"), data)

    assert response.status_code == 302
    assert Company.objects.get(name="Scierie de Brocéliande").vat_number == "FR96552100554"


def test_foreign_vat_number_is_refused_with_its_own_message(coordinator, chapter, login):
    response = login(coordinator).post(
        reverse("members:company_create"), company_data(chapter, vat_number="DE123456789")
    )

    assert_shows(response, "Seuls les numéros de TVA français sont acceptés ici")

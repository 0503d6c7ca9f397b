"""The local networks' directory: kept by coordinators, read by the chapter's people, shown
to alumni and to members in their last six months on their home page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plenaries.enums import ProgramKind
from plenaries.models import LocalNetwork
from tests import factories
from tests.pages import assert_hides, assert_shows
from tests.queries import count_queries, describe


@pytest.fixture
def network(chapter):
    return factories.LocalNetworkFactory(chapter=chapter, name="Cercle des dirigeantes du Morbihan")


@pytest.fixture
def other_network(other_chapter):
    return factories.LocalNetworkFactory(chapter=other_chapter, name="Rennes Industrie Club")


def list_url():
    return reverse("plenaries:network_list")


def detail_url(network):
    return reverse("plenaries:network_detail", kwargs={"pk": network.pk})


def edit_url(network):
    return reverse("plenaries:network_edit", kwargs={"pk": network.pk})


def create_url():
    return reverse("plenaries:network_create")


FORM = {
    "name": "Club des entrepreneurs du pays de Vannes",
    "purpose": "Un petit-déjeuner par mois entre dirigeants.",
    "audience": "Dirigeants de TPE et PME",
    "contact_name": "Nolwenn Le Berre",
    "contact_email": "contact@entrepreneurs-vannes.example",
    "contact_phone": "02 97 01 02 03",
    "website": "https://entrepreneurs-vannes.example/",
    "is_listed": "on",
}


# --- Who reads and who keeps it ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "member", "sponsor", "alumni"])
def test_the_chapters_people_read_its_networks_and_not_another_chapters(
    role, users, login, network, other_network
):
    client = login(users[role])

    page = client.get(list_url())

    assert_shows(page, "Cercle des dirigeantes du Morbihan")
    assert_hides(page, "Rennes Industrie Club")
    assert client.get(detail_url(network)).status_code == 200
    assert client.get(detail_url(other_network)).status_code == 404


def test_an_admin_reads_every_chapters_networks(admin, login, network, other_network):
    assert_shows(login(admin).get(list_url()), "Cercle des dirigeantes du Morbihan", "Rennes Industrie Club")


def test_someone_with_no_role_is_refused_and_anonymous_sent_to_sign_in(outsider, login, network):
    assert login(outsider).get(list_url()).status_code == 403
    assert login(outsider).get(detail_url(network)).status_code == 403
    response = login(None).get(list_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["facilitator", "member", "sponsor", "alumni", "outsider"])
def test_only_coordinators_add_or_edit_networks(role, users, login, network):
    client = login(users[role])

    assert client.get(create_url()).status_code == 403
    assert client.post(edit_url(network), FORM).status_code == 403
    network.refresh_from_db()
    assert network.name == "Cercle des dirigeantes du Morbihan"


def test_a_coordinator_adds_a_network_to_their_chapter(coordinator, login, chapter):
    page = login(coordinator).post(create_url(), FORM, follow=True)

    network = LocalNetwork.objects.get()
    assert (network.chapter, network.name, network.contact_phone) == (chapter, FORM["name"], "02 97 01 02 03")
    assert_shows(page, FORM["name"], "Nolwenn Le Berre", "contact@entrepreneurs-vannes.example")


def test_a_coordinator_edits_their_networks_but_not_another_chapters(
    coordinator, other_chapter_coordinator, login, network
):
    assert login(other_chapter_coordinator).post(edit_url(network), FORM).status_code == 404

    login(coordinator).post(edit_url(network), FORM | {"name": "Dirigeantes 56"})

    network.refresh_from_db()
    assert (network.name, network.chapter.code) == ("Dirigeantes 56", "56")


def test_the_same_name_twice_in_a_chapter_is_a_form_error_not_a_500(coordinator, login, network):
    response = login(coordinator).post(create_url(), FORM | {"name": network.name})

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] or response.context["form"].errors.get("name")
    assert LocalNetwork.objects.count() == 1
    assert_shows(response, "Un petit-déjeuner par mois entre dirigeants.")  # nothing typed is lost


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_phone", "appelez-moi"),
        ("contact_email", "pas-un-email"),
        ("website", "pas un site"),
        ("name", ""),
    ],
)
def test_bad_input_is_refused_field_by_field(coordinator, login, field, value):
    response = login(coordinator).post(create_url(), FORM | {field: value})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not LocalNetwork.objects.exists()


def test_a_coordinator_cannot_post_a_network_into_another_chapter(coordinator, login, other_chapter, chapter):
    login(coordinator).post(create_url(), FORM | {"chapter": other_chapter.pk})

    assert list(LocalNetwork.objects.values_list("chapter", flat=True)) == [chapter.pk]


def test_an_unlisted_network_is_hidden_from_members_but_not_from_coordinators(
    coordinator, member, login, network
):
    network.is_listed = False
    network.save()

    assert_hides(login(member).get(list_url()), network.name)
    assert login(member).get(detail_url(network)).status_code == 404
    assert_shows(login(coordinator).get(list_url()), network.name)


def test_the_network_page_lists_the_plenaries_where_it_presented(member, login, network, chapter):
    plenary = factories.PlenaryFactory(chapter=chapter, title="Plénière départementale 2026")
    factories.ProgramItemFactory(
        plenary=plenary, kind=ProgramKind.NETWORK, network=network, speakers="Catherine"
    )

    assert_shows(login(member).get(detail_url(network)), "Plénière départementale 2026", "Catherine")


def test_the_directory_keeps_its_query_count_whatever_its_size(coordinator, login, chapter):
    def add(count):
        for _ in range(count):
            network = factories.LocalNetworkFactory(chapter=chapter)
            plenary = factories.PlenaryFactory(chapter=chapter)
            factories.ProgramItemFactory(plenary=plenary, kind=ProgramKind.NETWORK, network=network)

    client = login(coordinator)
    add(2)
    small = count_queries(client, list_url())
    add(20)
    large = count_queries(client, list_url())

    assert small == large, describe(small, large, (2, 22))


# --- On the home page -------------------------------------------------------------------------


def test_alumni_see_the_networks_on_their_home_page(alumni, login, network, other_network):
    page = login(alumni).get(reverse("home"))

    assert_shows(page, network.name, list_url())
    assert_hides(page, other_network.name)


def test_members_see_them_only_in_their_last_six_months(member, member_membership, login, network):
    cohort = member_membership.cohort
    cohort.end_date = timezone.localdate() + datetime.timedelta(days=400)
    cohort.save()
    assert_hides(login(member).get(reverse("home")), network.name)

    cohort.end_date = timezone.localdate() + datetime.timedelta(days=150)
    cohort.save()
    assert_shows(login(member).get(reverse("home")), network.name)


def test_the_home_page_shows_the_coming_plenaries_with_the_persons_answer(member, login, chapter):
    from plenaries import services

    coming = factories.PlenaryFactory(chapter=chapter, title="Plénière de printemps")
    factories.PlenaryFactory(
        chapter=chapter,
        title="Plénière passée",
        starts_at=timezone.now() - datetime.timedelta(days=40),
        registration_opens_at=timezone.now() - datetime.timedelta(days=90),
    )
    registration = services.register(coming, member, actor=member)

    page = login(member).get(reverse("home"))

    assert_shows(page, "Plénière de printemps", coming.get_absolute_url(), registration.get_state_display())
    assert_hides(page, "Plénière passée")


def test_someone_not_invited_sees_no_plenary_on_their_home_page(member, login, other_chapter):
    factories.PlenaryFactory(chapter=other_chapter, title="Plénière d’Ille-et-Vilaine")

    assert_hides(login(member).get(reverse("home")), "Plénière d’Ille-et-Vilaine")


def test_the_home_page_keeps_its_query_count_whatever_the_plenaries_and_networks(alumni, login, chapter):
    from plenaries import services

    def add(count):
        for _ in range(count):
            plenary = factories.PlenaryFactory(chapter=chapter)
            services.register(plenary, alumni, actor=alumni)
            network = factories.LocalNetworkFactory(chapter=chapter)
            factories.ProgramItemFactory(plenary=plenary, kind=ProgramKind.NETWORK, network=network)

    client = login(alumni)
    add(1)
    small = count_queries(client, reverse("home"))
    add(6)
    large = count_queries(client, reverse("home"))

    assert small == large, describe(small, large, (1, 7))


def test_the_home_page_says_when_a_coming_plenary_is_full(member, login, chapter, cohort):
    from plenaries import services

    full = factories.PlenaryFactory(chapter=chapter, title="Plénière complète", capacity=1)
    factories.PlenaryFactory(chapter=chapter, title="Plénière ouverte", capacity=50)
    someone = factories.MembershipFactory(cohort=cohort).person
    services.register(full, someone, actor=someone)

    page = login(member).get(reverse("home"))

    cards = {plenary.title: plenary.held for plenary in page.context["plenaries"]}
    assert cards == {"Plénière complète": 1, "Plénière ouverte": 0}
    assert page.content.decode().count("Complet : liste d’attente ouverte") == 1
    assert_shows(page, "Pas encore inscrit·e")

"""Cohort pages, the member and sponsor forms, the admin, the directory: every path checks the rule."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from groups.enums import CohortState, ConflictSource
from groups.models import Cohort, CompetitorOverride, Membership
from tests import factories
from tests.pages import assert_hides, assert_shows


def french(msgid: str, **params) -> str:
    """The catalogue's French for `msgid`; fails when the catalogue lacks it (English would show)."""
    with translation.override("fr"):
        text = gettext(msgid)
    assert text != msgid, f"no French for {msgid!r}"
    return text % params if params else text


def french_plural(singular: str, plural: str, count: int, **params) -> str:
    with translation.override("fr"):
        text = ngettext(singular, plural, count)
    assert text not in (singular, plural), f"no French for {singular!r}"
    return text % (params | {"counter": count})


def rival_of(chapter, naf_code="62.01Z", name="Breizh Web Studio"):
    company = factories.CompanyFactory(chapter=chapter, name=name, naf_code=naf_code)
    return factories.UserFactory(company=company, chapter=chapter, first_name="Yann", last_name="Rival")


def add_member_url(cohort):
    return reverse("groups:membership_add", kwargs={"pk": cohort.pk})


# --- Adding a member through the form -------------------------------------------------------


def test_member_form_refuses_a_competitor_in_french_and_keeps_the_choice(
    chapter, cohort, member_membership, coordinator, login
):
    rival = rival_of(chapter)

    response = login(coordinator).post(add_member_url(cohort), {"person": rival.pk, "justification": ""})

    assert response.status_code == 200
    assert not Membership.objects.filter(person=rival).exists()
    assert_shows(
        response,
        "Breizh Web Studio",
        "Kerlann Informatique",
        "62.01 Programmation informatique",
        french("The competitor rule refuses this member."),
    )
    assert f'<option value="{rival.pk}" selected>' in response.content.decode()


def test_member_form_override_with_justification_is_logged_and_shown_on_the_cohort_page(
    chapter, cohort, member_membership, coordinator, login
):
    rival = rival_of(chapter)
    client = login(coordinator)

    response = client.post(
        add_member_url(cohort),
        {"person": rival.pk, "justification": "Clientèles disjointes : B2C contre B2B."},
    )

    assert response.status_code == 302
    override = CompetitorOverride.objects.get()
    assert (override.actor, override.company) == (coordinator, rival.company)
    page = client.get(cohort.get_absolute_url())
    assert_shows(page, "Clientèles disjointes : B2C contre B2B.", "Breizh Web Studio", str(coordinator))
    assert_shows(page, french("Competitor rule: overrides"))


def test_member_form_admits_a_non_competitor(chapter, cohort, member_membership, coordinator, login):
    leader = rival_of(chapter, naf_code="49.41A", name="Lorient Fret")

    response = login(coordinator).post(add_member_url(cohort), {"person": leader.pk, "justification": ""})

    assert response.status_code == 302
    assert Membership.objects.filter(cohort=cohort, person=leader).exists()
    assert not CompetitorOverride.objects.exists()


def test_facilitator_cannot_add_members(chapter, cohort, facilitator, login):
    leader = rival_of(chapter, naf_code="49.41A")

    response = login(facilitator).post(add_member_url(cohort), {"person": leader.pk})

    assert response.status_code == 403
    assert not Membership.objects.filter(person=leader).exists()


# --- The admin ------------------------------------------------------------------------------


def test_admin_refuses_a_competitor_and_admits_with_a_justification(
    chapter, cohort, member_membership, admin, login
):
    rival = rival_of(chapter)
    client = login(admin)
    data = {"cohort": cohort.pk, "person": rival.pk, "company": rival.company.pk, "joined_on": "2026-11-27"}
    url = reverse("admin:groups_membership_add")

    refused = client.post(url, data | {"justification": ""})

    assert refused.status_code == 200
    assert_shows(refused, "Kerlann Informatique", "62.01 Programmation informatique")
    assert not Membership.objects.filter(person=rival).exists()

    admitted = client.post(url, data | {"justification": "Décidé en comité."})

    assert admitted.status_code == 302
    assert Membership.objects.filter(person=rival, cohort=cohort).exists()
    assert CompetitorOverride.objects.get().justification == "Décidé en comité."


# --- Cohort list and page -------------------------------------------------------------------


def test_cohort_page_warns_below_two_sponsors_and_below_the_minimum(
    cohort, member_membership, coordinator, login
):
    response = login(coordinator).get(cohort.get_absolute_url())

    assert_shows(response, "Kerlann Informatique", "62.01Z")
    html = response.content.decode()
    assert (
        french_plural(
            "Only %(counter)s member: a group needs at least %(min)s.",
            "Only %(counter)s members: a group needs at least %(min)s.",
            1,
            min=10,
        )
        in html
    )
    assert "alert-warning" in html


def test_cohort_page_shows_declared_conflicts_about_its_members(
    chapter, cohort, member_membership, coordinator, login
):
    factories.DeclaredConflictFactory(
        chapter=chapter,
        siren_a="000000000",
        name_a="Agence Vannetaise",
        siren_b=member_membership.company.siren,
        name_b="Kerlann Informatique",
        reason="Mêmes appels d'offres publics",
    )
    factories.DeclaredConflictFactory(chapter=chapter, reason="Nothing to do with this cohort")

    response = login(coordinator).get(cohort.get_absolute_url())

    assert_shows(response, "Mêmes appels d'offres publics", "Agence Vannetaise")
    assert_hides(response, "Nothing to do with this cohort")


def test_cohort_list_filters_by_state_and_ignores_odd_parameters(
    chapter, cohort, closed_cohort, coordinator, login
):
    client = login(coordinator)

    closed_only = client.get(reverse("groups:cohort_list"), {"state": CohortState.CLOSED})
    odd = client.get(reverse("groups:cohort_list"), {"state": "<b>", "chapter": "²"})

    assert_shows(closed_only, "Pays de Lorient")
    assert_hides(closed_only, "Golfe du Morbihan")
    assert odd.status_code == 200
    assert_shows(odd, "Pays de Lorient", "Golfe du Morbihan")


def test_other_chapter_coordinator_never_sees_plato_56_cohorts(cohort, other_chapter_coordinator, login):
    response = login(other_chapter_coordinator).get(reverse("groups:cohort_list"))

    assert_hides(response, "Golfe du Morbihan")


def test_start_and_close_from_the_cohort_page(chapter, coordinator, login):
    cohort = factories.CohortFactory(chapter=chapter, state=CohortState.FORMING, name="Vannes 2027")
    for naf_code in factories.NAF_CODES[:10]:
        factories.MembershipFactory(cohort=cohort, company__naf_code=naf_code)
    client = login(coordinator)

    client.post(reverse("groups:cohort_start", kwargs={"pk": cohort.pk}))
    cohort.refresh_from_db()
    assert cohort.state == CohortState.ACTIVE
    client.post(reverse("groups:cohort_close", kwargs={"pk": cohort.pk}))
    cohort.refresh_from_db()
    assert cohort.state == CohortState.CLOSED
    assert set(cohort.memberships.values_list("state", flat=True)) == {"alumni"}


def test_starting_a_small_cohort_says_why_it_cannot(chapter, coordinator, login):
    cohort = factories.CohortFactory(chapter=chapter, state=CohortState.FORMING)

    response = login(coordinator).post(reverse("groups:cohort_start", kwargs={"pk": cohort.pk}))

    cohort.refresh_from_db()
    assert cohort.state == CohortState.FORMING
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == french_plural(
        "The cohort has %(size)d member; it needs at least %(min)d to start.",
        "The cohort has %(size)d members; it needs at least %(min)d to start.",
        0,
        size=0,
        min=10,
    )


def test_sponsor_form_refuses_a_fourth(chapter, cohort, coordinator, login):
    factories.SponsorshipFactory.create_batch(3, cohort=cohort)
    candidate = factories.UserFactory(company=factories.CompanyFactory(chapter=chapter), chapter=chapter)

    response = login(coordinator).post(
        reverse("groups:sponsorship_add", kwargs={"pk": cohort.pk}), {"person": candidate.pk}
    )

    assert response.status_code == 200
    assert cohort.sponsorships.count() == 3


# --- The members' directory -----------------------------------------------------------------


def test_directory_shows_only_what_each_member_agreed_to(cohort, member, member_membership, login):
    shy = factories.MembershipFactory(
        cohort=cohort,
        company__naf_code="49.41A",
        person__email="shy@example.test",
        person__phone="06 11 22 33 44",
    ).person
    open_ = factories.MembershipFactory(
        cohort=cohort,
        company__naf_code="10.71C",
        person__email="open@example.test",
        person__phone="06 99 88 77 66",
        person__share_email=True,
        person__share_phone=True,
    ).person

    response = login(member).get(reverse("groups:cohort_directory", kwargs={"pk": cohort.pk}))

    assert_shows(response, str(shy), str(open_), "open@example.test", "06 99 88 77 66")
    assert_hides(response, "shy@example.test", "06 11 22 33 44")


def test_alumni_sees_the_directory_of_their_closed_cohort(closed_cohort, alumni, login):
    response = login(alumni).get(reverse("groups:cohort_directory", kwargs={"pk": closed_cohort.pk}))

    assert response.status_code == 200
    assert_shows(response, "Armor Marée Distribution")


def test_profile_form_sets_what_the_directory_shows(member, login):
    client = login(member)
    data = {"first_name": "Gwenaël", "last_name": "Le Floch", "phone": "0601020304", "job_title": "Gérant"}

    client.post(reverse("members:profile_update"), data | {"share_email": "on"})

    member.refresh_from_db()
    assert (member.share_email, member.share_phone, member.share_job_title) == (True, False, False)


def test_member_names_a_competitor_which_then_cannot_join(
    chapter, cohort, member, member_membership, coordinator, login
):
    rival = rival_of(chapter, naf_code="73.11Z", name="Agence Vannetaise")

    response = login(member).post(
        reverse("groups:member_conflict", kwargs={"pk": cohort.pk}),
        {"company_name": "Agence Vannetaise", "siret": rival.company.siret, "reason": "Mêmes clients"},
    )

    assert response.status_code == 302
    conflict = chapter.declared_conflicts.get()
    assert (conflict.declared_as, conflict.declared_by) == (ConflictSource.MEMBER, member)
    refused = login(coordinator).post(add_member_url(cohort), {"person": rival.pk})
    assert_shows(refused, "Mêmes clients")
    assert not Membership.objects.filter(person=rival).exists()


@pytest.mark.parametrize("siret", ["123", "55210055400014", "abcdefghijklmn"])
def test_member_conflict_form_refuses_a_bad_siret_and_keeps_what_was_typed(
    cohort, member, member_membership, login, siret
):
    response = login(member).post(
        reverse("groups:member_conflict", kwargs={"pk": cohort.pk}),
        {"company_name": "Agence Vannetaise", "siret": siret, "reason": "Mêmes clients"},
    )

    assert response.status_code == 200
    assert_shows(response, "Agence Vannetaise", "Mêmes clients")
    assert not cohort.chapter.declared_conflicts.exists()


@pytest.mark.parametrize("start", ["9999-06-01", "9998-06-01", "1900-01-01"])
def test_an_implausible_start_date_is_a_form_error_not_a_500(chapter, coordinator, login, start):
    response = login(coordinator).post(
        reverse("groups:cohort_create", kwargs={"code": chapter.code}),
        {"name": "Vannes 2027", "start_date": start},
    )

    assert response.status_code == 200
    assert not Cohort.objects.filter(name="Vannes 2027").exists()
    assert_shows(response, "Vannes 2027")

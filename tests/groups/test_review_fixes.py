"""What an independent review found wrong once, kept from coming back."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.candidate_csv import parse_candidates
from groups.models import Cohort, DeclaredConflict, Membership
from members.identifiers import make_siret
from tests import factories
from tests.groups.test_candidate_views import HEADER, pool
from tests.pages import assert_shows


@pytest.mark.parametrize("start", ["9999-06-01", "9998-06-01", "1900-01-01"])
def test_an_implausible_start_date_is_a_form_error_not_a_500(chapter, coordinator, login, start):
    response = login(coordinator).post(
        reverse("groups:cohort_create", kwargs={"code": chapter.code}),
        {"name": "Vannes 2027", "start_date": start},
    )

    assert response.status_code == 200
    assert not Cohort.objects.filter(name="Vannes 2027").exists()
    assert_shows(response, "Vannes 2027")


def test_composer_confirm_with_an_implausible_date_is_a_form_error(chapter, coordinator, login):
    chapter.group_min_size, chapter.group_max_size = 3, 4
    chapter.save()
    pool(chapter)
    client = login(coordinator)
    client.post(reverse("groups:composer", kwargs={"code": chapter.code}), {"min_size": 3, "max_size": 4})

    response = client.post(
        reverse("groups:composer_confirm", kwargs={"code": chapter.code}),
        {"name_0": "A 2027", "name_1": "B 2027", "start_date": "9999-01-01"},
    )

    assert response.status_code == 200
    assert not Cohort.objects.filter(name__in=["A 2027", "B 2027"]).exists()


def test_composer_confirm_shows_a_placement_error_instead_of_failing(chapter, coordinator, admin, login):
    chapter.group_min_size, chapter.group_max_size = 3, 4
    chapter.save()
    candidates = pool(chapter)
    candidates[2].email = admin.email  # the network administrator's address: never attached to a company
    candidates[2].save()
    client = login(coordinator)
    client.post(reverse("groups:composer", kwargs={"code": chapter.code}), {"min_size": 3, "max_size": 4})

    response = client.post(
        reverse("groups:composer_confirm", kwargs={"code": chapter.code}),
        {"name_0": "A 2027", "name_1": "B 2027"},
    )

    assert response.status_code == 200
    assert_shows(response, admin.email)
    assert not Cohort.objects.filter(name__in=["A 2027", "B 2027"]).exists()
    admin.refresh_from_db()
    assert admin.company is None


def test_composer_refuses_groups_larger_than_the_chapter_allows(chapter, coordinator, login):
    pool(chapter)

    response = login(coordinator).post(
        reverse("groups:composer", kwargs={"code": chapter.code}), {"min_size": 12, "max_size": 16}
    )

    assert response.status_code == 200
    assert f"composer:{chapter.pk}" not in response.wsgi_request.session


def test_csv_values_longer_than_the_fields_are_row_errors():
    text = HEADER + f"Forge,{make_siret(1)},25.50A,{'V' * 120},56000,A,B,{'a' * 250}@example.test\n"

    parsed = parse_candidates(text.encode())

    assert not parsed.rows
    assert [error.line for error in parsed.errors] == [2, 2]


def test_csv_with_an_unreadable_header_is_not_called_empty():
    parsed = parse_candidates(("x" * 140_000 + "\n").encode())

    assert len(parsed.errors) == 1
    assert "CSV" in str(parsed.errors[0])


def test_import_of_a_long_town_imports_nothing(chapter, coordinator, login):
    text = HEADER + f"Forge,{make_siret(1)},25.50A,{'V' * 120},56000,A,B,a@example.test\n"

    response = login(coordinator).post(
        reverse("groups:candidate_import", kwargs={"code": chapter.code}),
        {"file": SimpleUploadedFile("long.csv", text.encode()), "qualified": "on"},
    )

    assert response.status_code == 200
    assert not chapter.candidates.exists()


def test_admin_orders_a_declared_pair_typed_backwards(chapter, admin, login):
    high, low = make_siret(1)[:9], make_siret(2)[:9]
    high, low = max(high, low), min(high, low)

    response = login(admin).post(
        reverse("admin:groups_declaredconflict_add"),
        {
            "chapter": chapter.pk,
            "siren_a": high,
            "name_a": "High",
            "siren_b": low,
            "name_b": "Low",
            "reason": "r",
        },
    )

    assert response.status_code == 302
    conflict = DeclaredConflict.objects.get()
    assert (conflict.siren_a, conflict.name_a, conflict.siren_b, conflict.name_b) == (
        low,
        "Low",
        high,
        "High",
    )


def test_admin_refuses_a_leaving_date_before_joining(member_membership, admin, login):
    url = reverse("admin:groups_membership_change", args=[member_membership.pk])

    response = login(admin).post(
        url, {"state": "withdrawn", "joined_on": "2025-09-02", "left_on": "2000-01-01", "left_reason": "x"}
    )

    assert response.status_code == 200
    member_membership.refresh_from_db()
    assert member_membership.state == "active"


def test_admin_cannot_reopen_an_ended_sponsorship(chapter, cohort, admin, login):
    sponsorship = factories.SponsorshipFactory(cohort=cohort, ended_on="2026-01-01")

    response = login(admin).post(
        reverse("admin:groups_sponsorship_change", args=[sponsorship.pk]),
        {"started_on": "2025-09-02", "ended_on": ""},
    )

    assert response.status_code == 200
    sponsorship.refresh_from_db()
    assert str(sponsorship.ended_on) == "2026-01-01"


def test_admin_cannot_change_a_cohorts_state_or_chapter(cohort, other_chapter, admin, login):
    login(admin).post(
        reverse("admin:groups_cohort_change", args=[cohort.pk]),
        {
            "name": cohort.name,
            "chapter": other_chapter.pk,
            "state": "closed",
            "start_date": "2025-09-02",
            "end_date": "2027-09-01",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "sponsorships-TOTAL_FORMS": "0",
            "sponsorships-INITIAL_FORMS": "0",
        },
    )

    cohort.refresh_from_db()
    assert cohort.state == "active"
    assert cohort.chapter.code == "56"


def test_declaring_a_conflict_between_cohort_mates_says_they_already_sit_together(
    chapter, cohort, member_membership, coordinator, login
):
    mate = factories.MembershipFactory(
        cohort=cohort, company__naf_code="73.11Z", company__name="Agence Vannetaise"
    )

    response = login(coordinator).post(
        reverse("groups:conflict_list", kwargs={"code": chapter.code}),
        {
            "party": member_membership.company.siren,
            "other_party": mate.company.siren,
            "reason": "Mêmes clients",
        },
    )

    (message,) = [m for m in get_messages(response.wsgi_request)]
    assert message.level_tag == "warning"
    assert "Golfe du Morbihan" in str(message)
    assert Membership.objects.filter(cohort=cohort).count() == 2  # declaring moves nobody

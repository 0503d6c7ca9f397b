"""The groups admin: the rules of the pages hold behind them too (pairs ordered, dates checked,
no state, chapter or audit log changed, no fourth sponsor, no withdrawn member back)."""

from django.urls import reverse

from groups.models import DeclaredConflict
from members.identifiers import make_siret
from tests import factories


def test_admin_cannot_edit_or_delete_the_audit_log(chapter, cohort, admin, coordinator, login):
    override = factories.CompetitorOverrideFactory(cohort=cohort, actor=coordinator)
    client = login(admin)

    client.post(reverse("admin:groups_competitoroverride_change", args=[override.pk]), {"justification": "x"})
    deleted = client.post(
        reverse("admin:groups_competitoroverride_delete", args=[override.pk]), {"post": "yes"}
    )

    assert deleted.status_code == 403
    override.refresh_from_db()
    assert override.justification != "x"


def test_admin_cannot_bring_a_withdrawn_member_back_without_the_rule(cohort, member_membership, admin, login):
    member_membership.state, member_membership.left_on, member_membership.left_reason = (
        "withdrawn",
        "2026-03-01",
        "x",
    )
    member_membership.save()
    url = reverse("admin:groups_membership_change", args=[member_membership.pk])

    response = login(admin).post(
        url, {"state": "active", "joined_on": "2025-09-02", "left_on": "", "left_reason": ""}
    )

    assert response.status_code == 200
    member_membership.refresh_from_db()
    assert member_membership.state == "withdrawn"


def test_admin_cannot_add_a_fourth_sponsor_behind_the_cohort_page(admin, login):
    assert login(admin).get(reverse("admin:groups_sponsorship_add")).status_code == 403


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

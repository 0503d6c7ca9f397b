"""Cohorts, members, sponsors, conflicts and candidates: the services every path goes through."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from groups import services
from groups.enums import (
    CandidateSource,
    CandidateState,
    CohortState,
    CompetitorGranularity,
    ConflictSource,
    MembershipState,
)
from groups.models import Candidate, Cohort, CompetitorOverride, Membership
from groups.roles import roles_for
from members.identifiers import make_siret
from members.models import Company, User
from tests import factories


def leader_of(chapter, naf_code, name="Boulangerie du Port", **company):
    company = factories.CompanyFactory(chapter=chapter, name=name, naf_code=naf_code, **company)
    return factories.UserFactory(company=company, chapter=chapter)


def fill(cohort, count):
    """`count` members of distinct activities (factories.NAF_CODES are of distinct classes)."""
    for naf_code in factories.NAF_CODES[1 : count + 1]:
        factories.MembershipFactory(cohort=cohort, company__naf_code=naf_code)


# --- The competitor rule on the way in -----------------------------------------------------


@pytest.mark.parametrize(
    ("granularity", "naf_code", "refused"),
    [
        (CompetitorGranularity.SUBCLASS, "62.01Z", True),
        (CompetitorGranularity.SUBCLASS, "62.02A", False),
        (CompetitorGranularity.CLASS, "62.01Z", True),
        (CompetitorGranularity.CLASS, "62.02A", False),
        (CompetitorGranularity.GROUP, "62.02A", True),
        (CompetitorGranularity.GROUP, "63.11Z", False),
    ],
)
def test_add_member_applies_the_chapter_granularity(
    chapter, cohort, member_membership, coordinator, granularity, naf_code, refused
):
    chapter.competitor_granularity = granularity
    chapter.save()
    person = leader_of(chapter, naf_code, name="Breizh Web Studio")

    if refused:
        with pytest.raises(services.CompetitorRefused) as refusal:
            services.add_member(cohort, person.company, person=person, actor=coordinator)
        assert "Kerlann Informatique" in str(refusal.value)
        assert not Membership.objects.filter(company=person.company).exists()
    else:
        membership = services.add_member(cohort, person.company, person=person, actor=coordinator)
        assert membership.state == MembershipState.ACTIVE


def test_add_member_refusal_names_the_member_already_there_and_the_activity(
    cohort, member_membership, coordinator, chapter
):
    person = leader_of(chapter, "62.01Z", name="Breizh Web Studio")

    with pytest.raises(services.CompetitorRefused) as refusal:
        services.add_member(cohort, person.company, person=person, actor=coordinator)

    (message,) = refusal.value.messages
    assert "Breizh Web Studio" in message
    assert "Kerlann Informatique" in message
    assert "62.01 Programmation informatique" in message


def test_add_member_refuses_a_declared_conflict_with_its_reason(
    cohort, member_membership, coordinator, chapter
):
    person = leader_of(chapter, "73.11Z", name="Agence Vannetaise")
    services.declare_conflict(
        chapter,
        siren=member_membership.company.siren,
        name="Kerlann Informatique",
        other_siren=person.company.siren,
        other_name="Agence Vannetaise",
        reason="Mêmes clients pour l'infogérance",
        actor=coordinator,
    )

    with pytest.raises(services.CompetitorRefused) as refusal:
        services.add_member(cohort, person.company, person=person, actor=coordinator)

    assert "Mêmes clients pour l'infogérance" in str(refusal.value)
    assert refusal.value.conflicts[0].kind == "declared"


def test_a_members_declaration_keeps_their_competitor_out(
    cohort, member, member_membership, coordinator, chapter
):
    rival = leader_of(chapter, "73.11Z", name="Agence Vannetaise")
    services.declare_conflict(
        chapter,
        siren=member_membership.company.siren,
        name=member_membership.company.name,
        other_siren=rival.company.siren,
        other_name="Agence Vannetaise",
        reason="Nous répondons aux mêmes appels d'offres",
        actor=member,
        declared_as=ConflictSource.MEMBER,
    )

    with pytest.raises(services.CompetitorRefused) as refusal:
        services.add_member(cohort, rival.company, person=rival, actor=coordinator)

    assert "declared by a member" in str(refusal.value) or "déclaré par un membre" in str(refusal.value)


def test_declare_conflict_twice_is_refused_and_stores_one(chapter, coordinator):
    kwargs = dict(
        siren="552100554", name="A", other_siren="732829320", other_name="B", reason="r", actor=coordinator
    )
    services.declare_conflict(chapter, **kwargs)

    with pytest.raises(ValidationError):
        services.declare_conflict(chapter, **kwargs | {"siren": "732829320", "other_siren": "552100554"})

    assert chapter.declared_conflicts.count() == 1


def test_override_with_justification_admits_and_writes_the_audit_log(
    cohort, member_membership, coordinator, chapter
):
    person = leader_of(chapter, "62.01Z", name="Breizh Web Studio")

    membership = services.add_member(
        cohort, person.company, person=person, actor=coordinator, justification="  Clientèles disjointes.  "
    )

    (entry,) = CompetitorOverride.objects.all()
    assert membership.state == MembershipState.ACTIVE
    assert (entry.cohort, entry.company, entry.competitor) == (
        cohort,
        person.company,
        member_membership.company,
    )
    assert entry.actor == coordinator  # who
    assert entry.created_at is not None  # when
    assert "62.01 Programmation informatique" in entry.conflict  # what
    assert entry.justification == "Clientèles disjointes."  # why


def test_only_a_coordinator_may_override(cohort, member_membership, facilitator, chapter):
    person = leader_of(chapter, "62.01Z", name="Breizh Web Studio")

    with pytest.raises(ValidationError, match="coordinat"):
        services.add_member(
            cohort, person.company, person=person, actor=facilitator, justification="Je le veux."
        )

    assert not CompetitorOverride.objects.exists()
    assert not Membership.objects.filter(company=person.company).exists()


def test_add_member_refuses_a_closed_or_full_cohort(chapter, closed_cohort, cohort, coordinator):
    person = leader_of(chapter, "49.41A", name="Lorient Fret")
    with pytest.raises(ValidationError, match=r"closed|fermé"):
        services.add_member(closed_cohort, person.company, person=person, actor=coordinator)

    fill(cohort, chapter.group_max_size)
    with pytest.raises(ValidationError, match=r"full|complet"):
        services.add_member(cohort, person.company, person=person, actor=coordinator)


def test_a_company_holds_one_place_at_a_time(chapter, cohort, member_membership, coordinator):
    other = factories.CohortFactory(chapter=chapter, name="Centre Bretagne", state=CohortState.FORMING)

    with pytest.raises(ValidationError) as refusal:
        services.add_member(
            other, member_membership.company, person=member_membership.person, actor=coordinator
        )

    assert "Golfe du Morbihan" in str(refusal.value)


def test_add_member_refuses_a_person_who_does_not_lead_the_company(chapter, cohort, coordinator):
    person = leader_of(chapter, "49.41A")
    stranger = factories.UserFactory(chapter=chapter)

    with pytest.raises(ValidationError):
        services.add_member(cohort, person.company, person=stranger, actor=coordinator)


def test_add_member_refuses_a_company_of_another_chapter(cohort, other_company, coordinator):
    person = factories.UserFactory(company=other_company)

    with pytest.raises(ValidationError):
        services.add_member(cohort, other_company, person=person, actor=coordinator)


# --- Lifecycle ------------------------------------------------------------------------------


def test_create_cohort_ends_two_years_later(chapter, coordinator, facilitator):
    cohort = services.create_cohort(
        chapter,
        name="Vannes 2027",
        start_date=datetime.date(2027, 9, 7),
        facilitators=[facilitator],
        actor=coordinator,
    )

    assert cohort.state == CohortState.FORMING
    assert cohort.end_date == datetime.date(2029, 9, 6)
    assert list(cohort.facilitators.all()) == [facilitator]


def test_two_years_after_a_29_february():
    assert services.two_years_after(datetime.date(2028, 2, 29)) == datetime.date(2030, 2, 27)


def test_create_cohort_refuses_a_facilitator_of_another_chapter(
    chapter, coordinator, other_chapter_coordinator
):
    with pytest.raises(ValidationError):
        services.create_cohort(
            chapter, name="X", start_date=None, facilitators=[other_chapter_coordinator], actor=coordinator
        )
    assert not Cohort.objects.filter(name="X").exists()


def test_start_cohort_needs_its_minimum_size(chapter, coordinator):
    cohort = services.create_cohort(
        chapter, name="Vannes 2027", start_date=datetime.date(2027, 9, 7), actor=coordinator
    )
    fill(cohort, chapter.group_min_size - 1)

    with pytest.raises(ValidationError, match=str(chapter.group_min_size)):
        services.start_cohort(cohort, actor=coordinator)

    factories.MembershipFactory(cohort=cohort, company__naf_code="85.53Z")
    services.start_cohort(cohort, actor=coordinator)
    cohort.refresh_from_db()
    assert cohort.state == CohortState.ACTIVE


def test_close_cohort_turns_members_into_alumni_and_keeps_their_history(cohort, member, sponsor, coordinator):
    withdrawn = factories.MembershipFactory(cohort=cohort, company__naf_code="49.41A")
    services.withdraw_member(
        withdrawn, actor=coordinator, reason="Cession de l'entreprise", left_on=datetime.date(2026, 3, 1)
    )

    services.close_cohort(cohort, actor=coordinator, closed_on=datetime.date(2027, 9, 1))

    membership = member.memberships.get()
    assert membership.state == MembershipState.ALUMNI
    assert membership.left_on == datetime.date(2027, 9, 1)
    withdrawn.refresh_from_db()
    assert (withdrawn.state, withdrawn.left_reason) == (MembershipState.WITHDRAWN, "Cession de l'entreprise")
    assert sponsor.sponsorships.get().ended_on == datetime.date(2027, 9, 1)
    member._plato_roles = None
    assert roles_for(User.objects.get(pk=member.pk)).alumni_cohort_ids == {cohort.pk}


def test_withdraw_member_needs_a_reason(member_membership, coordinator):
    with pytest.raises(ValidationError):
        services.withdraw_member(member_membership, actor=coordinator, reason="  ")
    member_membership.refresh_from_db()
    assert member_membership.state == MembershipState.ACTIVE


# --- Sponsors -------------------------------------------------------------------------------


def _sponsor_person(chapter):
    company = factories.CompanyFactory(chapter=chapter, naf_code="64.19Z")
    return factories.UserFactory(company=company, chapter=chapter)


def test_a_fourth_sponsor_is_refused_naming_the_three(chapter, cohort, coordinator):
    for _ in range(3):
        services.add_sponsor(cohort, person=_sponsor_person(chapter), actor=coordinator)

    with pytest.raises(ValidationError) as refusal:
        services.add_sponsor(cohort, person=_sponsor_person(chapter), actor=coordinator)

    assert str(services.MAX_SPONSORS) in str(refusal.value)
    assert cohort.sponsorships.count() == 3


def test_an_ended_sponsorship_frees_the_place_and_a_sponsor_may_sponsor_several_cohorts(
    chapter, cohort, coordinator
):
    people = [_sponsor_person(chapter) for _ in range(3)]
    sponsorships = [services.add_sponsor(cohort, person=person, actor=coordinator) for person in people]
    other = factories.CohortFactory(chapter=chapter, state=CohortState.FORMING)

    services.end_sponsorship(sponsorships[0], actor=coordinator)
    services.add_sponsor(cohort, person=_sponsor_person(chapter), actor=coordinator)
    services.add_sponsor(other, person=people[1], actor=coordinator)

    assert cohort.sponsorships.filter(ended_on__isnull=True).count() == 3
    assert people[1].sponsorships.count() == 2


# --- Candidates -----------------------------------------------------------------------------


CSV_HEADER = "company_name,siret,naf_code,town,postcode,leader_first_name,leader_last_name,email\n"


def csv_row(name, seed, naf_code="62.01Z", email=None):
    return (
        f"{name},{make_siret(seed)},{naf_code},Vannes,56000,Anne,Rouxel,{email or f'{seed}@example.test'}\n"
    )


def test_import_creates_every_candidate_of_a_good_file(chapter, coordinator):
    data = (CSV_HEADER + csv_row("A", 1) + csv_row("B", 2, "10.71C")).encode()

    result = services.import_candidates(chapter, data, actor=coordinator, qualified=True)

    assert not result.errors
    assert {c.company_name for c in Candidate.objects.filter(state=CandidateState.QUALIFIED)} == {"A", "B"}
    assert set(Candidate.objects.values_list("source", flat=True)) == {CandidateSource.IMPORT}


def test_import_with_one_bad_row_imports_nothing_and_reports_every_bad_row(chapter, coordinator):
    data = (
        CSV_HEADER
        + csv_row("Good", 1)
        + "Bad SIRET,12345,62.01Z,Vannes,56000,Anne,Rouxel,a@example.test\n"
        + csv_row("Good 2", 3)
        + "Bad NAF,"
        + make_siret(4)
        + ",99.99Z,Vannes,5600,Anne,Rouxel,not-an-email\n"
    ).encode()

    result = services.import_candidates(chapter, data, actor=coordinator)

    assert not Candidate.objects.exists()
    lines = [error.line for error in result.errors]
    assert lines == [3, 5, 5, 5]
    assert "SIRET" in str(result.errors[0])
    assert str(result.errors[0]).startswith(("Line 3", "Ligne 3"))


def test_import_refuses_a_company_already_a_member_or_already_applying(
    chapter, coordinator, member_membership
):
    factories.CandidateFactory(chapter=chapter, siret=make_siret(2), state=CandidateState.NEW)
    member_row = f"Kerlann,{member_membership.company.siret},62.01Z,Vannes,56000,G,L,g@example.test\n"
    data = (CSV_HEADER + member_row + csv_row("Again", 2)).encode()

    result = services.import_candidates(chapter, data, actor=coordinator)

    assert [error.line for error in result.errors] == [2, 3]
    assert "Golfe du Morbihan" in str(result.errors[0])
    assert Candidate.objects.count() == 1


def test_import_accepts_semicolons_a_bom_and_loose_spellings(chapter, coordinator):
    siret = make_siret(9)
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    data = (
        "\ufeff" + CSV_HEADER.replace(",", ";") + f"Crêperie;{spaced};5610a;Vannes;56000;Léa;Ryo;LEA@X.FR\n"
    ).encode()

    result = services.import_candidates(chapter, data, actor=coordinator)

    assert not result.errors, [str(error) for error in result.errors]
    candidate = Candidate.objects.get()
    assert (candidate.siret, candidate.naf_code, candidate.email) == (siret, "56.10A", "lea@x.fr")


def test_submit_application_keeps_a_second_application_as_a_duplicate_and_acknowledges_both(
    chapter, django_capture_on_commit_callbacks
):
    def application():
        return Candidate(
            chapter=chapter,
            company_name="Crêperie",
            siret=make_siret(11),
            naf_code="56.10A",
            size_band="micro",
            postcode="56000",
            town="Vannes",
            first_name="Léa",
            last_name="Ryo",
            email="Lea@Example.test",
            phone="0600000000",
        )

    with django_capture_on_commit_callbacks(execute=True):
        first = services.submit_application(application())
    with django_capture_on_commit_callbacks(execute=True):
        second = services.submit_application(application())

    assert (first.duplicate_of, second.duplicate_of) == (None, first)
    assert [message.to for message in mail.outbox] == [["lea@example.test"], ["lea@example.test"]]
    message = mail.outbox[0]
    assert message.subject == f"[Plato] Votre candidature auprès de {chapter.name}"
    assert message.body.startswith("Bonjour Léa,")
    assert message.alternatives[0][1] == "text/html" and "Léa" in message.alternatives[0][0]
    assert re.fullmatch(
        rf"<application-{first.pk}\.\d{{20}}@127\.0\.0\.1>", message.extra_headers["Message-ID"]
    )


def test_coordinator_entry_still_refuses_a_second_open_application(chapter, coordinator):
    first = factories.CandidateFactory(chapter=chapter, state="new")
    duplicate = factories.CandidateFactory.build(chapter=chapter, siret=first.siret)

    with pytest.raises(ValidationError) as refusal:
        services.create_candidate(duplicate, actor=coordinator)

    assert "siret" in refusal.value.error_dict
    assert Candidate.objects.count() == 1


def test_place_candidate_creates_company_and_leader_and_joins(chapter, cohort, coordinator):
    candidate = factories.CandidateFactory(chapter=chapter, naf_code="49.41A", email="lea@example.test")

    membership = services.place_candidate(candidate, cohort, actor=coordinator)

    candidate.refresh_from_db()
    assert candidate.state == CandidateState.PLACED and candidate.membership == membership
    assert membership.company.siret == candidate.siret
    assert membership.person.email == "lea@example.test"
    assert membership.person.company == membership.company
    assert not membership.person.has_usable_password()


def test_place_candidate_refuses_a_competitor_and_creates_nothing(
    chapter, cohort, member_membership, coordinator
):
    candidate = factories.CandidateFactory(
        chapter=chapter, naf_code="62.01Z", company_name="Breizh Web Studio"
    )
    companies, people = Company.objects.count(), User.objects.count()

    with pytest.raises(services.CompetitorRefused):
        services.place_candidate(candidate, cohort, actor=coordinator)

    candidate.refresh_from_db()
    assert candidate.state == CandidateState.QUALIFIED
    assert (Company.objects.count(), User.objects.count()) == (companies, people)


def test_decline_needs_a_reason_and_closes_the_application(chapter, coordinator):
    candidate = factories.CandidateFactory(chapter=chapter)

    with pytest.raises(ValidationError):
        services.decline_candidate(candidate, actor=coordinator, reason="")
    services.decline_candidate(candidate, actor=coordinator, reason="Trop grande entreprise")

    candidate.refresh_from_db()
    assert (candidate.state, candidate.decline_reason) == (CandidateState.DECLINED, "Trop grande entreprise")
    with pytest.raises(ValidationError):
        services.qualify_candidate(candidate, actor=coordinator)


# --- Confirming a composition ---------------------------------------------------------------


def test_confirm_composition_creates_forming_cohorts_and_places_everyone(chapter, coordinator):
    chapter.group_min_size, chapter.group_max_size = 2, 3
    chapter.save()
    first = factories.CandidateFactory.create_batch(3, chapter=chapter)
    second = factories.CandidateFactory.create_batch(2, chapter=chapter)

    cohorts = services.confirm_composition(
        chapter,
        [
            services.ProposedCohort("Vannes 2027", [c.pk for c in first]),
            services.ProposedCohort("Auray 2027", [c.pk for c in second]),
        ],
        actor=coordinator,
        start_date=datetime.date(2027, 9, 7),
    )

    assert [(c.name, c.state, c.memberships.count()) for c in cohorts] == [
        ("Vannes 2027", CohortState.FORMING, 3),
        ("Auray 2027", CohortState.FORMING, 2),
    ]
    assert set(Candidate.objects.values_list("state", flat=True)) == {CandidateState.PLACED}


def test_confirm_composition_with_a_competitor_pair_creates_nothing(chapter, coordinator):
    chapter.group_min_size = 2
    chapter.save()
    twins = factories.CandidateFactory.create_batch(2, chapter=chapter, naf_code="10.71C")
    other = factories.CandidateFactory(chapter=chapter, naf_code="62.01Z")

    with pytest.raises(services.CompetitorRefused):
        services.confirm_composition(
            chapter,
            [services.ProposedCohort("Vannes 2027", [twins[0].pk, other.pk, twins[1].pk])],
            actor=coordinator,
        )

    assert not Cohort.objects.filter(name="Vannes 2027").exists()
    assert not Membership.objects.exists()
    assert set(Candidate.objects.values_list("state", flat=True)) == {CandidateState.QUALIFIED}


def test_import_into_a_cohort_refuses_a_competitor_row_and_imports_nothing(
    chapter, cohort, member_membership, coordinator
):
    data = (
        CSV_HEADER
        + csv_row("Lorient Fret", 1, "49.41A")
        + csv_row("Breizh Web Studio", 2, "62.01Z")  # competes with Kerlann Informatique, a member
        + csv_row("Fournil du Port", 3, "10.71C")
        + csv_row("Boulangerie Morvan", 4, "10.71D")  # competes with the row above
    ).encode()

    result = services.import_candidates(chapter, data, actor=coordinator, cohort=cohort)

    assert [error.line for error in result.errors] == [3, 5]
    assert "Kerlann Informatique" in str(result.errors[0])
    assert "Fournil du Port" in str(result.errors[1])
    assert not result.created
    assert not Candidate.objects.exists()
    assert list(cohort.memberships.values_list("company__name", flat=True)) == ["Kerlann Informatique"]
    assert Company.objects.filter(name="Lorient Fret").count() == 0


def test_import_into_a_cohort_places_every_row(chapter, cohort, member_membership, coordinator):
    data = (
        CSV_HEADER + csv_row("Lorient Fret", 1, "49.41A") + csv_row("Fournil du Port", 3, "10.71C")
    ).encode()

    result = services.import_candidates(chapter, data, actor=coordinator, cohort=cohort)

    assert not result.errors
    assert set(cohort.memberships.values_list("company__name", flat=True)) == {
        "Kerlann Informatique",
        "Lorient Fret",
        "Fournil du Port",
    }
    assert set(Candidate.objects.values_list("state", flat=True)) == {CandidateState.PLACED}


def test_correcting_a_duplicates_siret_takes_its_mark_off(chapter, member_membership, coordinator):
    candidate = factories.CandidateFactory.build(
        chapter=chapter, siret=member_membership.company.siret, email="lea@example.test"
    )
    services.submit_application(candidate)
    assert candidate.duplicate_of_membership == member_membership

    candidate.siret = make_siret(4242)
    services.update_candidate(candidate, actor=coordinator)

    candidate.refresh_from_db()
    assert not candidate.is_duplicate

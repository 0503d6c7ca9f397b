"""`manage.py seed_demo`: idempotent, valid data, and six accounts that reach their home page."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from billing.models import Invoice, Payment
from demo.builders.members import DEMO_ACCOUNTS, DEMO_PASSWORD
from groups.models import (
    Candidate,
    Chapter,
    ChapterRole,
    Cohort,
    DeclaredConflict,
    Membership,
    Region,
    Sponsorship,
)
from groups.roles import Role, roles_for
from meetings.models import ActionItem, AgendaItem, Attendance, Ballot, BallotChoice, Meeting, Topic
from members.models import Company, User
from members.validators import validate_naf_code, validate_siret
from plenaries.models import LocalNetwork, Plenary, ProgramItem, Registration
from tests.pages import assert_shows

MODELS = [
    Invoice,
    Payment,
    Region,
    Chapter,
    ChapterRole,
    Cohort,
    Membership,
    Sponsorship,
    Candidate,
    DeclaredConflict,
    Meeting,
    Topic,
    Ballot,
    BallotChoice,
    AgendaItem,
    Attendance,
    ActionItem,
    Company,
    User,
    EmailAddress,
    LocalNetwork,
    Plenary,
    ProgramItem,
    Registration,
]

HOMES = {
    "admin": ("plato/home_admin.html", ["Plato 56 — CCI du Morbihan", "Plato 35 — CCI Ille-et-Vilaine"]),
    "coordinator": ("plato/home_coordinator.html", ["Plato 56 — CCI du Morbihan"]),
    "facilitator": ("plato/home_facilitator.html", ["Golfe du Morbihan", "Centre Bretagne"]),
    "member": ("plato/home_member.html", ["Golfe du Morbihan", "Kerlann Informatique"]),
    "sponsor": ("plato/home_sponsor.html", ["Golfe du Morbihan", "Crédit Maritime Armoricain"]),
    "alumni": ("plato/home_alumni.html", ["Pays de Lorient", "Armor Marée Distribution"]),
}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Seeded once for the module, inside a transaction rolled back at its end (each test
    then runs in its own savepoint, as usual)."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def test_seed_demo_again_creates_nothing_more(demo):
    first = row_counts()

    seed()
    seed()

    assert row_counts() == first
    assert first["Company"] == 35  # 30 Morbihan members, 3 sponsors' companies, 2 in Ille-et-Vilaine
    assert first["Cohort"] == 3
    assert first["User"] == 35 + 4  # a leader per company, admin, coordinator, facilitator, coordinator 35


def test_seed_demo_prints_the_demo_accounts(demo):
    assert DEMO_PASSWORD in demo
    for email in DEMO_ACCOUNTS.values():
        assert email in demo


@pytest.mark.parametrize("role", list(DEMO_ACCOUNTS))
def test_seed_demo_account_signs_in_with_the_demo_password(role, demo):
    user = authenticate(None, email=DEMO_ACCOUNTS[role], password=DEMO_PASSWORD)

    assert user is not None, f"{DEMO_ACCOUNTS[role]} cannot sign in with the demo password"
    assert user.emailaddress_set.filter(verified=True, primary=True).exists()


@pytest.mark.parametrize("role", list(HOMES))
def test_seed_demo_account_has_its_role(role, demo):
    user = User.objects.get(email=DEMO_ACCOUNTS[role])

    assert roles_for(user).primary == Role(role)


@pytest.mark.parametrize("role", list(HOMES))
def test_seed_demo_account_reaches_its_home_page(role, demo):
    template, texts = HOMES[role]
    client = Client()
    client.force_login(User.objects.get(email=DEMO_ACCOUNTS[role]))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert_shows(response, *texts)


def test_seed_demo_companies_have_valid_identifiers(demo):
    for company in Company.objects.all():
        validate_siret(company.siret)
        validate_naf_code(company.naf_code)
        company.full_clean()


def test_seed_demo_chapters_are_valid(demo):
    for chapter in Chapter.objects.all():
        chapter.full_clean()


def test_seed_demo_other_chapter_coordinator_sees_none_of_plato_56(demo):
    coordinator_35 = User.objects.get(email=DEMO_ACCOUNTS["coordinator_35"])

    assert not Company.objects.visible_to(coordinator_35).filter(chapter__code="56").exists()
    assert Company.objects.visible_to(coordinator_35).count() == 2


def test_seed_demo_active_cohort_has_meetings_history_and_an_open_vote(demo):
    from django.utils import timezone

    from meetings import selectors

    cohort = Cohort.objects.get(name="Golfe du Morbihan")
    now = timezone.now()
    past = [m for m in cohort.meetings.all() if m.ends_at < now]
    assert len(past) >= 3
    assert all(m.minutes and m.attendances.exists() for m in past[-3:])
    upcoming = next(m for m in cohort.meetings.all() if m.vote_closes_at > now)
    assert selectors.vote_is_open(upcoming)
    member = User.objects.get(email=DEMO_ACCOUNTS["member"])
    assert not Ballot.objects.filter(meeting=upcoming, person=member).exists()  # something to do
    assert Ballot.objects.filter(meeting=upcoming).count() >= 5


def test_seed_demo_invoices_show_every_status_and_the_member_has_a_paid_one(demo):
    from billing.models import Invoice
    from billing.selectors import with_status

    invoices = list(with_status(Invoice.objects.all()))
    statuses = {"credit" if invoice.is_credit_note else invoice.status for invoice in invoices}

    assert statuses == {"issued", "partly_paid", "paid", "overdue", "cancelled", "credit"}
    mine = [invoice for invoice in invoices if invoice.membership.person.email == DEMO_ACCOUNTS["member"]]
    assert [invoice.status for invoice in mine] == ["paid"]
    client = Client()
    client.force_login(User.objects.get(email=DEMO_ACCOUNTS["member"]))
    assert_shows(client.get(reverse("billing:my_invoices")), mine[0].number)


def test_seed_demo_plenaries_a_full_departmental_one_with_a_waiting_list_and_a_regional_one_with_networks(
    demo,
):
    from django.utils import timezone

    from plenaries import selectors
    from plenaries.enums import PlenaryScope, ProgramKind, RegistrationState

    now = timezone.now()
    departmental = Plenary.objects.get(scope=PlenaryScope.DEPARTMENTAL, starts_at__gt=now)
    assert departmental.chapter.code == "56"
    assert selectors.usage(departmental).free == 0
    waiting = departmental.registrations.filter(state=RegistrationState.WAITING)
    assert waiting.count() == 3
    member = User.objects.get(email=DEMO_ACCOUNTS["member"])
    assert not departmental.registrations.filter(person=member).exists()  # may still join the list
    assert selectors.eligibility(departmental, member) is not None
    assert departmental.registration_opens_at < now < departmental.registration_closes_at

    regional = Plenary.objects.get(scope=PlenaryScope.REGIONAL)
    presenting = regional.program.filter(kind=ProgramKind.NETWORK).values_list(
        "network__chapter__code", flat=True
    )
    assert len(presenting) == 3
    assert set(presenting) == {"56", "35"}  # networks of both chapters of the region
    alumni = User.objects.get(email=DEMO_ACCOUNTS["alumni"])
    assert selectors.eligibility(regional, alumni).attendee == "alumni"


def test_seed_demo_alumni_has_a_history_to_certify(demo):
    from django.utils import timezone

    alumni = User.objects.get(email=DEMO_ACCOUNTS["alumni"])
    attended = Attendance.objects.filter(person=alumni, status="present", meeting__cohort__state="closed")
    assert attended.count() >= 15
    checked_in = Registration.objects.filter(person=alumni, checked_in_at__isnull=False)
    assert checked_in.count() == 1
    assert checked_in.get().plenary.starts_at < timezone.now()
    assert LocalNetwork.objects.filter(chapter__code="56").count() == 3

"""The check-in bench's data: one chapter, its staff, 25 cohorts of 12 and a departmental
plenary all 300 registered for, built through the ORM and the services; a trigger (bench
database only) that logs every check-in written, and the check of the database after a run.

Imported once Django is set up (bench/checkin.py does it).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from groups.enums import CohortState, MembershipState, StaffRole
from groups.models import Chapter, ChapterRole, Cohort, Membership, Region
from members.identifiers import make_siret
from members.models import Company, User
from plenaries import services
from plenaries.enums import PlenaryScope, RegistrationState
from plenaries.models import Plenary, Registration

PEOPLE, CAPACITY, COHORT_SIZE = 300, 320, 12
PASSWORD = "bench-door-plato-56"

FIRST_NAMES = [
    "Gaëlle", "Yann", "Maëlle", "Erwan", "Nolwenn", "Loïc", "Anne-Sophie", "Ronan", "Soizic",
    "Tanguy", "Cécile", "Goulven", "Hélène", "Mathieu", "Aurélie", "Pierre-Yves", "Solène",
    "Gwenaël", "Isabelle", "Kévin", "Morgane", "Thierry", "Armelle", "Benoît", "Clémence",
    "Denis", "Élodie", "François", "Katell", "Joël",
]  # fmt: skip
LAST_NAMES = [
    "Le Floch", "Le Gall", "Guégan", "Le Goff", "Jégo", "Le Corre", "Tanguy", "Le Bihan",
    "Morvan", "Le Roux", "Guillou", "Le Brun", "Quéré", "Le Meur", "Hervé", "Le Pape", "Kerhervé",
    "Le Bras", "Nicolas", "Le Gac", "Riou", "Cadoret", "Le Nours", "Évenou", "Le Dantec",
    "Perrot", "Lozac'h", "Le Béchec", "Pichon", "Allanic",
]  # fmt: skip
NAF_CODES = ["62.01Z", "10.71C", "30.12Z", "49.41A", "11.05Z", "43.32A", "69.20Z", "46.38A", "55.10Z", "45.20A"]  # fmt: skip


@dataclass
class World:
    plenary: Plenary
    staff: list  # (email, password) of the three accounts the phones sign in with
    people: list  # (registration pk, name typed in the search box), in the order of the split


def build_world() -> World:
    call_command("migrate", verbosity=0)
    region, _created = Region.objects.get_or_create(code="53")
    chapter = Chapter.objects.create(
        region=region,
        code="56",
        department="56",
        name="Plato 56 — CCI du Morbihan",
        cci_name="CCI du Morbihan",
        fee=Decimal("1900.00"),
        vat_rate=Decimal("20.00"),
        invoice_prefix="P56",
        issuer_legal_name="Chambre de commerce et d'industrie du Morbihan",
    )
    staff = []
    password_hash = make_password(PASSWORD)
    for email, first, last, role in (
        ("coordinator@bench.plato.test", "Gaëlle", "Le Nours", StaffRole.COORDINATOR),
        ("facilitator1@bench.plato.test", "Erwan", "Jégo", StaffRole.FACILITATOR),
        ("facilitator2@bench.plato.test", "Soizic", "Riou", StaffRole.FACILITATOR),
    ):
        user = User.objects.create(email=email, first_name=first, last_name=last, password=password_hash)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        ChapterRole.objects.create(chapter=chapter, user=user, role=role)
        staff.append((email, PASSWORD))

    companies = Company.objects.bulk_create(
        Company(
            chapter=chapter,
            name=f"Entreprise {n:03d}",
            siret=make_siret(30_000 + n),
            naf_code=NAF_CODES[n % len(NAF_CODES)],
            postcode="56000",
            town="Vannes",
        )
        for n in range(PEOPLE)
    )
    # 30 first names × 30 last names: (n % 30, (n % 30 + n // 30) % 30) never repeats for n < 900.
    people = User.objects.bulk_create(
        User(
            email=f"person{n}@bench.plato.test",
            first_name=FIRST_NAMES[n % 30],
            last_name=LAST_NAMES[(n % 30 + n // 30) % 30],
            password="!",
            company=company,
            chapter=chapter,
        )
        for n, company in enumerate(companies)
    )
    start = datetime.date(2025, 9, 2)
    cohorts = Cohort.objects.bulk_create(
        Cohort(
            chapter=chapter,
            name=f"Cohorte {n + 1}",
            start_date=start,
            end_date=start + datetime.timedelta(days=730),
            state=CohortState.ACTIVE,
        )
        for n in range(PEOPLE // COHORT_SIZE)
    )
    cohort_count = len(cohorts)
    Membership.objects.bulk_create(
        Membership(
            cohort=cohorts[n % cohort_count],
            company=company,
            person=person,
            state=MembershipState.ACTIVE,
            joined_on=start,
        )
        for n, (company, person) in enumerate(zip(companies, people, strict=True))
    )

    now = timezone.now()
    plenary = Plenary.objects.create(
        scope=PlenaryScope.DEPARTMENTAL,
        region=region,
        chapter=chapter,
        title="Plénière départementale 2026",
        starts_at=now + datetime.timedelta(minutes=15),  # the doors are open
        ends_at=now + datetime.timedelta(hours=4),
        registration_opens_at=now - datetime.timedelta(days=30),
        registration_closes_at=now - datetime.timedelta(days=2),
        venue_name="Palais des Arts",
        venue_town="Vannes",
        capacity=CAPACITY,
    )
    opens = plenary.registration_opens_at
    for n, person in enumerate(people):
        registration = services.register(
            plenary, person, actor=person, now=opens + datetime.timedelta(minutes=37 * n + 5)
        )
        assert registration.state == RegistrationState.REGISTERED, registration.state

    table = Registration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_checkin_log (registration_id bigint NOT NULL, at timestamptz)")
        cursor.execute(
            "CREATE FUNCTION bench_log_checkin() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO bench_checkin_log VALUES (NEW.id, NEW.checked_in_at); RETURN NEW; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER bench_checkin_log AFTER UPDATE OF checked_in_at ON {table} FOR EACH ROW "
            "WHEN (NEW.checked_in_at IS NOT NULL AND NEW.checked_in_at IS DISTINCT FROM OLD.checked_in_at) "
            "EXECUTE FUNCTION bench_log_checkin()"
        )
    rows = Registration.objects.filter(plenary=plenary).select_related("person").order_by("pk")
    return World(
        plenary=plenary,
        staff=staff,
        people=[(row.pk, f"{row.person.first_name} {row.person.last_name}") for row in rows],
    )


def reset_check_ins(plenary: Plenary) -> None:
    Registration.objects.filter(plenary=plenary).update(checked_in_at=None, checked_in_by=None)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_checkin_log")


def check_database(plenary: Plenary) -> list[str]:
    """What the database says after a run; an empty list when all is right."""
    problems = []
    registered = Registration.objects.filter(plenary=plenary, state=RegistrationState.REGISTERED)
    checked_in = registered.filter(checked_in_at__isnull=False).count()
    if checked_in != PEOPLE:
        problems.append(f"{checked_in} registrations checked in, not {PEOPLE}")
    if Registration.objects.filter(plenary=plenary).count() != PEOPLE:
        problems.append("the number of registrations changed")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT registration_id) FROM bench_checkin_log")
        logged, distinct = cursor.fetchone()
    if logged != PEOPLE or distinct != PEOPLE:
        problems.append(
            f"{logged} check-ins written for {distinct} registrations (expected {PEOPLE} and {PEOPLE})"
        )
    return problems

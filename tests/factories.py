"""factory_boy factories for Plato's models.

Every SIRET has valid check digits (members.demo.make_siret), every NAF code is a
real sub-class, every chapter's department lies in its region: factories build
rows that pass `full_clean`, so a test that wants bad data says so explicitly.
"""

import datetime
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from factory.django import DjangoModelFactory

from groups.enums import (
    CandidateSource,
    CandidateState,
    CohortState,
    ConflictSource,
    MembershipState,
    StaffRole,
)
from groups.models import (
    Candidate,
    Chapter,
    ChapterRole,
    Cohort,
    CompetitorOverride,
    DeclaredConflict,
    Membership,
    Region,
    Sponsorship,
)
from meetings.models import ActionItem, ChapterTheme, Meeting, MeetingDocument, Topic
from members.enums import SizeBand
from members.identifiers import make_siret
from members.models import Company, User
from plenaries.enums import PlenaryScope, ProgramKind
from plenaries.models import LocalNetwork, Plenary, ProgramItem

PASSWORD = "correct-horse-battery-staple"  # the password of every factory-made user

# Real NAF sub-classes of different classes, so that factory companies are not competitors.
NAF_CODES = [
    "62.01Z",
    "10.71C",
    "30.12Z",
    "49.41A",
    "11.05Z",
    "43.32A",
    "69.20Z",
    "46.38A",
    "55.10Z",
    "45.20A",
    "81.30Z",
    "10.72Z",
    "18.12Z",
    "73.11Z",
    "43.21A",
    "22.29A",
]
FIRST_NAMES = ["Gwenaël", "Maëlle", "Erwan", "Anne", "Yann", "Soizic", "Loïc", "Claire", "Ronan"]
LAST_NAMES = ["Le Floch", "Jégo", "Le Gall", "Rouxel", "Le Goff", "Le Bihan", "Kerhervé", "Tanguy"]


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "53"  # Bretagne


class ChapterFactory(DjangoModelFactory):
    class Meta:
        model = Chapter
        django_get_or_create = ("code",)

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"t{n}")
    department = "56"
    name = factory.LazyAttribute(lambda chapter: f"Plato {chapter.code} — CCI de test")
    cci_name = factory.LazyAttribute(lambda chapter: f"CCI {chapter.code}")
    fee = Decimal("1900.00")
    vat_rate = Decimal("20.00")
    invoice_prefix = factory.Sequence(lambda n: f"F{n:04d}")  # never like the real "P56"
    issuer_legal_name = factory.LazyAttribute(lambda chapter: f"Chambre de commerce {chapter.code}")


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company

    chapter = factory.SubFactory(ChapterFactory)
    name = factory.Sequence(lambda n: f"Entreprise {n:03d}")
    siret = factory.Sequence(lambda n: make_siret(20_000 + n))
    naf_code = factory.Iterator(NAF_CODES)
    size_band = SizeBand.SMALL
    postcode = "56000"
    town = "Vannes"


class UserFactory(DjangoModelFactory):
    """A person with a verified primary e-mail address, so that they can sign in."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@plato.test")
    first_name = factory.Iterator(FIRST_NAMES)
    last_name = factory.Iterator(LAST_NAMES)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )


class AdminFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ChapterRoleFactory(DjangoModelFactory):
    class Meta:
        model = ChapterRole

    chapter = factory.SubFactory(ChapterFactory)
    user = factory.SubFactory(UserFactory, chapter=factory.SelfAttribute("..chapter"))
    role = StaffRole.COORDINATOR


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    chapter = factory.SubFactory(ChapterFactory)
    name = factory.Sequence(lambda n: f"Cohorte {n}")
    start_date = datetime.date(2025, 9, 2)
    end_date = factory.LazyAttribute(lambda cohort: cohort.start_date + datetime.timedelta(days=730))
    state = CohortState.ACTIVE


class MembershipFactory(DjangoModelFactory):
    """A company's leader in a cohort; the person leads the company, both in the cohort's chapter."""

    class Meta:
        model = Membership

    cohort = factory.SubFactory(CohortFactory)
    company = factory.SubFactory(CompanyFactory, chapter=factory.SelfAttribute("..cohort.chapter"))
    person = factory.SubFactory(
        UserFactory,
        company=factory.SelfAttribute("..company"),
        chapter=factory.SelfAttribute("..cohort.chapter"),
    )
    state = MembershipState.ACTIVE
    joined_on = factory.SelfAttribute("cohort.start_date")


class SponsorshipFactory(DjangoModelFactory):
    class Meta:
        model = Sponsorship

    cohort = factory.SubFactory(CohortFactory)
    company = factory.SubFactory(
        CompanyFactory, chapter=factory.SelfAttribute("..cohort.chapter"), size_band=SizeBand.LARGE
    )
    person = factory.SubFactory(
        UserFactory,
        company=factory.SelfAttribute("..company"),
        chapter=factory.SelfAttribute("..cohort.chapter"),
    )
    started_on = factory.SelfAttribute("cohort.start_date")


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    chapter = factory.SubFactory(ChapterFactory)
    state = CandidateState.QUALIFIED
    source = CandidateSource.FORM
    company_name = factory.Sequence(lambda n: f"Candidate {n:03d}")
    siret = factory.Sequence(lambda n: make_siret(60_000 + n))
    naf_code = factory.Iterator(NAF_CODES)
    size_band = SizeBand.SMALL
    postcode = "56000"
    town = "Vannes"
    first_name = factory.Iterator(FIRST_NAMES)
    last_name = factory.Iterator(LAST_NAMES)
    email = factory.Sequence(lambda n: f"candidate{n}@example.test")
    phone = "02 97 00 00 00"


class DeclaredConflictFactory(DjangoModelFactory):
    """Pass `siren_a` < `siren_b` (the model's order)."""

    class Meta:
        model = DeclaredConflict

    chapter = factory.SubFactory(ChapterFactory)
    siren_a = "100000009"
    name_a = "Company A"
    siren_b = "200000008"
    name_b = "Company B"
    reason = "Same customers in the same town."
    declared_as = ConflictSource.COORDINATOR


class CompetitorOverrideFactory(DjangoModelFactory):
    class Meta:
        model = CompetitorOverride

    cohort = factory.SubFactory(CohortFactory)
    company = factory.SubFactory(CompanyFactory, chapter=factory.SelfAttribute("..cohort.chapter"))
    competitor = factory.SubFactory(CompanyFactory, chapter=factory.SelfAttribute("..cohort.chapter"))
    conflict = "Same activity."
    justification = "Different customers: one sells to farms, the other to shops."
    actor = factory.SubFactory(UserFactory)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = ChapterTheme
        django_get_or_create = ("chapter", "name")

    chapter = factory.SubFactory(ChapterFactory)
    name = factory.Iterator(["Finance", "Numérique", "Ressources humaines", "Juridique", "Stratégie"])


def _in_days(days: int, hour: int = 8) -> datetime.datetime:
    today = timezone.localdate()
    day = today + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 30), tzinfo=timezone.get_current_timezone())


class MeetingFactory(DjangoModelFactory):
    """A meeting 20 days ahead whose vote is open now (opened 10 days ago, closes in 10 days)."""

    class Meta:
        model = Meeting

    cohort = factory.SubFactory(CohortFactory)
    starts_at = factory.LazyFunction(lambda: _in_days(20))
    ends_at = factory.LazyAttribute(
        lambda meeting: meeting.starts_at + datetime.timedelta(hours=3, minutes=30)
    )
    vote_opens_at = factory.LazyAttribute(lambda meeting: meeting.starts_at - datetime.timedelta(days=30))
    vote_closes_at = factory.LazyAttribute(lambda meeting: meeting.starts_at - datetime.timedelta(days=10))
    venue_name = "CCI du Morbihan"
    venue_address = "21 quai des Indes"
    venue_postcode = "56100"
    venue_town = "Lorient"


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    cohort = factory.SubFactory(CohortFactory)
    proposed_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Topic {n}")
    theme = factory.SubFactory(ThemeFactory, chapter=factory.SelfAttribute("..cohort.chapter"))


class MeetingDocumentFactory(DjangoModelFactory):
    """A small PDF shared with a meeting (tests set a temporary MEDIA_ROOT)."""

    class Meta:
        model = MeetingDocument

    meeting = factory.SubFactory(MeetingFactory)
    title = "Compte rendu"
    file = factory.django.FileField(filename="compte-rendu.pdf", data=b"%PDF-1.4 compte rendu")
    uploaded_by = factory.SubFactory(UserFactory)


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory, starts_at=factory.LazyFunction(lambda: _in_days(-7)))
    person = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Action {n}")


class PlenaryFactory(DjangoModelFactory):
    """A departmental plenary in 30 days, registration open since yesterday until 5 days before."""

    class Meta:
        model = Plenary

    scope = PlenaryScope.DEPARTMENTAL
    chapter = factory.SubFactory(ChapterFactory)
    region = factory.LazyAttribute(lambda plenary: plenary.chapter.region if plenary.chapter else None)
    # A departmental plenary is organised by its chapter; pass `organiser=` for a regional one.
    organiser = factory.LazyAttribute(lambda plenary: plenary.chapter)
    title = factory.Sequence(lambda n: f"Plénière {n}")
    starts_at = factory.LazyFunction(lambda: _in_days(30, hour=14))
    ends_at = factory.LazyAttribute(lambda plenary: plenary.starts_at + datetime.timedelta(hours=4))
    registration_opens_at = factory.LazyAttribute(lambda plenary: timezone.now() - datetime.timedelta(days=1))
    registration_closes_at = factory.LazyAttribute(
        lambda plenary: plenary.starts_at - datetime.timedelta(days=5)
    )
    venue_name = "Palais des Arts"
    venue_address = "Place de Bretagne"
    venue_postcode = "56000"
    venue_town = "Vannes"
    capacity = 100


class LocalNetworkFactory(DjangoModelFactory):
    class Meta:
        model = LocalNetwork

    chapter = factory.SubFactory(ChapterFactory)
    name = factory.Sequence(lambda n: f"Réseau {n}")
    purpose = "Des dirigeants qui se recommandent des affaires."
    audience = "Dirigeants de TPE et PME"
    contact_name = "Morgane Le Roux"
    contact_email = factory.Sequence(lambda n: f"contact{n}@reseau.test")
    website = "https://reseau.example.org/"


class ProgramItemFactory(DjangoModelFactory):
    class Meta:
        model = ProgramItem

    plenary = factory.SubFactory(PlenaryFactory)
    starts_at = datetime.time(14, 0)
    ends_at = datetime.time(14, 45)
    kind = ProgramKind.TALK
    title = factory.Sequence(lambda n: f"Intervention {n}")
    speakers = "Yann Le Gall"

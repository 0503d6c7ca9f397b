"""Factories of groups/: regions, chapters and their staff, cohorts, memberships, sponsors,
candidates and competitor rules.

Every chapter's department lies in its region; a membership's company and person belong
to the cohort's chapter.
"""

import datetime
from decimal import Decimal

import factory
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
from members.enums import SizeBand
from members.identifiers import make_siret, vat_number_for
from tests.factories.members import FIRST_NAMES, LAST_NAMES, NAF_CODES, CompanyFactory, UserFactory


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

    class Params:
        # `ChapterFactory(invoicing=True)`: the details a chapter needs before it issues invoices.
        invoicing = factory.Trait(
            issuer_address="21 quai des Indes",
            issuer_postcode="56100",
            issuer_town="Lorient",
            issuer_siret=factory.Sequence(lambda n: make_siret(70_000 + n)),
            issuer_vat_number=factory.LazyAttribute(lambda chapter: vat_number_for(chapter.issuer_siret)),
        )


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

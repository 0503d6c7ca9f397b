"""The demo's chapters (Plato 56 and Plato 35 in Bretagne), their staff roles, the three
cohorts of Plato 56 with their members and sponsors, the candidates, a declared conflict."""

import datetime
from decimal import Decimal

from django.utils.text import slugify

from demo.data import CANDIDATES
from groups.enums import CandidateSource, CohortState, ConflictSource, MembershipState, StaffRole
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
from members.enums import SizeBand
from members.identifiers import make_siret, vat_number_for
from members.models import Company, User

# Which companies sit where; indexes into MORBIHAN_COMPANIES.
ACTIVE_COHORT = [0, 1, 2, 3, 4, 5, 6, 8, 10, 11, 12]  # the demo member leads company 0
CLOSED_COHORT = [7, 9, 13, 14, 15, 16, 17, 18, 19, 20]  # the demo alumni leads company 7
FORMING_COHORT = [21, 22, 23, 24, 25, 26]
# Which sponsors sponsor which cohort (active, closed, forming); indexes into SPONSOR_COMPANIES.
SPONSORS = ([0, 1], [0, 2], [2])


def bretagne() -> Region:
    region, _ = Region.objects.get_or_create(code="53")
    return region


def chapter_56(region: Region) -> Chapter:
    # Created once: settings a coordinator edits in the demo survive the next `make run`.
    chapter, _ = Chapter.objects.get_or_create(
        code="56",
        defaults={
            "region": region,
            "name": "Plato 56 — CCI du Morbihan",
            "cci_name": "CCI du Morbihan",
            "department": "56",
            "fee": Decimal("1900.00"),
            "programme_commitment": "Une réunion mensuelle pendant deux ans, une plénière départementale et une plénière régionale par an.",
            "vat_rate": Decimal("20.00"),
            "vat_exemption_text": "",
            "issuer_legal_name": "Chambre de commerce et d'industrie du Morbihan",
            "issuer_address": "21 quai des Indes",
            "issuer_postcode": "56100",
            "issuer_town": "Lorient",
            "issuer_siret": make_siret(5600),
            "issuer_vat_number": vat_number_for(make_siret(5600)),
            "issuer_iban": "FR7630006000011234567890189",
            "issuer_bic": "AGRIFRPP",
            "invoice_prefix": "P56",
            "meeting_weekday": 1,
            "months_off": [8],
        },
    )
    return chapter


def chapter_35(region: Region) -> Chapter:
    chapter, _ = Chapter.objects.get_or_create(
        code="35",
        defaults={
            "region": region,
            "name": "Plato 35 — CCI Ille-et-Vilaine",
            "cci_name": "CCI Ille-et-Vilaine",
            "department": "35",
            "fee": Decimal("2300.00"),
            "programme_commitment": "16 demi-journées, 2 plénières départementales et 2 plénières régionales.",
            "vat_rate": Decimal("0.00"),
            "vat_exemption_text": "TVA non applicable, article 261-4-4° a du CGI (formation professionnelle continue)",
            "issuer_legal_name": "Chambre de commerce et d'industrie Ille-et-Vilaine",
            "issuer_address": "2 avenue de la Préfecture",
            "issuer_postcode": "35000",
            "issuer_town": "Rennes",
            "issuer_siret": make_siret(3500),
            "invoice_prefix": "P35",
            "meeting_weekday": 3,
            "months_off": [7, 8],
            "group_min_size": 10,
            "group_max_size": 16,
        },
    )
    return chapter


def staff_roles(plato56: Chapter, plato35: Chapter, staff: dict[str, User]) -> None:
    ChapterRole.objects.get_or_create(user=staff["coordinator"], chapter=plato56, role=StaffRole.COORDINATOR)
    ChapterRole.objects.get_or_create(user=staff["facilitator"], chapter=plato56, role=StaffRole.FACILITATOR)
    ChapterRole.objects.get_or_create(
        user=staff["coordinator_35"], chapter=plato35, role=StaffRole.COORDINATOR
    )


def cohorts(chapter: Chapter, today: datetime.date, facilitator: User) -> tuple[Cohort, Cohort, Cohort]:
    """The active cohort (started last autumn), the closed one (four years ago) and the one
    forming for next autumn, each on the chapter's meeting weekday."""
    this_autumn = datetime.date(today.year - (1 if today.month < 9 else 0), 9, 1)
    active_start = _first_weekday(this_autumn.replace(year=this_autumn.year - 1), chapter.meeting_weekday)
    closed_start = _first_weekday(this_autumn.replace(year=this_autumn.year - 4), chapter.meeting_weekday)
    forming_start = _first_weekday(this_autumn.replace(year=this_autumn.year + 1), chapter.meeting_weekday)
    return (
        _cohort(chapter, "Golfe du Morbihan", active_start, CohortState.ACTIVE, facilitator),
        _cohort(chapter, "Pays de Lorient", closed_start, CohortState.CLOSED, facilitator),
        _cohort(chapter, "Centre Bretagne", forming_start, CohortState.FORMING, facilitator),
    )


def _first_weekday(date: datetime.date, weekday: int) -> datetime.date:
    return date + datetime.timedelta(days=(weekday - date.weekday()) % 7)


def _cohort(chapter, name, start, state, facilitator) -> Cohort:
    end = start.replace(year=start.year + 2) - datetime.timedelta(days=1)
    cohort, _ = Cohort.objects.update_or_create(
        chapter=chapter,
        name=name,
        defaults={"start_date": start, "end_date": end, "state": state},
    )
    cohort.facilitators.add(facilitator)
    return cohort


def memberships(
    cohorts: tuple[Cohort, Cohort, Cohort],
    companies: list[Company],
    leaders: list[User],
    sponsors: list[Company],
    sponsor_people: list[User],
) -> None:
    """The leaders in their cohorts (the closed cohort's are alumni), then the sponsors."""
    active, closed, forming = cohorts
    for cohort, indexes, state in (
        (active, ACTIVE_COHORT, MembershipState.ACTIVE),
        (closed, CLOSED_COHORT, MembershipState.ALUMNI),
        (forming, FORMING_COHORT, MembershipState.ACTIVE),
    ):
        for index in indexes:
            Membership.objects.update_or_create(
                cohort=cohort,
                company=companies[index],
                defaults={"person": leaders[index], "state": state, "joined_on": cohort.start_date},
            )
    for cohort, sponsor_indexes in zip(cohorts, SPONSORS, strict=True):
        for index in sponsor_indexes:
            Sponsorship.objects.update_or_create(
                cohort=cohort,
                person=sponsor_people[index],
                defaults={"company": sponsors[index], "started_on": cohort.start_date},
            )


def candidates(chapter: Chapter) -> None:
    for index, spec in enumerate(CANDIDATES, 1):
        siret = make_siret(5000 + index)
        email = f"{slugify(spec.first_name)}.{slugify(spec.last_name)}@{slugify(spec.company_name)}.test"
        Candidate.objects.update_or_create(
            chapter=chapter,
            siret=siret,
            defaults={
                "state": spec.state,
                "source": CandidateSource.IMPORT if index % 3 else CandidateSource.FORM,
                "company_name": spec.company_name,
                "naf_code": spec.naf_code,
                "size_band": SizeBand.SMALL if index % 4 else SizeBand.MICRO,
                "postcode": spec.postcode,
                "town": spec.town,
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": email,
                "phone": f"06 {index:02d} 45 67 89",
                "motivation": spec.motivation,
                "decline_reason": spec.decline_reason,
            },
        )


def declared_conflict(chapter: Chapter, company: Company, coordinator: User) -> None:
    """The demo member told the CCI about a competitor whose NAF code differs from theirs."""
    other_siren, other_name = make_siret(7001)[:9], "Breizh Web Studio"
    (siren_a, name_a), (siren_b, name_b) = sorted([(company.siren, company.name), (other_siren, other_name)])
    DeclaredConflict.objects.update_or_create(
        chapter=chapter,
        siren_a=siren_a,
        siren_b=siren_b,
        defaults={
            "name_a": name_a,
            "name_b": name_b,
            "reason": "Même clientèle de PME vannetaises pour l'infogérance, bien que déclaré en agence web.",
            "declared_by": coordinator,
            "declared_as": ConflictSource.COORDINATOR,
        },
    )

"""The Plato 56 world the role fixtures are made of, as plain functions.

conftest.py's fixtures call these one by one (a test gets only what it asks for);
`build_world` calls them all, for module-scoped worlds such as the URL × role table.
"""

from groups.enums import CohortState, MembershipState, StaffRole
from tests import factories

ROLES = (
    "anonymous",
    "admin",
    "coordinator",
    "other_chapter_coordinator",
    "facilitator",
    "member",
    "sponsor",
    "alumni",
    "outsider",
)


def make_region():
    return factories.RegionFactory(code="53")


def make_chapter(region):
    """Plato 56, the coordinator's chapter."""
    return factories.ChapterFactory(
        code="56",
        region=region,
        department="56",
        name="Plato 56 — CCI du Morbihan",
        cci_name="CCI du Morbihan",
        invoice_prefix="P56",
    )


def make_other_chapter(region):
    return factories.ChapterFactory(
        code="35",
        region=region,
        department="35",
        name="Plato 35 — CCI Ille-et-Vilaine",
        cci_name="CCI Ille-et-Vilaine",
        invoice_prefix="P35",
    )


def make_cohort(chapter):
    return factories.CohortFactory(chapter=chapter, name="Golfe du Morbihan", state=CohortState.ACTIVE)


def make_closed_cohort(chapter):
    return factories.CohortFactory(
        chapter=chapter,
        name="Pays de Lorient",
        state=CohortState.CLOSED,
        start_date="2021-09-07",
        end_date="2023-09-06",
    )


def make_other_company(other_chapter):
    """A company of Plato 35, which nobody of Plato 56 may see."""
    return factories.CompanyFactory(
        chapter=other_chapter, name="Rennes Data Factory", town="Rennes", postcode="35000"
    )


def make_admin():
    return factories.AdminFactory(email="admin@plato.test", first_name="Sophie", last_name="Martin")


def make_coordinator(chapter):
    return factories.ChapterRoleFactory(
        chapter=chapter,
        role=StaffRole.COORDINATOR,
        user__email="coordinator@plato.test",
        user__first_name="Gaëlle",
        user__last_name="Le Nours",
    ).user


def make_other_chapter_coordinator(other_chapter):
    return factories.ChapterRoleFactory(
        chapter=other_chapter,
        role=StaffRole.COORDINATOR,
        user__email="coordinator35@plato.test",
        user__first_name="Arnaud",
        user__last_name="Pichon",
    ).user


def make_facilitator(chapter, cohort):
    user = factories.ChapterRoleFactory(
        chapter=chapter,
        role=StaffRole.FACILITATOR,
        user__email="facilitator@plato.test",
        user__first_name="Kévin",
        user__last_name="Le Guennec",
    ).user
    cohort.facilitators.add(user)
    return user


def make_member_membership(cohort):
    return factories.MembershipFactory(
        cohort=cohort,
        company__name="Kerlann Informatique",
        company__naf_code="62.01Z",
        person__email="member@plato.test",
        person__first_name="Gwenaël",
        person__last_name="Le Floch",
    )


def make_sponsor(cohort):
    return factories.SponsorshipFactory(
        cohort=cohort,
        company__name="Crédit Maritime Armoricain",
        company__naf_code="64.19Z",
        person__email="sponsor@plato.test",
        person__first_name="Catherine",
        person__last_name="Le Bras",
    ).person


def make_alumni(closed_cohort):
    return factories.MembershipFactory(
        cohort=closed_cohort,
        state=MembershipState.ALUMNI,
        company__name="Armor Marée Distribution",
        company__naf_code="46.38A",
        person__email="alumni@plato.test",
        person__first_name="Loïc",
        person__last_name="Kerhervé",
    ).person


def make_outsider():
    """Signed in, with no role anywhere."""
    return factories.UserFactory(email="outsider@example.test", first_name="Jean", last_name="Dupont")


def build_world() -> dict:
    """Everything at once: the objects by fixture name, and `users` by role."""
    region = make_region()
    chapter, other_chapter = make_chapter(region), make_other_chapter(region)
    cohort, closed_cohort = make_cohort(chapter), make_closed_cohort(chapter)
    other_company = make_other_company(other_chapter)
    membership = make_member_membership(cohort)
    users = {
        "anonymous": None,
        "admin": make_admin(),
        "coordinator": make_coordinator(chapter),
        "other_chapter_coordinator": make_other_chapter_coordinator(other_chapter),
        "facilitator": make_facilitator(chapter, cohort),
        "member": membership.person,
        "sponsor": make_sponsor(cohort),
        "alumni": make_alumni(closed_cohort),
        "outsider": make_outsider(),
    }
    return {
        "region": region,
        "chapter": chapter,
        "other_chapter": other_chapter,
        "cohort": cohort,
        "closed_cohort": closed_cohort,
        "other_company": other_company,
        "company": membership.company,
        "member_membership": membership,
        "users": users,
        **{k: v for k, v in users.items() if v},
    }


def make_plenary(chapter):
    """Plato 56's coming departmental plenary, registration open."""
    return factories.PlenaryFactory(chapter=chapter, title="Plénière du Morbihan", capacity=120)


def make_local_network(chapter):
    return factories.LocalNetworkFactory(chapter=chapter, name="BNI Vannes Golfe")


def make_program_item(plenary, network):
    from plenaries.enums import ProgramKind

    return factories.ProgramItemFactory(
        plenary=plenary, kind=ProgramKind.NETWORK, network=network, title="Le BNI se présente"
    )


def make_registration(plenary, person):
    from plenaries import services

    return services.register(plenary, person, actor=person)

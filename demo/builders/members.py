"""The demo's people and companies: the demo accounts (one per role, with the published
password), the Morbihan companies and their leaders, the sponsors', Ille-et-Vilaine's."""

from allauth.account.models import EmailAddress
from django.utils.text import slugify

from demo.data import DemoCompany
from groups.models import Chapter
from members.enums import SizeBand
from members.identifiers import make_siret, vat_number_for
from members.models import Company, User
from members.services import save_company

DEMO_PASSWORD = "demo-plato-56"

DEMO_ACCOUNTS = {
    "admin": "admin@plato.test",
    "coordinator": "coordinator@plato.test",
    "facilitator": "facilitator@plato.test",
    "member": "member@plato.test",
    "sponsor": "sponsor@plato.test",
    "alumni": "alumni@plato.test",
    "coordinator_35": "coordinator35@plato.test",
}

# A few companies of Ille-et-Vilaine, so that chapter scoping shows.
ILLE_ET_VILAINE_COMPANIES = [
    DemoCompany(
        "Rennes Data Factory",
        "62.02A",
        SizeBand.SMALL,
        "10 rue de Châtillon",
        "35000",
        "Rennes",
        ("Aurélie", "Gautier", "Présidente"),
    ),
    DemoCompany(
        "Pâtisserie Malouine",
        "10.71D",
        SizeBand.MICRO,
        "5 rue Porcon",
        "35400",
        "Saint-Malo",
        ("Hugo", "Lemoine", "Gérant"),
    ),
]


def company(chapter: Chapter, spec: DemoCompany, seed: int) -> Company:
    siret = make_siret(seed)
    company = Company.objects.filter(chapter=chapter, siret=siret).first() or Company(
        chapter=chapter, siret=siret
    )
    company.name, company.naf_code, company.size_band = spec.name, spec.naf_code, spec.size_band
    company.address, company.postcode, company.town = spec.address, spec.postcode, spec.town
    company.vat_number = vat_number_for(siret)
    company.website = f"https://www.{slugify(spec.name)}.fr"
    return save_company(company, actor=None)


def person(email: str | None, spec: DemoCompany, company: Company, chapter: Chapter) -> User:
    """The company's leader: a demo account when `email` is given, else a person nobody signs in as."""
    first_name, last_name, job_title = spec.leader
    if email is None:
        email = f"{slugify(first_name)}.{slugify(last_name)}@{slugify(spec.name)}.test"
        return account(
            email, first_name, last_name, job_title, chapter=chapter, company=company, password=None
        )
    return account(email, first_name, last_name, job_title, chapter=chapter, company=company)


def account(
    email,
    first_name,
    last_name,
    job_title,
    *,
    chapter=None,
    company=None,
    superuser=False,
    password=DEMO_PASSWORD,
) -> User:
    user, created = User.objects.update_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "job_title": job_title,
            "chapter": chapter,
            "company": company,
            "is_superuser": superuser,
            "is_staff": superuser,
            "phone": "02 97 00 00 00",
        },
    )
    if created:
        # Only demo accounts get a password: hashing is slow, and nobody signs in as the others.
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def staff(plato56: Chapter, plato35: Chapter) -> dict[str, User]:
    """The network's administrator and the CCIs' staff, by role."""
    return {
        "admin": account(
            DEMO_ACCOUNTS["admin"], "Sophie", "Martin", "Responsable du réseau Plato", superuser=True
        ),
        "coordinator": account(
            DEMO_ACCOUNTS["coordinator"], "Gaëlle", "Le Nours", "Coordinatrice Plato 56", chapter=plato56
        ),
        "facilitator": account(
            DEMO_ACCOUNTS["facilitator"], "Kévin", "Le Guennec", "Animateur Plato", chapter=plato56
        ),
        "coordinator_35": account(
            DEMO_ACCOUNTS["coordinator_35"], "Arnaud", "Pichon", "Coordinateur Plato 35", chapter=plato35
        ),
    }


def share_contact_details(people: list[User], *, without_phone: User) -> None:
    """What a few people agreed to show in their cohort's directory."""
    for person in people:
        person.share_email, person.share_phone = True, person is not without_phone
        person.save(update_fields=["share_email", "share_phone"])


def ille_et_vilaine(plato35: Chapter) -> None:
    for index, spec in enumerate(ILLE_ET_VILAINE_COMPANIES, 1):
        person(None, spec, company(plato35, spec, 3500 + index), plato35)

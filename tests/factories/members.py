"""Factories of members/: companies and people.

Every SIRET has valid check digits (members.identifiers.make_siret), every NAF code is a
real sub-class: factories build rows that pass `full_clean`, so a test that wants bad data
says so explicitly.
"""

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from members.enums import SizeBand
from members.identifiers import make_siret
from members.models import Company, User

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


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company

    # A company belongs to a chapter (groups): named by path, the two modules import each other.
    chapter = factory.SubFactory("tests.factories.groups.ChapterFactory")
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

"""Writes about companies and people. Views, commands and tests all come through here."""

from allauth.account.models import EmailAddress
from django.db import transaction

from members.models import Company, User


@transaction.atomic
def save_company(company: Company, *, actor: User) -> Company:
    """Create or update a company after validating every field and constraint.

    Raises ValidationError with French messages; nothing is written then.
    """
    company.full_clean()
    company.save()
    return company


@transaction.atomic
def save_person(person: User, *, actor: User) -> User:
    """Create or update a person. A new person gets no password: they choose one
    through "forgotten password" or the invitation of a later issue, and their
    e-mail address must be verified at first sign-in.
    """
    creating = person.pk is None
    person.email = person.email.strip().lower()
    person.full_clean(exclude=["password"])
    if creating:
        person.set_unusable_password()
    person.save()
    _sync_primary_email(person)
    return person


def _sync_primary_email(person: User) -> None:
    """Keep allauth's primary address in step with the user's e-mail."""
    addresses = EmailAddress.objects.filter(user=person)
    current = addresses.filter(email__iexact=person.email).first()
    if current is None:
        addresses.update(primary=False)
        EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=False)
    elif not current.primary:
        addresses.exclude(pk=current.pk).update(primary=False)
        current.primary = True
        current.save(update_fields=["primary"])


@transaction.atomic
def update_profile(person: User, *, first_name: str, last_name: str, phone: str, job_title: str) -> User:
    person.first_name, person.last_name = first_name, last_name
    person.phone, person.job_title = phone, job_title
    person.full_clean(exclude=["password"])
    person.save(update_fields=["first_name", "last_name", "phone", "job_title"])
    return person

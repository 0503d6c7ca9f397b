"""Writes about companies and people. Views, commands and tests all come through here."""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import CalendarFeed, Company, User


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
    previous_email = (
        None if creating else User.objects.filter(pk=person.pk).values_list("email", flat=True).first()
    )
    person.email = person.email.strip().lower()
    person.full_clean(exclude=["password"])
    if creating:
        person.set_unusable_password()
    person.save()
    _sync_primary_email(person)
    if previous_email and previous_email != person.email:
        transaction.on_commit(lambda: _tell_old_address(person, old_email=previous_email, changed_by=actor))
    return person


def _sync_primary_email(person: User) -> None:
    """Make the user's e-mail their only sign-in address.

    Old addresses are removed, so that an address changed by a coordinator no longer
    signs in; a new address is unverified until its owner confirms it.
    """
    addresses = EmailAddress.objects.filter(user=person)
    addresses.exclude(email__iexact=person.email).delete()
    current = addresses.filter(email__iexact=person.email).first()
    if current is None:
        EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=False)
    elif not current.primary:
        current.primary = True
        current.save(update_fields=["primary"])


def _tell_old_address(person: User, *, old_email: str, changed_by: User | None) -> None:
    """Whoever changed the address, its former owner hears of it."""
    context = {
        "person": person,
        "old_email": old_email,
        "changed_by": changed_by,
        "site_url": settings.SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Plato] Your sign-in address was changed")
        text = render_to_string("emails/email_changed.txt", context)
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [old_email])


@transaction.atomic
def update_profile(
    person: User,
    *,
    first_name: str,
    last_name: str,
    phone: str,
    job_title: str,
    share_email: bool | None = None,
    share_phone: bool | None = None,
    share_job_title: bool | None = None,
) -> User:
    """The user's own details, and what their cohort's directory may show of them."""
    person.first_name, person.last_name = first_name, last_name
    person.phone, person.job_title = phone, job_title
    fields = ["first_name", "last_name", "phone", "job_title"]
    for name, value in (
        ("share_email", share_email),
        ("share_phone", share_phone),
        ("share_job_title", share_job_title),
    ):
        if value is not None:
            setattr(person, name, value)
            fields.append(name)
    person.full_clean(exclude=["password"])
    person.save(update_fields=fields)
    return person


def _new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_for(user: User) -> CalendarFeed:
    """The user's private calendar feed, created with a fresh token the first time."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_feed_token()})
    return feed


@transaction.atomic
def renew_calendar_feed(user: User) -> CalendarFeed:
    """A new token for the user's feed. The old URL answers 404 from now on, so a
    calendar still subscribed to it (a lost phone, a shared link) gets nothing more."""
    feed = calendar_feed_for(user)
    feed.token = _new_feed_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed


def end_other_sessions(person: User, *, request=None) -> None:
    """Sign the person out everywhere, except in `request`'s session if it is theirs.

    Every session carries a hash of the person's `session_stamp` (members.models.User):
    a new stamp makes the others fail Django's check at their next request.
    """
    User.objects.filter(pk=person.pk).update(session_stamp=secrets.token_hex(16))
    if request is not None and getattr(request, "user", None) is not None and request.user.pk == person.pk:
        from django.contrib.auth import update_session_auth_hash

        update_session_auth_hash(request, User.objects.get(pk=person.pk))

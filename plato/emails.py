"""E-mails written from templates: a subject, a plain-text body and an HTML body.

Every app's e-mails are built here, so they look alike and read the same way:
`templates/emails/<name>.txt` is the plain text, `templates/emails/<name>.html` the
HTML (extending `emails/base.html`), both rendered in the recipient's language.
Nothing is sent here: the caller (a Celery task) sends and records that it did.
"""

import datetime
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

SUBJECT_PREFIX = "[Plato] "


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "plato.invalid"


class OutboxRow(Protocol):
    """The row an e-mail is sent for (a notification, an invoice…): what makes it unique."""

    pk: int
    created_at: datetime.datetime


def message_id(kind: str, row: OutboxRow) -> str:
    """A Message-ID fixed by what the e-mail is, not by when it leaves: should the very
    same e-mail ever go twice (a retry), mail servers and clients see one message.

    The row's id alone is not enough: after a backup is restored, the database hands
    out ids again that e-mails already sent had used, and a client would then hide a new
    e-mail as a copy of an old one. The row's creation time (to the microsecond) is kept
    with it and differs for the new row, so `notification-42.20261203142501123456` is
    never reused."""
    created = row.created_at.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
    return f"<{kind}-{row.pk}.{created}@{site_domain()}>"


def build_email(
    template: str,
    context: dict,
    *,
    subject: str,
    to: list[str],
    language: str | None = None,
    message_of: tuple[str, OutboxRow] | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> EmailMultiAlternatives:
    """The e-mail `template` (a path under templates/emails/, without extension).

    `subject` is translated by the caller inside `translation.override(language)`; it is
    given the "[Plato] " prefix here. `message_of` — the kind and the row the e-mail is
    sent for, `("notification", notification)` — makes the Message-ID (see `message_id`).
    """
    context = {"site_url": settings.SITE_URL.rstrip("/"), "subject": subject, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    headers = {"Message-ID": message_id(*message_of)} if message_of else {}
    email = EmailMultiAlternatives(
        subject=SUBJECT_PREFIX + " ".join(str(subject).split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    for attachment in attachments:
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email

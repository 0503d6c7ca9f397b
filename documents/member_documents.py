"""The member documents as PDF files, printed by plato.pdf from templates/documents/.

Each document is a template extending documents/base.html (the CCI's letterhead and
identity in the footer), itself the common base of every PDF (plato/pdf_base.html: the
print stylesheet, the page number).
"""

import datetime
from collections.abc import Callable

from django.utils.text import slugify

from documents import selectors
from groups.models import Chapter, Cohort, Membership
from plato import pdf
from plato.pdf import long_date


def _chapter_context(chapter: Chapter, today: datetime.date, *, with_page_total: bool = True) -> dict:
    return {
        "chapter": chapter,
        "today": today,
        "today_long": long_date(today),
        "with_page_total": with_page_total,  # « page 2 / 3 », or « page 2 » alone
    }


# --- Membership certificate -----------------------------------------------------------------


def certificate_filename(membership: Membership) -> str:
    return f"attestation-adhesion-{slugify(membership.person.get_full_name() or membership.pk)}.pdf"


def membership_certificate(membership: Membership, *, signer, today: datetime.date) -> bytes:
    """« Attestation d’adhésion »: the CCI certifies that the person, of the company, is (or
    was) a member of the cohort, from when to when, under the programme's commitment."""
    cohort = membership.cohort
    until = membership.left_on or cohort.end_date
    context = _chapter_context(cohort.chapter, today) | {
        "membership": membership,
        "cohort": cohort,
        "person": membership.person,
        "company": membership.company,
        "signer": signer,
        "joined_long": long_date(membership.joined_on),
        "until_long": long_date(until) if until else "",
        # Past tense once the place ended (left, or the cohort's two years are over).
        "is_past": membership.left_on is not None or (until is not None and until < today),
    }
    return pdf.render("documents/membership_certificate.html", context).write_pdf()


# --- Cohort directory -------------------------------------------------------------------------


def directory_filename(cohort: Cohort) -> str:
    return f"annuaire-{slugify(cohort.name)}.pdf"


def cohort_directory(cohort: Cohort, directory: dict, *, today: datetime.date) -> bytes:
    """The cohort's people, with the contact details each member agreed to share."""
    context = _chapter_context(cohort.chapter, today) | {"cohort": cohort, **directory}
    return pdf.render("documents/cohort_directory.html", context).write_pdf()


# --- Chapter roster ---------------------------------------------------------------------------


def roster_filename(chapter: Chapter, today: datetime.date) -> str:
    return f"adherents-{slugify(chapter.code)}-{today:%Y-%m-%d}.pdf"


def chapter_roster(
    chapter: Chapter,
    cohorts: list[Cohort],
    *,
    today: datetime.date,
    on_cohort_done: Callable[[int], None] = lambda done: None,
) -> bytes:
    """The chapter's members, cohort by cohort, after a summary with the totals.

    Each cohort is laid out as a document of its own, so that `on_cohort_done` reports
    real progress on a large chapter; the pages are then joined, numbered on from the
    previous section's last page (the footer shows « page N »: the count of all pages
    is not known while the first sections are laid out).
    """
    context = _chapter_context(chapter, today, with_page_total=False)
    summary = pdf.render(
        "documents/chapter_roster_summary.html",
        context | {"cohorts": cohorts, "totals": selectors.roster_totals(chapter, cohorts)},
    )
    documents = [summary]
    next_page = len(summary.pages) + 1
    for done, cohort in enumerate(cohorts, start=1):
        section = pdf.render(
            "documents/chapter_roster_cohort.html",
            context | {"section": selectors.roster_section(cohort), "first_page": next_page},
        )
        documents.append(section)
        next_page += len(section.pages)
        on_cohort_done(done)
    return pdf.join(documents).write_pdf()


# --- End-of-programme attendance certificate --------------------------------------------------


def attendance_certificate_filename(membership: Membership) -> str:
    return f"attestation-fin-de-parcours-{slugify(membership.person.get_full_name() or membership.pk)}.pdf"


def cohort_attendance_certificates_filename(cohort: Cohort) -> str:
    return f"attestations-fin-de-parcours-{slugify(cohort.name)}.pdf"


def _attendance_document(
    record: selectors.AttendanceRecord, *, signer, today: datetime.date
) -> "pdf.Document":
    membership = record.membership
    cohort = membership.cohort
    context = _chapter_context(cohort.chapter, today, with_page_total=False) | {
        "record": record,
        "membership": membership,
        "cohort": cohort,
        "person": membership.person,
        "company": membership.company,
        "signer": signer,
        "start_long": long_date(record.period_start),
        "end_long": long_date(record.period_end),
        "rate": round(100 * record.meetings_attended / record.meetings_held)
        if record.meetings_held
        else None,
    }
    return pdf.render("documents/attendance_certificate.html", context)


def attendance_certificate(record: selectors.AttendanceRecord, *, signer, today: datetime.date) -> bytes:
    """« Attestation de fin de parcours »: the CCI certifies that the person, of the company,
    took part in the cohort from when to when, with the meetings attended out of those held
    and the plenaries attended over that time (see `selectors.AttendanceRecord`)."""
    return _attendance_document(record, signer=signer, today=today).write_pdf()


def cohort_attendance_certificates(
    records: list[selectors.AttendanceRecord], *, signer, today: datetime.date
) -> bytes:
    """Every member's certificate in one file, one page each, as each would be alone."""
    return pdf.join(
        _attendance_document(record, signer=signer, today=today) for record in records
    ).write_pdf()

"""A plenary's exports for the welcome desk: the attendee list (PDF, to sign in on paper,
and CSV, for French Excel) and the name badges (PDF, A4 sheets to cut).

The PDFs are printed by plato.pdf, as every PDF of Plato, from templates/documents/.
Each export reads the plenary's registrations in one query, whatever their number.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plato.pdf import LANGUAGE, long_date, render
from plenaries.enums import ACTIVE, HOLDS_PLACE, Attendee, RegistrationState
from plenaries.models import Plenary, Registration
from plenaries.selectors import fold, registrations_of

State = RegistrationState
BADGES_PER_SHEET = 8  # 2 columns × 4 rows of 90 × 55 mm on A4


def _by_name(registration: Registration):
    person = registration.person
    return (fold(person.last_name), fold(person.first_name), person.pk)


def _active_registrations(plenary: Plenary, chapter_ids: frozenset[int] | None = None) -> list[Registration]:
    """Registered, offered and waiting rows with person, company and cohort: one query.
    With `chapter_ids`, those of these chapters' people only (a regional plenary's other
    chapters export their own people)."""
    return list(
        registrations_of(plenary, chapter_ids)
        .filter(state__in=ACTIVE)
        .select_related("person__company", "cohort")
        .order_by("queued_at", "pk")
    )


def _company(registration: Registration) -> str:
    company = registration.person.company
    return company.name if company else ""


def _stamp(plenary: Plenary) -> str:
    return timezone.localtime(plenary.starts_at).strftime("%Y-%m-%d")


def _plenary_context(plenary: Plenary, today: datetime.date) -> dict:
    starts, ends = timezone.localtime(plenary.starts_at), timezone.localtime(plenary.ends_at)
    return {
        "plenary": plenary,
        "chapter": plenary.chapter,  # None for a regional plenary
        "day_long": long_date(starts.date()),
        "starts": starts,
        "ends": ends,
        "same_day": starts.date() == ends.date(),
        "today_long": long_date(today),
        "printed_at": timezone.localtime(),
        "with_page_total": True,  # « page 2 / 3 »
    }


# --- Attendee list (PDF) ----------------------------------------------------------------------


@dataclass
class AttendeeList:
    registered: list  # sorted by last name
    offered: list  # a place held, not yet confirmed: sorted by last name
    waiting: list  # in the queue's order, each with `rank`
    people: int  # registered people (guests not counted)
    guests: int
    places: int  # places held (registered and offered, guests included)
    capacity: int
    checked_in: int


def attendee_list(plenary: Plenary, chapter_ids: frozenset[int] | None = None) -> AttendeeList:
    rows = _active_registrations(plenary, chapter_ids)
    registered = sorted((row for row in rows if row.state == State.REGISTERED), key=_by_name)
    waiting = [row for row in rows if row.state == State.WAITING]
    for rank, row in enumerate(waiting, start=1):
        row.rank = rank
    return AttendeeList(
        registered=registered,
        offered=sorted((row for row in rows if row.state == State.OFFERED), key=_by_name),
        waiting=waiting,
        people=len(registered),
        guests=sum(1 for row in registered if row.plus_one),
        places=sum(row.places for row in rows if row.state in HOLDS_PLACE),
        capacity=plenary.capacity,
        checked_in=sum(1 for row in registered if row.checked_in_at),
    )


def attendees_pdf_filename(plenary: Plenary) -> str:
    return f"emargement-{slugify(plenary.title)[:60]}-{_stamp(plenary)}.pdf"


def attendees_pdf(
    plenary: Plenary, *, today: datetime.date, chapter_ids: frozenset[int] | None = None
) -> bytes:
    """The list to welcome people with: a line to sign per registered person, the time of
    those already checked in, the places offered and the waiting list, the totals."""
    context = _plenary_context(plenary, today) | {"list": attendee_list(plenary, chapter_ids)}
    return render("documents/plenary_attendees.html", context).write_pdf()


# --- Attendee list (CSV) ----------------------------------------------------------------------


def attendees_csv_filename(plenary: Plenary) -> str:
    return f"inscrits-{slugify(plenary.title)[:60]}-{_stamp(plenary)}.csv"


def attendees_table(plenary: Plenary, chapter_ids: frozenset[int] | None = None) -> tuple[list, list[list]]:
    """The CSV's header and rows: one line per registration that counts (registered,
    offered, waiting), registered first by last name, then the places offered, then the
    waiting list in its order. plato.csv writes them for French Excel and neutralises
    every text cell (a company named « =HYPERLINK(…) » stays text)."""
    listing = attendee_list(plenary, chapter_ids)
    with translation.override(LANGUAGE):
        header = [
            _("Last name"),
            _("First name"),
            _("E-mail"),
            _("Company"),
            _("Comes as"),
            _("Cohort"),
            _("State"),
            _("Guest"),
            _("Registered at"),
            _("Checked in at"),
        ]
        rows = []
        for row in [*listing.registered, *listing.offered, *listing.waiting]:
            person = row.person
            rows.append(
                [
                    person.last_name,
                    person.first_name,
                    person.email,
                    _company(row),
                    str(Attendee(row.attendee).label),
                    row.cohort.name if row.cohort else "",
                    str(State(row.state).label),
                    (row.plus_one_name or _("yes")) if row.plus_one else "",
                    row.queued_at,
                    row.checked_in_at,
                ]
            )
    return header, rows


# --- Name badges (PDF) ------------------------------------------------------------------------


@dataclass
class Badge:
    first_name: str
    last_name: str
    company: str
    role: str  # « Member · Cohort », « Sponsor », « Guest of … »
    is_guest: bool = False

    @property
    def first_name_size(self) -> str:
        """A font size class that keeps the first name on its line(s) in 90 mm."""
        return _size_class(self.first_name, (11, 15, 20))

    @property
    def last_name_size(self) -> str:
        return _size_class(self.last_name, (18, 26, 36))

    @property
    def company_size(self) -> str:
        return _size_class(self.company, (34, 50, 70))


def _size_class(text: str, limits: tuple[int, int, int]) -> str:
    length = len(text)
    for size, limit in zip(("l", "m", "s"), limits, strict=True):
        if length <= limit:
            return size
    return "xs"


def badges(plenary: Plenary, chapter_ids: frozenset[int] | None = None) -> list[Badge]:
    """A badge per registered person, and one per guest right after its host's, sorted by
    the host's last name. A guest with no name given gets a badge to write on."""
    result = []
    registered = sorted(
        (row for row in _active_registrations(plenary, chapter_ids) if row.state == State.REGISTERED),
        key=_by_name,
    )
    for row in registered:
        person = row.person
        role = str(Attendee(row.attendee).label)
        if row.cohort and row.attendee != Attendee.FACILITATOR:
            role = f"{role} · {row.cohort.name}"
        result.append(Badge(person.first_name, person.last_name.upper(), _company(row), role))
        if row.plus_one:
            first, _space, last = row.plus_one_name.strip().partition(" ")
            result.append(
                Badge(
                    first,
                    last.upper(),
                    "",
                    _("Guest of %(name)s") % {"name": person.get_full_name() or person.email},
                    is_guest=True,
                )
            )
    return result


def badges_filename(plenary: Plenary) -> str:
    return f"badges-{slugify(plenary.title)[:60]}-{_stamp(plenary)}.pdf"


def badges_pdf(plenary: Plenary, *, today: datetime.date, chapter_ids: frozenset[int] | None = None) -> bytes:
    with translation.override(LANGUAGE):
        every_badge = badges(plenary, chapter_ids)
    sheets = [
        every_badge[start : start + BADGES_PER_SHEET]
        for start in range(0, len(every_badge), BADGES_PER_SHEET)
    ]
    context = _plenary_context(plenary, today) | {"sheets": sheets, "count": len(every_badge)}
    return render("documents/plenary_badges.html", context).write_pdf()

"""End-of-programme attendance certificates: what they count (meetings held, attended,
plenaries checked in at, over each person's own time), who may download them, the whole
cohort's file, and the e-mail each new alumni gets once when the cohort closes."""

import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from documents import notifications, selectors, services
from documents.models import CertificateDelivery
from groups import services as group_services
from groups.enums import CohortState, MembershipState
from groups.services.cohorts import close_cohort
from groups.services.memberships import withdraw_member
from meetings.enums import AttendanceStatus, MeetingState
from meetings.models import Attendance
from plenaries.enums import Attendee, PlenaryScope, PlenaryState, RegistrationState
from plenaries.models import Registration
from tests import factories
from tests.pdf import pdf_pages, pdf_text

START = datetime.date(2023, 9, 5)
END = datetime.date(2025, 9, 4)
LEFT = datetime.date(2024, 6, 30)


def at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 30), tzinfo=timezone.get_current_timezone())


def shows_fraction(text: str, attended: int, held: int) -> bool:
    """« 2 / 4 » as printed (pdftotext may drop a space around the slash)."""
    return re.search(rf"(?<!\d){attended} ?/ ?{held}(?!\d)", text) is not None


def meeting(cohort, day, *, taken=True, state=MeetingState.SCHEDULED, present=(), excused=(), absent=()):
    meeting = factories.MeetingFactory(
        cohort=cohort, starts_at=at(day), state=state, attendance_taken_at=at(day, 13) if taken else None
    )
    for status, people in (
        (AttendanceStatus.PRESENT, present),
        (AttendanceStatus.EXCUSED, excused),
        (AttendanceStatus.ABSENT, absent),
    ):
        for person in people:
            Attendance.objects.create(meeting=meeting, person=person, status=status)
    return meeting


def plenary(chapter, day, *, regional=False, state=PlenaryState.PLANNED, checked_in=(), not_checked_in=()):
    window = {"registration_opens_at": at(day - datetime.timedelta(days=60))}
    if regional:
        plenary = factories.PlenaryFactory(
            scope=PlenaryScope.REGIONAL,
            chapter=None,
            region=chapter.region,
            starts_at=at(day, 14),
            state=state,
            **window,
        )
    else:
        plenary = factories.PlenaryFactory(chapter=chapter, starts_at=at(day, 14), state=state, **window)
    for person, came in [(p, True) for p in checked_in] + [(p, False) for p in not_checked_in]:
        Registration.objects.create(
            plenary=plenary,
            person=person,
            attendee=Attendee.MEMBER,
            state=RegistrationState.REGISTERED,
            queued_at=at(day - datetime.timedelta(days=30)),
            checked_in_at=at(day, 14) if came else None,
        )
    return plenary


@pytest.fixture
def programme(chapter, other_chapter):
    """A cohort's two years: Anne stays to the end; Bruno withdrew on 30 June 2024."""
    cohort = factories.CohortFactory(
        chapter=chapter, name="Rade de Lorient", start_date=START, end_date=END, state=CohortState.ACTIVE
    )
    anne = factories.MembershipFactory(
        cohort=cohort,
        person__first_name="Anne",
        person__last_name="Le Bihan",
        person__email="anne@lebihan.test",
        company__name="Conserverie Le Bihan",
    )
    bruno = factories.MembershipFactory(
        cohort=cohort,
        person__first_name="Bruno",
        person__last_name="Tanguy",
        person__email="bruno@tanguy.test",
        company__name="Tanguy Nautisme",
    )
    a, b = anne.person, bruno.person
    meeting(cohort, datetime.date(2023, 10, 10), present=[a], absent=[b])
    meeting(cohort, datetime.date(2024, 1, 9), excused=[a], present=[b])
    # Cancelled: counts for no one, even with a stray attendance row.
    meeting(cohort, datetime.date(2024, 3, 12), state=MeetingState.CANCELLED, present=[a, b])
    meeting(cohort, datetime.date(2024, 9, 10), present=[a])  # after Bruno left
    meeting(cohort, datetime.date(2025, 1, 14), taken=False, present=[a])  # attendance never taken
    meeting(cohort, datetime.date(2025, 6, 10), absent=[a])
    # Another cohort's meeting where Anne is (wrongly) recorded: not this cohort's.
    meeting(factories.CohortFactory(chapter=chapter), datetime.date(2024, 2, 6), present=[a])

    plenary(chapter, datetime.date(2024, 5, 20), checked_in=[a], not_checked_in=[b])
    plenary(chapter, datetime.date(2025, 3, 1), regional=True, checked_in=[a, b])  # Bruno had left
    plenary(other_chapter, datetime.date(2024, 4, 1), checked_in=[a])  # another chapter's
    plenary(chapter, datetime.date(2024, 11, 5), state=PlenaryState.CANCELLED, checked_in=[a])
    plenary(chapter, datetime.date(2023, 6, 1), checked_in=[a])  # before she joined

    withdraw_member(bruno, actor=None, reason="Company sold", left_on=LEFT)
    return {"cohort": cohort, "anne": anne, "bruno": bruno}


@pytest.fixture
def closed_programme(programme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        close_cohort(programme["cohort"], actor=None, closed_on=END)
    for key in ("cohort", "anne", "bruno"):
        programme[key].refresh_from_db()
    return programme


def counts(record) -> tuple[int, int, int]:
    return record.meetings_held, record.meetings_attended, record.plenaries_attended


# --- What the certificate counts ----------------------------------------------------------------


def test_counts_follow_the_attendance_records(closed_programme, django_assert_num_queries):
    cohort = closed_programme["cohort"]

    with django_assert_num_queries(4):
        records = selectors.attendance_records(cohort)

    by_name = {record.membership.person.first_name: record for record in records}
    # Held for Anne: 10/10/23, 9/1/24, 10/9/24, 10/6/25 (not the cancelled one, not the one
    # without attendance); present at two (excused and absent are not attended).
    # Plenaries: the chapter's of 20/5/24 and the region's of 1/3/25; not another chapter's,
    # not a cancelled one, not one before she joined.
    assert counts(by_name["Anne"]) == (4, 2, 2)
    assert (by_name["Anne"].period_start, by_name["Anne"].period_end) == (START, END)
    # Bruno counts only his time (to 30/6/24): two meetings held, present at one; his
    # chapter plenary registration was never checked in, the regional one came after he left.
    assert counts(by_name["Bruno"]) == (2, 1, 0)
    assert (by_name["Bruno"].period_end, by_name["Bruno"].left_early) == (LEFT, True)


def test_query_count_does_not_grow_with_the_cohort(closed_programme, django_assert_num_queries):
    cohort = closed_programme["cohort"]
    for _ in range(5):
        person = factories.MembershipFactory(
            cohort=cohort, state=MembershipState.ALUMNI, joined_on=START, left_on=END
        ).person
        meeting(
            cohort, datetime.date(2024, 10, 8) + datetime.timedelta(days=len(person.email)), present=[person]
        )

    with django_assert_num_queries(4):
        records = selectors.attendance_records(cohort)
    assert len(records) == 7


def test_a_member_who_joined_late_counts_from_their_arrival(programme):
    late = factories.MembershipFactory(cohort=programme["cohort"], joined_on=datetime.date(2024, 9, 1))

    record = selectors.attendance_record(late, today=datetime.date(2025, 7, 1))

    # 10/9/24 and 10/6/25 are held while they were there; they were at neither.
    assert counts(record) == (2, 0, 0)
    assert record.period_end == datetime.date(2025, 7, 1)


# --- The PDF and who may download it ------------------------------------------------------------


def certificate_url(membership) -> str:
    return reverse("billing:attendance_certificate", kwargs={"pk": membership.pk})


def cohort_url(cohort) -> str:
    return reverse("billing:cohort_attendance_certificates", kwargs={"pk": cohort.pk})


def test_alumni_downloads_their_own_certificate_with_their_counts(
    closed_programme, coordinator, login, tmp_path
):
    anne = closed_programme["anne"]

    response = login(anne.person).get(certificate_url(anne))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="attestation-fin-de-parcours-anne-le-bihan.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert pdf_pages(response.content, tmp_path) == 1
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "Anne Le Bihan",
        "Conserverie Le Bihan",
        "Rade de Lorient",
        "Plato 56 — CCI du Morbihan",
        "5 septembre 2023",
        "4 septembre 2025",
        "50 %",
        "Gaëlle Le Nours",  # the chapter's coordinator signs
    ):
        assert expected in text, expected
    assert shows_fraction(text, 2, 4)  # meetings attended out of held
    assert "Bruno" not in text


def test_withdrawn_members_certificate_stops_when_they_left(closed_programme, coordinator, login, tmp_path):
    bruno = closed_programme["bruno"]

    text = pdf_text(login(coordinator).get(certificate_url(bruno)).content, tmp_path)

    assert "Bruno Tanguy" in text
    assert "30 juin 2024" in text
    assert shows_fraction(text, 1, 2)


def test_another_members_certificate_is_not_found(closed_programme, login):
    anne, bruno = closed_programme["anne"], closed_programme["bruno"]

    assert login(anne.person).get(certificate_url(bruno)).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("coordinator", 200),
        ("facilitator", 403),
        ("member", 404),
        ("sponsor", 404),
        ("alumni", 404),
        ("outsider", 404),
        ("other_chapter_coordinator", 404),
    ],
)
def test_certificate_by_role(closed_programme, users, login, role, status):
    anne = closed_programme["anne"]

    response = login(users[role]).get(certificate_url(anne))

    assert response.status_code == status
    if status == 200:
        assert response.content.startswith(b"%PDF-")


def test_anonymous_is_sent_to_sign_in(closed_programme, login):
    response = login(None).get(certificate_url(closed_programme["anne"]))

    assert response.status_code == 302
    assert "/login/" in response["Location"] or "next=" in response["Location"]


def test_certificate_of_a_cohort_not_closed_yet_tells_the_coordinator_why(programme, coordinator, login):
    anne = programme["anne"]

    response = login(coordinator).get(certificate_url(anne), follow=True)

    assert response.redirect_chain[-1][0] == programme["cohort"].get_absolute_url()
    assert any(m.level_tag == "info" for m in response.context["messages"])
    # The member of a running cohort has no end-of-programme certificate yet.
    assert login(anne.person).get(certificate_url(anne)).status_code == 404


def test_cohort_file_has_one_page_per_member(closed_programme, coordinator, login, tmp_path):
    cohort = closed_programme["cohort"]

    response = login(coordinator).get(cohort_url(cohort))

    assert response.status_code == 200
    assert 'filename="attestations-fin-de-parcours-rade-de-lorient.pdf"' in response["Content-Disposition"]
    assert pdf_pages(response.content, tmp_path) == 2
    text = pdf_text(response.content, tmp_path)
    assert text.index("Anne Le Bihan") < text.index("Bruno Tanguy")
    assert shows_fraction(text, 2, 4) and shows_fraction(text, 1, 2)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("coordinator", 200),
        ("facilitator", 403),
        ("member", 403),
        ("alumni", 403),
        ("outsider", 403),
        ("other_chapter_coordinator", 404),
    ],
)
def test_cohort_file_by_role(closed_programme, users, login, role, status):
    assert login(users[role]).get(cohort_url(closed_programme["cohort"])).status_code == status


def test_cohort_file_of_an_active_cohort_is_refused_with_a_message(programme, coordinator, login):
    response = login(coordinator).get(cohort_url(programme["cohort"]), follow=True)

    assert response.redirect_chain[-1][0] == programme["cohort"].get_absolute_url()
    assert not response.content.startswith(b"%PDF-")


def test_unknown_ids_are_not_found(coordinator, login):
    client = login(coordinator)
    assert client.get("/billing/memberships/999999/attendance-certificate.pdf").status_code in (404,)
    assert client.get(cohort_url(type("C", (), {"pk": 999999})())).status_code == 404


def test_closed_cohort_page_links_the_certificates(closed_programme, coordinator, login):
    cohort, anne = closed_programme["cohort"], closed_programme["anne"]

    content = login(coordinator).get(cohort.get_absolute_url()).content.decode()

    assert cohort_url(cohort) in content
    assert certificate_url(anne) in content
    assert certificate_url(closed_programme["bruno"]) in content


def test_running_cohort_page_has_no_certificate_links(programme, coordinator, login):
    content = login(coordinator).get(programme["cohort"].get_absolute_url()).content.decode()

    assert cohort_url(programme["cohort"]) not in content
    assert certificate_url(programme["anne"]) not in content


def test_my_invoices_links_the_alumnis_certificate(closed_programme, login):
    anne = closed_programme["anne"]

    content = login(anne.person).get(reverse("billing:my_invoices")).content.decode()

    assert certificate_url(anne) in content


# --- The e-mail at the closing ------------------------------------------------------------------


def test_closing_emails_each_new_alumni_their_certificate_once(closed_programme, tmp_path):
    anne = closed_programme["anne"]

    # Bruno had withdrawn: he is no alumni and gets nothing.
    assert [message.to for message in mail.outbox] == [["anne@lebihan.test"]]
    message = mail.outbox[0]
    assert "Rade de Lorient" in message.subject
    (filename, content, mimetype) = message.attachments[0]
    assert filename == "attestation-fin-de-parcours-anne-le-bihan.pdf"
    assert mimetype == "application/pdf"
    assert shows_fraction(pdf_text(content, tmp_path), 2, 4)
    assert certificate_url(anne) in message.body
    delivery = CertificateDelivery.objects.get(membership=anne)
    assert delivery.sent_at is not None and delivery.attempts == 1

    # A second run of the task, the sweep, or planning again: nothing goes twice.
    assert notifications.send_attendance_certificate(delivery.pk) is False
    services.plan_certificate_emails([anne.pk])
    assert notifications.CertificateHandler().sweep(stale_after=datetime.timedelta(0)) == 0
    assert len(mail.outbox) == 1
    assert CertificateDelivery.objects.count() == 1


def test_a_failed_send_is_counted_and_retried(programme, django_capture_on_commit_callbacks):
    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        close_cohort(programme["cohort"], actor=None, closed_on=END)
    delivery = CertificateDelivery.objects.get(membership=programme["anne"])
    assert delivery.sent_at is None and delivery.attempts >= 1
    assert mail.outbox == []

    assert notifications.CertificateHandler().sweep(stale_after=datetime.timedelta(0)) == 1
    delivery.refresh_from_db()
    assert delivery.sent_at is not None
    assert [message.to for message in mail.outbox] == [["anne@lebihan.test"]]


def test_no_email_without_an_address(programme, django_capture_on_commit_callbacks):
    person = programme["anne"].person
    type(person).objects.filter(pk=person.pk).update(email="")

    with django_capture_on_commit_callbacks(execute=True):
        group_services.close_cohort(programme["cohort"], actor=None, closed_on=END)

    assert mail.outbox == []
    assert not CertificateDelivery.objects.exists()

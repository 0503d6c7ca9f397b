"""Closing a cohort: its members become alumni and keep their history (meetings, invoices,
roadmap); nothing is deleted; Celery beat closes the cohorts whose two years are over."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from billing import services as billing_services
from billing.models import Invoice
from documents.models import CertificateDelivery
from groups import tasks
from groups.enums import CohortState, MembershipState
from groups.models import Membership, Sponsorship
from groups.roles import Role, roles_for
from meetings.enums import AttendanceStatus
from meetings.models import ActionItem, Attendance
from tests import factories

pytestmark = pytest.mark.usefixtures("media_root")


def past(days: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def history(buyer, coordinator):
    """The member's two years in short: a meeting attended with an action on their
    roadmap, and the programme's invoice."""
    cohort = buyer.cohort
    meeting = factories.MeetingFactory(cohort=cohort, starts_at=past(30), attendance_taken_at=past(30))
    Attendance.objects.create(meeting=meeting, person=buyer.person, status=AttendanceStatus.PRESENT)
    ActionItem.objects.create(meeting=meeting, person=buyer.person, text="Relancer la banque pour le prêt")
    invoice = billing_services.issue_invoice(buyer, actor=coordinator, today=timezone.localdate())
    return {"membership": buyer, "meeting": meeting, "invoice": invoice}


def totals() -> tuple[int, int, int, int]:
    return (
        Membership.objects.count(),
        Attendance.objects.count(),
        Invoice.objects.count(),
        ActionItem.objects.count(),
    )


def test_closing_from_the_page_keeps_the_former_members_history(
    history, coordinator, login, django_capture_on_commit_callbacks
):
    membership, meeting, invoice = history["membership"], history["meeting"], history["invoice"]
    before = totals()

    with django_capture_on_commit_callbacks(execute=True):
        response = login(coordinator).post(
            reverse("groups:cohort_close", kwargs={"pk": membership.cohort_id})
        )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.state == MembershipState.ALUMNI
    assert membership.left_on == timezone.localdate()
    assert totals() == before  # nothing deleted
    person = type(membership.person).objects.get(pk=membership.person_id)  # roles computed afresh
    roles = roles_for(person)
    assert roles.has(Role.ALUMNI) and not roles.has(Role.MEMBER)
    assert membership.cohort_id in roles.alumni_cohort_ids

    client = login(person)
    page = client.get(reverse("meetings:meeting_detail", kwargs={"pk": meeting.pk}))
    assert page.status_code == 200
    assert meeting.venue_name in page.content.decode()
    assert (
        client.get(reverse("meetings:cohort_meetings", kwargs={"pk": membership.cohort_id})).status_code
        == 200
    )
    invoices = client.get(reverse("billing:my_invoices")).content.decode()
    assert invoice.number in invoices
    assert reverse("billing:attendance_certificate", kwargs={"pk": membership.pk}) in invoices
    detail = client.get(reverse("billing:invoice_detail", kwargs={"pk": invoice.pk}))
    assert detail.status_code == 200 and invoice.number in detail.content.decode()
    assert "Relancer la banque pour le prêt" in client.get(reverse("meetings:my_actions")).content.decode()
    # …and their certificate came by e-mail, once.
    assert [message.to for message in mail.outbox if "attestation" in message.attachments[0][0]] == [
        [person.email]
    ]


def test_beat_closes_the_cohorts_whose_end_date_has_passed(chapter, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    ended = factories.CohortFactory(
        chapter=chapter,
        name="Finie",
        start_date=today - datetime.timedelta(days=731),
        state=CohortState.ACTIVE,
    )
    running = factories.CohortFactory(
        chapter=chapter,
        name="En cours",
        start_date=today - datetime.timedelta(days=729),
        state=CohortState.ACTIVE,
    )
    ends_today = factories.CohortFactory(
        chapter=chapter, name="Dernier jour", start_date=today - datetime.timedelta(days=730)
    )
    undated = factories.CohortFactory(chapter=chapter, name="Sans dates", start_date=None, end_date=None)
    forming = factories.CohortFactory(
        chapter=chapter,
        name="En formation",
        start_date=today - datetime.timedelta(days=800),
        state=CohortState.FORMING,
    )
    member = factories.MembershipFactory(cohort=ended, person__email="fin@plato.test")
    withdrawn = factories.MembershipFactory(
        cohort=ended, state=MembershipState.WITHDRAWN, left_on=today - datetime.timedelta(days=300)
    )
    sponsorship = factories.SponsorshipFactory(cohort=ended)
    still_member = factories.MembershipFactory(cohort=running)
    assert ended.end_date < today <= running.end_date

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_ended_cohorts.delay().get() == 1

    for cohort in (ended, running, ends_today, undated, forming):
        cohort.refresh_from_db()
    assert ended.state == CohortState.CLOSED
    assert (running.state, ends_today.state, undated.state, forming.state) == (
        CohortState.ACTIVE,
        CohortState.ACTIVE,
        CohortState.ACTIVE,
        CohortState.FORMING,
    )
    member.refresh_from_db()
    assert (member.state, member.left_on) == (MembershipState.ALUMNI, ended.end_date)  # as of its end date
    withdrawn.refresh_from_db()
    assert (withdrawn.state, withdrawn.left_on) == (
        MembershipState.WITHDRAWN,
        today - datetime.timedelta(days=300),
    )
    assert Sponsorship.objects.get(pk=sponsorship.pk).ended_on == ended.end_date
    still_member.refresh_from_db()
    assert still_member.state == MembershipState.ACTIVE
    assert [message.to for message in mail.outbox] == [["fin@plato.test"]]

    # The next day's run finds nothing to do and sends nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_ended_cohorts.delay().get() == 0
    assert len(mail.outbox) == 1
    assert CertificateDelivery.objects.count() == 1


def test_closing_twice_is_refused_and_changes_nothing(history, coordinator, login):
    cohort = history["membership"].cohort
    client = login(coordinator)
    client.post(reverse("groups:cohort_close", kwargs={"pk": cohort.pk}))
    before = (totals(), CertificateDelivery.objects.count(), len(mail.outbox))

    response = client.post(reverse("groups:cohort_close", kwargs={"pk": cohort.pk}), follow=True)

    assert response.status_code == 200
    assert any(message.level_tag == "error" for message in response.context["messages"])
    assert (totals(), CertificateDelivery.objects.count(), len(mail.outbox)) == before

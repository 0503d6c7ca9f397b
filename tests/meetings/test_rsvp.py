"""RSVPs: the answer given in the app, the service behind every answer, and who reads the
comments. The e-mail's signed link is in test_rsvp_links.py."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import rsvp
from meetings.enums import MeetingState, RsvpAnswer, RsvpChannel
from meetings.models import Rsvp
from tests import factories
from tests.pages import assert_hides, assert_shows, in_english

pytestmark = pytest.mark.meeting(venue_name="Salle Vénètes", venue_town="Vannes")  # the answer page shows it


def make_meeting(cohort, *, days_ahead: int = 20, **fields):
    """A meeting `days_ahead` days from now (negative: in the past), its vote window before it."""
    starts_at = timezone.localtime().replace(hour=8, minute=30, second=0, microsecond=0) + datetime.timedelta(
        days=days_ahead
    )
    return factories.MeetingFactory(cohort=cohort, starts_at=starts_at, **fields)


def answers(meeting):
    return list(Rsvp.objects.filter(meeting=meeting).values_list("person__email", "answer", "channel"))


# --- In the app --------------------------------------------------------------------------


def in_app(meeting) -> str:
    return reverse("meetings:rsvp", kwargs={"pk": meeting.pk})


def test_sponsor_answers_in_the_app(meeting, sponsor, login):
    client = in_english(login(sponsor))

    response = client.post(in_app(meeting), {"answer": "yes"})

    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert answers(meeting) == [(sponsor.email, "yes", RsvpChannel.APP)]
    assert_shows(client.get(response["Location"]), "Your answer is saved: I will come.")


def test_member_changes_their_answer_in_the_app_and_keeps_the_comment(meeting, member, login):
    Rsvp.objects.create(meeting=meeting, person=member, answer="yes", comment="En retard")

    login(member).post(in_app(meeting), {"answer": "no"})

    row = Rsvp.objects.get(meeting=meeting, person=member)
    assert (row.answer, row.comment, row.channel) == ("no", "En retard", RsvpChannel.APP)


def test_facilitator_answers_in_the_app(meeting, facilitator, login):
    login(facilitator).post(in_app(meeting), {"answer": "yes"})

    assert answers(meeting) == [(facilitator.email, "yes", RsvpChannel.APP)]


@pytest.mark.parametrize("role", ["outsider", "other_chapter_coordinator", "alumni"])
def test_people_outside_the_cohort_cannot_answer_in_the_app(meeting, role, request, login):
    user = request.getfixturevalue(role)

    response = login(user).post(in_app(meeting), {"answer": "yes"})

    assert response.status_code == 404
    assert answers(meeting) == []


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_staff_not_expected_at_the_meeting_cannot_answer(meeting, role, request, login):
    response = login(request.getfixturevalue(role)).post(in_app(meeting), {"answer": "yes"})

    assert response.status_code == 403
    assert answers(meeting) == []


def test_in_app_answer_needs_sign_in_and_post(meeting, member, login):
    anonymous = Client().post(in_app(meeting), {"answer": "yes"})

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert login(member).get(in_app(meeting)).status_code == 405
    assert answers(meeting) == []


def test_in_app_answer_to_a_cancelled_meeting_says_why(meeting, member, login):
    meeting.state = MeetingState.CANCELLED
    meeting.save()
    client = in_english(login(member))

    response = client.post(in_app(meeting), {"answer": "yes"}, follow=True)

    assert answers(meeting) == []
    assert_shows(response, "This meeting is cancelled: there is no answer to give.")


def test_in_app_answer_that_is_neither_yes_nor_no_is_refused(meeting, member, login):
    response = login(member).post(in_app(meeting), {"answer": "maybe"})

    assert response.status_code == 302
    assert answers(meeting) == []


# --- The service -------------------------------------------------------------------------


def test_answering_twice_leaves_one_row_with_the_last_answer(meeting, member):
    rsvp.answer_rsvp(meeting, member, answer="yes")
    last = rsvp.answer_rsvp(meeting, member, answer="no", comment="Finalement non")

    assert Rsvp.objects.filter(meeting=meeting, person=member).count() == 1
    assert (last.answer, last.comment) == ("no", "Finalement non")


def test_answering_twice_inside_savepoints(meeting, member):
    with transaction.atomic():
        with transaction.atomic():
            rsvp.answer_rsvp(meeting, member, answer="yes")
        with transaction.atomic():
            rsvp.answer_rsvp(meeting, member, answer="yes")
        rsvp.answer_rsvp(meeting, member, answer="no")

    assert answers(meeting) == [(member.email, "no", RsvpChannel.APP)]


def test_a_simultaneous_insert_does_not_reach_the_user(meeting, member):
    """The other request's insert lands between our read and our insert: we retry, and update it."""
    real = Rsvp.objects.update_or_create
    calls = []

    def concurrent_insert_first(*args, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:  # the concurrent request commits its row, ours collides
            Rsvp.objects.create(meeting=meeting, person=member, answer="yes", channel=RsvpChannel.EMAIL)
            raise IntegrityError(
                "UNIQUE constraint failed: meetings_rsvp.meeting_id, meetings_rsvp.person_id"
            )
        return real(*args, **kwargs)

    with mock.patch.object(Rsvp.objects, "update_or_create", side_effect=concurrent_insert_first):
        row = rsvp.answer_rsvp(meeting, member, answer="no")

    assert len(calls) == 2
    assert row.answer == "no"
    assert answers(meeting) == [(member.email, "no", RsvpChannel.APP)]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"state": MeetingState.CANCELLED}, "cancelled"),
        ({"days_ahead": -1}, "over"),
    ],
)
def test_service_refuses_cancelled_and_past_meetings(cohort, member, change, code):
    meeting = make_meeting(cohort, **change)

    with pytest.raises(ValidationError) as refusal:
        rsvp.answer_rsvp(meeting, member, answer="yes")

    assert refusal.value.code == code
    assert answers(meeting) == []


def test_service_refuses_people_not_expected(meeting, outsider, coordinator, alumni):
    for person in (outsider, coordinator, alumni):
        with pytest.raises(ValidationError) as refusal:
            rsvp.answer_rsvp(meeting, person, answer="yes")
        assert refusal.value.code == "not_expected"
    assert answers(meeting) == []


def test_service_refuses_an_answer_other_than_yes_or_no(meeting, member):
    with pytest.raises(ValidationError):
        rsvp.answer_rsvp(meeting, member, answer="maybe")
    with pytest.raises(ValueError):
        rsvp.rsvp_link_token(meeting, member, "maybe")


# --- Who reads the comments: those who run the meeting -----------------------------------------


@pytest.mark.parametrize(
    ("reader", "sees"),
    [
        ("facilitator", True),  # the cohort's own
        ("coordinator", True),
        ("admin", True),
        ("author", True),  # their own comment
        ("other_member", False),
        ("sponsor", False),
        ("other_cohort_facilitator", False),  # of the same chapter, another cohort
    ],
)
def test_an_rsvp_comment_is_for_those_who_run_the_meeting(
    request, meeting, cohort, chapter, member, facilitator, coordinator, admin, sponsor, login, reader, sees
):
    other_cohort_facilitator = factories.ChapterRoleFactory(chapter=chapter, role="facilitator").user
    factories.CohortFactory(chapter=chapter, state="active").facilitators.add(other_cohort_facilitator)
    other_member = factories.MembershipFactory(cohort=cohort, person__last_name="Quéré").person
    readers = {
        "facilitator": facilitator,
        "coordinator": coordinator,
        "admin": admin,
        "author": member,
        "other_member": other_member,
        "sponsor": sponsor,
        "other_cohort_facilitator": other_cohort_facilitator,
    }
    rsvp.answer_rsvp(meeting, member, answer=RsvpAnswer.NO, comment="Hospitalisé, rien de grave")
    rsvp.answer_rsvp(meeting, sponsor, answer=RsvpAnswer.NO, comment="Conseil d'administration ce matin-là")

    page = login(readers[reader]).get(meeting.get_absolute_url())

    assert page.status_code == 200
    assert_shows(page, str(member))  # everyone still sees who cannot come
    if sees:
        assert_shows(page, "Hospitalisé, rien de grave")
    else:
        assert_hides(page, "Hospitalisé, rien de grave")
    if reader not in ("facilitator", "coordinator", "admin", "sponsor"):
        assert_hides(page, "Conseil d'administration ce matin-là")

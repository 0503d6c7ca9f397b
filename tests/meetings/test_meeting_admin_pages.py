"""Adding, changing and cancelling a meeting: the services' rules (vote windows, SEQUENCE,
no change once started) and the facilitator's pages, with what others may not do."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.enums import CohortState
from meetings import schedule, services
from meetings.enums import MeetingState, TopicState
from meetings.models import Meeting
from tests import factories
from tests.pages import assert_hides, assert_shows, in_english


def local(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A date-time in the chapter's time zone, `days` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def place(**overrides) -> dict:
    return {
        "venue_kind": "cci",
        "venue_name": "CCI du Morbihan",
        "venue_address": "21 quai des Indes",
        "venue_postcode": "56100",
        "venue_town": "Lorient",
    } | overrides


def speaker(**overrides) -> dict:
    return {"speaker_name": "", "speaker_organisation": "", "speaker_subject": ""} | overrides


def as_it_is(meeting, **overrides) -> dict:
    """change_meeting's values for the meeting as stored, with some changed."""
    names = ("starts_at", "ends_at", *services.PLACE_FIELDS, *services.SPEAKER_FIELDS)
    return {name: getattr(meeting, name) for name in names} | overrides


def form_data(day: datetime.date, start="09:00", end="12:00", **overrides) -> dict:
    return {"date": day.isoformat(), "start_time": start, "end_time": end, **place(), **speaker()} | overrides


# --- add_meeting ---------------------------------------------------------------------------


def test_an_added_meeting_votes_from_the_end_of_the_previous_one(chapter, cohort, facilitator, meeting):
    added = services.add_meeting(
        cohort, starts_at=local(45, 9), ends_at=local(45, 12), actor=facilitator, **place(), **speaker()
    )

    assert added.vote_opens_at == meeting.ends_at
    assert added.vote_closes_at == local(45, 9) - datetime.timedelta(days=chapter.vote_close_days)
    assert (added.state, added.sequence, added.cohort) == (MeetingState.SCHEDULED, 0, cohort)


def test_an_added_meeting_without_a_previous_one_gets_a_four_week_vote(chapter, cohort, coordinator):
    added = services.add_meeting(
        cohort, starts_at=local(60, 9), ends_at=local(60, 12), actor=coordinator, **place()
    )

    assert added.vote_closes_at - added.vote_opens_at == datetime.timedelta(days=schedule.FIRST_VOTE_DAYS)


def test_a_meeting_added_in_between_moves_the_next_vote_opening(chapter, cohort, facilitator, meeting):
    following = factories.MeetingFactory(
        cohort=cohort,
        starts_at=local(80, 9),
        ends_at=local(80, 12),
        vote_opens_at=meeting.ends_at,
        vote_closes_at=local(70, 9),
    )

    added = services.add_meeting(
        cohort, starts_at=local(50, 9), ends_at=local(50, 12), actor=facilitator, **place()
    )

    following.refresh_from_db()
    assert following.vote_opens_at == added.ends_at
    assert added.vote_opens_at == meeting.ends_at
    assert following.vote_opens_at < following.vote_closes_at <= following.starts_at


def test_a_closed_vote_of_the_next_meeting_is_left_alone(cohort, facilitator):
    following = factories.MeetingFactory(
        cohort=cohort,
        starts_at=local(3, 9),
        ends_at=local(3, 12),
        vote_opens_at=local(-30, 12),
        vote_closes_at=local(-1, 9),  # closed: its agenda may be set
    )

    services.add_meeting(cohort, starts_at=local(1, 14), ends_at=local(1, 17), actor=facilitator, **place())

    following.refresh_from_db()
    assert (following.vote_opens_at, following.vote_closes_at) == (local(-30, 12), local(-1, 9))


@pytest.mark.parametrize(
    "starts_at, ends_at",
    [
        (local(-3, 9), local(-3, 12)),  # in the past
        (local(30, 12), local(30, 9)),  # ends before it starts
        (local(20, 10), local(20, 13)),  # during the cohort's meeting of that day (8:30–12:00)
    ],
)
def test_add_meeting_refuses_bad_times(cohort, facilitator, meeting, starts_at, ends_at):
    with pytest.raises(ValidationError):
        services.add_meeting(cohort, starts_at=starts_at, ends_at=ends_at, actor=facilitator, **place())

    assert Meeting.objects.filter(cohort=cohort).count() == 1


def test_add_meeting_refuses_a_closed_cohort(closed_cohort, coordinator):
    with pytest.raises(ValidationError):
        services.add_meeting(
            closed_cohort, starts_at=local(30, 9), ends_at=local(30, 12), actor=coordinator, **place()
        )

    assert not closed_cohort.meetings.exists()


def test_a_forming_cohort_may_get_meetings(chapter, coordinator):
    forming = factories.CohortFactory(chapter=chapter, state=CohortState.FORMING)

    added = services.add_meeting(
        forming, starts_at=local(30, 9), ends_at=local(30, 12), actor=coordinator, **place()
    )

    assert added.cohort == forming


@pytest.mark.parametrize("role", ["member", "sponsor", "other_chapter_coordinator", "outsider"])
def test_only_the_cohort_staff_add_meetings(cohort, role, request):
    with pytest.raises(ValidationError):
        services.add_meeting(
            cohort,
            starts_at=local(30, 9),
            ends_at=local(30, 12),
            actor=request.getfixturevalue(role),
            **place(),
        )

    assert not cohort.meetings.exists()


def test_the_facilitator_of_another_cohort_cannot_add_meetings(chapter, cohort):
    other = factories.ChapterRoleFactory(chapter=chapter, role="facilitator").user
    factories.CohortFactory(chapter=chapter).facilitators.add(other)

    with pytest.raises(ValidationError):
        services.add_meeting(cohort, starts_at=local(30, 9), ends_at=local(30, 12), actor=other, **place())


# --- change_meeting, move_meeting, update_speaker, cancel_meeting -------------------------------


def test_changing_only_the_speaker_keeps_the_sequence(meeting, facilitator):
    changed = services.change_meeting(
        meeting,
        actor=facilitator,
        **as_it_is(meeting, speaker_name="Anne Le Gall", speaker_organisation="Bpifrance"),
    )

    assert changed.sequence == 0
    assert (changed.speaker_name, changed.speaker_organisation) == ("Anne Le Gall", "Bpifrance")
    assert (changed.starts_at, changed.vote_opens_at) == (meeting.starts_at, meeting.vote_opens_at)


def test_a_new_date_is_a_move_that_raises_the_sequence(meeting, facilitator):
    later = datetime.timedelta(days=7)

    changed = services.change_meeting(
        meeting,
        actor=facilitator,
        **as_it_is(meeting, starts_at=meeting.starts_at + later, ends_at=meeting.ends_at + later),
    )

    assert changed.sequence == 1
    assert changed.starts_at == meeting.starts_at + later
    assert changed.vote_closes_at <= changed.starts_at


def test_a_new_place_and_speaker_at_once_raise_the_sequence_once(meeting, facilitator):
    changed = services.change_meeting(
        meeting,
        actor=facilitator,
        **as_it_is(meeting, venue_name="Salle Vénètes", speaker_name="Anne Le Gall"),
    )

    assert (changed.sequence, changed.venue_name, changed.speaker_name) == (
        1,
        "Salle Vénètes",
        "Anne Le Gall",
    )


def test_saving_the_form_unchanged_changes_nothing(meeting, facilitator):
    changed = services.change_meeting(
        meeting, actor=facilitator, **as_it_is(meeting, venue_name=" CCI du Morbihan ")
    )

    assert changed.sequence == 0


def test_moving_after_the_next_meeting_vote_opening_moves_it(cohort, meeting, facilitator):
    following = factories.MeetingFactory(
        cohort=cohort,
        starts_at=local(80, 9),
        ends_at=local(80, 12),
        vote_opens_at=meeting.ends_at,
        vote_closes_at=local(70, 9),
    )

    moved = services.move_meeting(
        meeting, starts_at=local(40, 9), ends_at=local(40, 12), actor=facilitator, **place()
    )

    following.refresh_from_db()
    assert following.vote_opens_at == moved.ends_at


def test_a_started_meeting_cannot_be_changed_or_cancelled(cohort, facilitator):
    started = factories.MeetingFactory(cohort=cohort, starts_at=timezone.now() - datetime.timedelta(hours=1))

    with pytest.raises(ValidationError):
        services.change_meeting(started, actor=facilitator, **as_it_is(started, speaker_name="Anne Le Gall"))
    with pytest.raises(ValidationError):
        services.update_speaker(started, actor=facilitator, **speaker(speaker_name="Anne Le Gall"))
    with pytest.raises(ValidationError):
        services.cancel_meeting(started, reason="Trop tard", actor=facilitator)
    started.refresh_from_db()
    assert (started.state, started.sequence, started.speaker_name) == (MeetingState.SCHEDULED, 0, "")


def test_a_cancelled_meeting_cannot_be_changed(meeting, facilitator):
    services.cancel_meeting(meeting, reason="Salle indisponible", actor=facilitator)

    with pytest.raises(ValidationError):
        services.change_meeting(meeting, actor=facilitator, **as_it_is(meeting, speaker_name="Anne Le Gall"))
    with pytest.raises(ValidationError):
        services.move_meeting(
            meeting, starts_at=local(30, 9), ends_at=local(30, 12), actor=facilitator, **place()
        )


def test_a_meeting_cannot_move_into_the_past(meeting, facilitator):
    with pytest.raises(ValidationError):
        services.move_meeting(
            meeting, starts_at=local(-2, 9), ends_at=local(-2, 12), actor=facilitator, **place()
        )

    meeting.refresh_from_db()
    assert meeting.sequence == 0


@pytest.mark.parametrize("role", ["member", "sponsor"])
def test_members_and_sponsors_change_nothing(meeting, role, request):
    person = request.getfixturevalue(role)

    with pytest.raises(ValidationError):
        services.change_meeting(meeting, actor=person, **as_it_is(meeting, speaker_name="Moi"))
    with pytest.raises(ValidationError):
        services.cancel_meeting(meeting, reason="Je ne peux pas", actor=person)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.speaker_name) == (MeetingState.SCHEDULED, "")


# --- The pages -----------------------------------------------------------------------------------


def edit_url(meeting):
    return reverse("meetings:meeting_edit", kwargs={"pk": meeting.pk})


def cancel_url(meeting):
    return reverse("meetings:meeting_cancel", kwargs={"pk": meeting.pk})


def create_url(cohort):
    return reverse("meetings:meeting_create", kwargs={"pk": cohort.pk})


def test_the_edit_page_shows_the_meeting_in_local_time(meeting, facilitator, login):
    response = login(facilitator).get(edit_url(meeting))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{timezone.localdate(meeting.starts_at).isoformat()}"' in html
    assert 'value="08:30"' in html and 'value="12:00"' in html
    assert 'value="CCI du Morbihan"' in html


def test_the_facilitator_moves_a_meeting_from_the_page(meeting, facilitator, login):
    day = timezone.localdate(meeting.starts_at) + datetime.timedelta(days=2)

    response = login(facilitator).post(
        edit_url(meeting), form_data(day, "14:00", "17:30", venue_name="Salle Vénètes", venue_town="Vannes")
    )

    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).replace(tzinfo=None) == datetime.datetime.combine(
        day, datetime.time(14)
    )
    assert timezone.localtime(meeting.ends_at).time() == datetime.time(17, 30)
    assert (meeting.venue_name, meeting.venue_town, meeting.sequence) == ("Salle Vénètes", "Vannes", 1)


def test_the_speaker_alone_from_the_page_keeps_the_sequence(meeting, facilitator, login):
    day = timezone.localdate(meeting.starts_at)

    response = login(facilitator).post(
        edit_url(meeting),
        form_data(
            day, "08:30", "12:00", speaker_name="Anne Le Gall", speaker_subject="Financer sa croissance"
        ),
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.speaker_name) == (0, "Anne Le Gall")
    assert_shows(login(facilitator).get(meeting.get_absolute_url()), "Anne Le Gall", "Financer sa croissance")


@pytest.mark.parametrize(
    "overrides, field_error",
    [
        (
            {"start_time": "12:00", "end_time": "09:00"},
            "The meeting ends after it starts: check the two times.",
        ),
        ({"date": "2020-03-10"}, "Choose a date and time in the future."),
        ({"date": "10/03/2099x"}, "Enter a valid date."),
        ({"venue_postcode": "5610"}, "A French postcode has 5 digits, e.g. 56000."),
        ({"start_time": ""}, "Give the starting time."),
    ],
)
def test_bad_input_is_explained_and_nothing_typed_is_lost(
    meeting, facilitator, login, overrides, field_error
):
    day = timezone.localdate(meeting.starts_at) + datetime.timedelta(days=1)
    data = form_data(day, venue_name="Atelier Nautique du Golfe", speaker_name="Anne Le Gall") | overrides

    response = in_english(login(facilitator)).post(edit_url(meeting), data)

    assert response.status_code == 200
    assert_shows(response, field_error, "Atelier Nautique du Golfe", "Anne Le Gall")
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.venue_name, meeting.speaker_name) == (0, "CCI du Morbihan", "")


def test_the_form_errors_are_in_french_by_default(meeting, facilitator, login):
    day = timezone.localdate(meeting.starts_at)

    response = login(facilitator).post(edit_url(meeting), form_data(day, "12:00", "09:00"))

    assert_shows(response, "La réunion finit après avoir commencé : vérifiez les deux heures.")


def test_an_overlap_found_by_the_service_shows_on_the_form(cohort, meeting, facilitator, login):
    response = in_english(login(facilitator)).post(
        create_url(cohort), form_data(timezone.localdate(meeting.starts_at), "10:00", "13:00")
    )

    assert response.status_code == 200
    assert_shows(response, "The cohort already has a meeting at that time")
    assert cohort.meetings.count() == 1


def test_a_started_or_cancelled_meeting_sends_the_edit_pages_back(cohort, meeting, facilitator, login):
    started = factories.MeetingFactory(cohort=cohort, starts_at=timezone.now() - datetime.timedelta(hours=1))
    services.cancel_meeting(meeting, reason="Salle indisponible", actor=facilitator)
    client = in_english(login(facilitator))

    for url in (edit_url(started), cancel_url(started), edit_url(meeting), cancel_url(meeting)):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] in (started.get_absolute_url(), meeting.get_absolute_url())
        assert_shows(response, "it can no longer be changed")


def test_posting_to_a_cancelled_meeting_says_why(meeting, facilitator, login):
    services.cancel_meeting(meeting, reason="Salle indisponible", actor=facilitator)
    day = timezone.localdate(meeting.starts_at)

    response = in_english(login(facilitator)).post(
        edit_url(meeting), form_data(day, speaker_name="X"), follow=True
    )

    # Back to the meeting's page, as when the edit page is opened (plenaries do the same).
    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    assert_shows(response, "This meeting is cancelled: it can no longer be changed.")
    meeting.refresh_from_db()
    assert meeting.speaker_name != "X"


def test_the_facilitator_cancels_with_a_reason(meeting, facilitator, member, login):
    topic = factories.TopicFactory(cohort=meeting.cohort, proposed_by=member, state=TopicState.SCHEDULED)
    meeting.agenda_items.create(topic=topic)

    response = login(facilitator).post(cancel_url(meeting), {"reason": "Salle indisponible ce jour-là"})

    assert response.status_code == 302
    meeting.refresh_from_db()
    topic.refresh_from_db()
    assert (meeting.state, meeting.cancel_reason, meeting.sequence) == (
        MeetingState.CANCELLED,
        "Salle indisponible ce jour-là",
        1,
    )
    assert topic.state == TopicState.OPEN
    assert_shows(login(member).get(meeting.get_absolute_url()), "Salle indisponible ce jour-là")


def test_cancelling_without_a_reason_is_refused(meeting, facilitator, login):
    response = in_english(login(facilitator)).post(cancel_url(meeting), {"reason": "  "})

    assert response.status_code == 200
    assert_shows(response, "Say why the meeting is cancelled: it is shown on the meeting page.")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.SCHEDULED


def test_the_facilitator_adds_a_meeting_from_the_page(cohort, meeting, facilitator, login):
    day = timezone.localdate() + datetime.timedelta(days=45)
    client = login(facilitator)

    form = client.get(create_url(cohort))
    response = client.post(create_url(cohort), form_data(day, "08:30", "12:00", speaker_name="Anne Le Gall"))

    assert form.status_code == 200
    added = cohort.meetings.get(starts_at__date=day)
    assert response["Location"] == added.get_absolute_url()
    assert (added.speaker_name, added.vote_opens_at) == ("Anne Le Gall", meeting.ends_at)


def test_the_add_page_starts_from_the_chapter_settings(chapter, cohort, facilitator, login):
    chapter.cci_name, chapter.issuer_town = "CCI du Morbihan", "Lorient"
    chapter.save()

    html = login(facilitator).get(create_url(cohort)).content.decode()

    assert 'value="08:30"' in html and 'value="12:00"' in html
    assert 'value="CCI du Morbihan"' in html and 'value="Lorient"' in html


def test_a_closed_cohort_gets_no_meeting_from_the_page(closed_cohort, coordinator, login):
    client = in_english(login(coordinator))
    day = timezone.localdate() + datetime.timedelta(days=30)

    page = client.get(create_url(closed_cohort), follow=True)
    response = client.post(create_url(closed_cohort), form_data(day), follow=True)

    assert_shows(page, "This cohort is closed: no meeting can be added.")
    assert_shows(response, "This cohort is closed: no meeting can be added.")
    assert not closed_cohort.meetings.exists()


@pytest.mark.parametrize("role", ["member", "sponsor"])
def test_members_and_sponsors_are_refused_the_pages(cohort, meeting, role, request, login):
    client = login(request.getfixturevalue(role))
    day = timezone.localdate() + datetime.timedelta(days=45)

    assert client.post(edit_url(meeting), form_data(day)).status_code == 403
    assert client.post(cancel_url(meeting), {"reason": "Non"}).status_code == 403
    assert client.post(create_url(cohort), form_data(day)).status_code == 403
    meeting.refresh_from_db()
    assert (meeting.state, meeting.sequence, cohort.meetings.count()) == (MeetingState.SCHEDULED, 0, 1)


def test_a_member_of_another_cohort_gets_404(chapter, cohort, meeting, login):
    stranger = factories.MembershipFactory(cohort=factories.CohortFactory(chapter=chapter)).person
    client = login(stranger)
    day = timezone.localdate() + datetime.timedelta(days=45)

    assert client.post(edit_url(meeting), form_data(day)).status_code == 404
    assert client.post(cancel_url(meeting), {"reason": "Non"}).status_code == 404
    assert client.post(create_url(cohort), form_data(day)).status_code == 404
    assert cohort.meetings.count() == 1


def test_only_the_staff_see_the_links(cohort, meeting, facilitator, member, sponsor, login):
    edit, cancel, create = edit_url(meeting), cancel_url(meeting), create_url(cohort)
    list_url = reverse("meetings:cohort_meetings", kwargs={"pk": cohort.pk})

    assert_shows(login(facilitator).get(meeting.get_absolute_url()), edit, cancel)
    assert_shows(login(facilitator).get(list_url), create)
    for person in (member, sponsor):
        assert_hides(login(person).get(meeting.get_absolute_url()), edit, cancel)
        assert_hides(login(person).get(list_url), create)


def test_no_change_links_once_the_meeting_has_started(cohort, facilitator, login):
    started = factories.MeetingFactory(cohort=cohort, starts_at=timezone.now() - datetime.timedelta(hours=1))

    assert_hides(login(facilitator).get(started.get_absolute_url()), edit_url(started), cancel_url(started))

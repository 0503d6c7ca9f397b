"""RSVPs: the e-mail's one-click signed link (valid, replayed, tampered, expired, another
person's, a person who left, a cancelled meeting) and the answer given in the app."""

import datetime
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.text import capfirst

from groups.enums import MembershipState
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


def link(meeting, person, answer=RsvpAnswer.YES) -> str:
    return reverse("meetings:rsvp_link", kwargs={"token": rsvp.rsvp_link_token(meeting, person, answer)})


def open_link(client: Client, url: str):
    """What a browser does with the e-mail's link: it opens the page, whose form sends the
    answer by itself (JavaScript); the response is the page shown in the end."""
    page = client.get(url)
    if page.status_code == 200 and b"data-submit-on-load" in page.content:
        return client.post(url, {"answer": page.context["answer"]}, follow=True)
    return page


def visitor() -> Client:
    return in_english(Client())


def answers(meeting):
    return list(Rsvp.objects.filter(meeting=meeting).values_list("person__email", "answer", "channel"))


# --- The valid link ----------------------------------------------------------------------


def test_link_records_the_answer_and_shows_it(meeting, member):
    response = open_link(visitor(), link(meeting, member))

    assert response.status_code == 200
    assert answers(meeting) == [(member.email, "yes", RsvpChannel.EMAIL)]
    assert_shows(response, "You are coming: yes", "Golfe du Morbihan", "Salle Vénètes", "Vannes")
    assert_shows(response, "Answer recorded for Gwenaël Le Floch")
    assert 'data-answer="yes"' in response.content.decode()


def test_link_shows_the_date_in_french_by_default(meeting, member):
    response = open_link(Client(), link(meeting, member))

    with translation.override("fr"):
        french_date = capfirst(dateformat.format(timezone.localtime(meeting.starts_at), "l j F Y"))
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert_shows(response, french_date)


def test_link_no_records_no(meeting, member):
    response = open_link(visitor(), link(meeting, member, RsvpAnswer.NO))

    assert response.status_code == 200
    assert answers(meeting) == [(member.email, "no", RsvpChannel.EMAIL)]
    assert_shows(response, "You are coming: no")


def test_opening_a_link_records_nothing_until_its_page_sends_the_answer(meeting, member):
    # Mail filters open every link of an e-mail, "yes" and "no", and run no script.
    yes = visitor().get(link(meeting, member))
    no = visitor().get(link(meeting, member, RsvpAnswer.NO))

    assert yes.status_code == no.status_code == 200
    assert answers(meeting) == []
    assert_shows(yes, "You will come?", "Confirm: I will come")
    assert_shows(no, "You cannot come?", "Confirm: I cannot come")
    html = yes.content.decode()
    assert "data-submit-on-load" in html and 'name="answer" value="yes"' in html
    assert 'name="comment"' not in html


def test_the_link_of_the_answer_already_given_just_shows_it(meeting, member):
    client = visitor()
    client.post(link(meeting, member), {"answer": "yes", "comment": "En retard de 10 minutes"})

    page = client.get(link(meeting, member))

    assert "data-submit-on-load" not in page.content.decode()
    assert_shows(page, "You are coming: yes", "En retard de 10 minutes")
    assert answers(meeting) == [(member.email, "yes", RsvpChannel.EMAIL)]


def test_the_other_answers_link_asks_before_changing_the_answer(meeting, member):
    client = visitor()
    open_link(client, link(meeting, member))

    page = client.get(link(meeting, member, RsvpAnswer.NO))

    assert_shows(page, "You cannot come?", "Your previous answer: I will come.")
    assert answers(meeting) == [(member.email, "yes", RsvpChannel.EMAIL)]


def test_link_is_not_cached_and_refuses_head(meeting, member):
    response = open_link(visitor(), link(meeting, member))
    head = visitor().head(link(meeting, member, RsvpAnswer.NO))

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert head.status_code == 405  # link checkers that only peek record nothing
    assert answers(meeting) == [(member.email, "yes", RsvpChannel.EMAIL)]


def test_link_never_signs_the_visitor_in(meeting, member):
    client = visitor()

    open_link(client, link(meeting, member))

    assert "_auth_user_id" not in client.session
    assert client.get(reverse("members:profile")).status_code == 302  # still anonymous


def test_rsvp_url_is_absolute_on_the_site(meeting, member, settings):
    settings.SITE_URL = "https://plato.example.fr/"

    url = rsvp.rsvp_url(meeting, member, RsvpAnswer.YES)

    assert url.startswith("https://plato.example.fr/rsvp/")
    assert url == "https://plato.example.fr" + link(meeting, member)


def test_read_token_gives_back_meeting_person_answer(meeting, sponsor):
    token = rsvp.rsvp_link_token(meeting, sponsor, RsvpAnswer.NO)

    assert rsvp.read_rsvp_token(token) == (meeting, sponsor, "no")


# --- Replayed ----------------------------------------------------------------------------


def test_replayed_link_leaves_one_row(meeting, member):
    first = open_link(visitor(), link(meeting, member))
    again = open_link(visitor(), link(meeting, member))

    assert first.status_code == again.status_code == 200
    assert answers(meeting) == [(member.email, "yes", RsvpChannel.EMAIL)]


def test_switching_the_answer_from_the_page_updates_the_row(meeting, member):
    client = visitor()
    open_link(client, link(meeting, member))

    response = client.post(link(meeting, member), {"answer": "no", "comment": "  Salon à Rennes ce jour-là "})

    # To the link of the new answer: reloading it keeps "no", where the old link would say "yes" again.
    assert response.status_code == 302
    assert response["Location"] == link(meeting, member, RsvpAnswer.NO)
    row = Rsvp.objects.get(meeting=meeting, person=member)
    assert (row.answer, row.comment, row.channel) == ("no", "Salon à Rennes ce jour-là", RsvpChannel.EMAIL)
    page = client.get(response["Location"])
    assert_shows(page, "You are coming: no", "Your answer is saved.", "Salon à Rennes ce jour-là")
    assert Rsvp.objects.filter(meeting=meeting, person=member).count() == 1


def test_opening_the_link_again_keeps_the_comment(meeting, member):
    client = visitor()
    client.post(link(meeting, member), {"answer": "yes", "comment": "J'arriverai à 9 h 30"})

    open_link(client, link(meeting, member))

    assert Rsvp.objects.get(meeting=meeting, person=member).comment == "J'arriverai à 9 h 30"


def test_a_comment_too_long_is_refused_on_the_page(meeting, member):
    client = visitor()
    open_link(client, link(meeting, member))

    response = client.post(link(meeting, member), {"answer": "no", "comment": "x" * 256})

    assert response.status_code == 200
    assert Rsvp.objects.get(meeting=meeting, person=member).answer == "yes"
    assert "is-invalid" in response.content.decode()


def test_posting_from_the_page_needs_the_csrf_token(meeting, member):
    client = in_english(Client(enforce_csrf_checks=True))

    response = client.post(link(meeting, member), {"answer": "no"})

    assert response.status_code == 403
    assert answers(meeting) == []


def test_the_page_form_carries_its_csrf_token(meeting, member):
    client = in_english(Client(enforce_csrf_checks=True))

    # The page that sends the answer by itself, as the browser does.
    page = client.get(link(meeting, member))
    token = page.context["csrf_token"]
    response = client.post(link(meeting, member), {"answer": "yes", "csrfmiddlewaretoken": str(token)})

    assert response.status_code == 302
    assert Rsvp.objects.get(meeting=meeting, person=member).answer == "yes"


# --- Tampered ----------------------------------------------------------------------------


def _changed(text: str, index: int) -> str:
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


def tampered_tokens(meeting, person):
    token = rsvp.rsvp_link_token(meeting, person, RsvpAnswer.YES)
    payload, signature = token.split(":")
    return {
        "signature_last_char": _changed(token, len(token) - 1),
        "signature_first_char": f"{payload}:{_changed(signature, 0)}",
        "answer_changed": f"{meeting.pk}.{person.pk}.no:{signature}",
        "other_salt": signing.Signer(salt="members.other").sign(payload),
        "dumps_other_salt": signing.dumps([meeting.pk, person.pk, "yes"], salt="billing.invoice"),
        "unsigned": payload,
        "nonsense": "hello",
        "signed_but_not_ours": signing.Signer(salt=rsvp.RSVP_SALT).sign("hello"),
        "signed_bad_answer": signing.Signer(salt=rsvp.RSVP_SALT).sign(f"{meeting.pk}.{person.pk}.maybe"),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "signature_last_char",
        "signature_first_char",
        "answer_changed",
        "other_salt",
        "dumps_other_salt",
        "unsigned",
        "nonsense",
        "signed_but_not_ours",
        "signed_bad_answer",
    ],
)
def test_tampered_link_gets_a_clear_page_and_records_nothing(meeting, member, kind):
    token = tampered_tokens(meeting, member)[kind]

    response = visitor().get(reverse("meetings:rsvp_link", kwargs={"token": token}))

    assert response.status_code == 400
    assert_shows(response, "This link does not work", "no answer was recorded")
    assert 'data-reason="tampered"' in response.content.decode()
    assert answers(meeting) == []
    with pytest.raises(rsvp.RsvpLinkTampered):
        rsvp.read_rsvp_token(token)


def test_tampered_link_refuses_the_post_too(meeting, member):
    token = tampered_tokens(meeting, member)["answer_changed"]

    response = visitor().post(reverse("meetings:rsvp_link", kwargs={"token": token}), {"answer": "no"})

    assert response.status_code == 400
    assert answers(meeting) == []


def test_a_link_cannot_be_turned_into_another_persons(meeting, member, sponsor):
    _payload, signature = rsvp.rsvp_link_token(meeting, member, RsvpAnswer.YES).split(":")
    forged = f"{meeting.pk}.{sponsor.pk}.yes:{signature}"

    response = visitor().get(reverse("meetings:rsvp_link", kwargs={"token": forged}))

    assert response.status_code == 400
    assert answers(meeting) == []


def test_a_link_cannot_be_moved_to_another_meeting(meeting, cohort, member):
    other = make_meeting(cohort, days_ahead=50)
    _payload, signature = rsvp.rsvp_link_token(meeting, member, RsvpAnswer.YES).split(":")

    response = visitor().get(
        reverse("meetings:rsvp_link", kwargs={"token": f"{other.pk}.{member.pk}.yes:{signature}"})
    )

    assert response.status_code == 400
    assert Rsvp.objects.count() == 0


# --- Expired -----------------------------------------------------------------------------


def test_link_of_a_past_meeting_is_expired(cohort, member, facilitator):
    past = make_meeting(cohort, days_ahead=-3)

    response = open_link(visitor(), link(past, member))

    assert response.status_code == 410
    assert_shows(response, "This meeting is over", "contact your facilitator", "facilitator@plato.test")
    assert 'data-reason="expired"' in response.content.decode()
    assert answers(past) == []


def test_link_expires_when_the_meeting_ends(meeting, member):
    token = rsvp.rsvp_link_token(meeting, member, RsvpAnswer.YES)
    url = reverse("meetings:rsvp_link", kwargs={"token": token})

    during = meeting.ends_at - datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=during):
        assert visitor().get(url).status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=meeting.ends_at):
        after = visitor().get(url)
        with pytest.raises(rsvp.RsvpLinkExpired):
            rsvp.read_rsvp_token(token)

    assert after.status_code == 410
    assert 'data-reason="expired"' in after.content.decode()


def test_the_page_of_an_expired_link_refuses_the_post(cohort, member):
    past = make_meeting(cohort, days_ahead=-1)

    response = visitor().post(link(past, member), {"answer": "no"})

    assert response.status_code == 410
    assert answers(past) == []


# --- Another person's link ---------------------------------------------------------------


def test_another_persons_link_answers_for_them_not_for_the_signed_in_visitor(meeting, member, sponsor):
    client = in_english(Client())
    client.force_login(sponsor)

    response = open_link(client, link(meeting, member))

    assert response.status_code == 200
    assert answers(meeting) == [(member.email, "yes", RsvpChannel.EMAIL)]
    assert_shows(response, "You are signed in as Catherine Le Bras, but this link is Gwenaël Le Floch’s")
    assert int(client.session["_auth_user_id"]) == sponsor.pk  # still the sponsor, never the member


def test_another_persons_link_posted_changes_their_answer_only(meeting, member, sponsor):
    client = in_english(Client())
    client.force_login(sponsor)

    client.post(link(meeting, member), {"answer": "no", "comment": ""})

    assert answers(meeting) == [(member.email, "no", RsvpChannel.EMAIL)]


def test_own_link_shows_no_notice(meeting, member, login):
    response = open_link(in_english(login(member)), link(meeting, member))

    assert_hides(response, "You are signed in as")


def test_an_outsider_with_a_link_of_theirs_is_refused(meeting, outsider):
    response = open_link(visitor(), link(meeting, outsider))

    assert response.status_code == 410
    assert 'data-reason="not_expected"' in response.content.decode()
    assert answers(meeting) == []


# --- People who left, cancelled meetings ---------------------------------------------------


def test_link_of_a_member_who_left_the_cohort_is_refused(meeting, member, member_membership):
    url = link(meeting, member)
    member_membership.state = MembershipState.WITHDRAWN
    member_membership.save()

    response = visitor().get(url)

    assert response.status_code == 410
    assert_shows(response, "This link is no longer valid for you")
    assert answers(meeting) == []
    with pytest.raises(rsvp.RsvpLinkRefused):
        rsvp.read_rsvp_token(url.split("/")[-2])


def test_link_of_a_sponsor_whose_sponsorship_ended_is_refused(meeting, sponsor):
    url = link(meeting, sponsor)
    sponsor.sponsorships.update(ended_on=timezone.localdate())

    response = visitor().get(url)

    assert response.status_code == 410
    assert answers(meeting) == []


def test_link_of_a_cancelled_meeting_is_refused(meeting, member, facilitator):
    url = link(meeting, member)
    Rsvp.objects.create(meeting=meeting, person=member, answer="yes")
    meeting.state = MeetingState.CANCELLED
    meeting.cancel_reason = "Salle indisponible."
    meeting.save()

    response = visitor().get(url)

    assert response.status_code == 410
    assert_shows(response, "This meeting is cancelled", "Salle indisponible.", "Kévin Le Guennec")
    assert Rsvp.objects.get(meeting=meeting, person=member).answer == "yes"  # untouched


def test_link_of_a_deleted_meeting_is_refused(meeting, member):
    url = link(meeting, member)
    meeting.delete()

    response = visitor().get(url)

    assert response.status_code == 410
    assert_shows(response, "This meeting no longer exists")


def test_sponsor_and_facilitator_links_work(meeting, sponsor, facilitator):
    assert open_link(visitor(), link(meeting, sponsor)).status_code == 200
    assert open_link(visitor(), link(meeting, facilitator, RsvpAnswer.NO)).status_code == 200

    assert sorted(answers(meeting)) == [
        (facilitator.email, "no", RsvpChannel.EMAIL),
        (sponsor.email, "yes", RsvpChannel.EMAIL),
    ]


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

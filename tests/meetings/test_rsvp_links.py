"""The RSVP e-mail's one-click signed link: valid, replayed, tampered, expired, another
person's, a person who left, a cancelled meeting. The answer given in the app and the
service are in test_rsvp.py."""

import datetime
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.text import capfirst

from groups.enums import MembershipState
from meetings import rsvp
from meetings.enums import MeetingState, RsvpAnswer, RsvpChannel
from meetings.models import Rsvp
from tests.meetings.test_rsvp import answers, make_meeting
from tests.pages import assert_hides, assert_shows, in_english

pytestmark = pytest.mark.meeting(venue_name="Salle Vénètes", venue_town="Vannes")  # the answer page shows it


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

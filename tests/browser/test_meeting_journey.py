"""On a phone (390 × 844, touch): a member votes and changes a vote, then reads the result
after the close; a sponsor answers from the link of the e-mail Plato sent.

The member signs in through the real form and votes with htmx (the page is not
reloaded: a marker set on `window` survives each vote). The close is a change of the
meeting's vote window in the database, as time passing would make it. The sponsor's
e-mail comes from the reminder planner (tasks inline, e-mail to Django's outbox); the
sponsor opens its "I will come" link without signing in and adds a comment.

Screenshots (for people, not compared) go to /tmp/shots/meeting_*.png.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from meetings import notifications, services
from meetings.enums import RsvpAnswer, RsvpChannel
from meetings.models import Meeting
from tests import factories
from tests.browser.conftest import PHONE, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def vote(transactional_db, cohort, member, sponsor, facilitator):
    """A meeting in twelve days whose vote closes tomorrow; four topics; two other members voted."""
    now = timezone.now()
    starts_at = now + datetime.timedelta(days=12)
    meeting = factories.MeetingFactory(
        cohort=cohort,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3, minutes=30),
        vote_opens_at=now - datetime.timedelta(days=20),
        vote_closes_at=now + datetime.timedelta(days=1),
    )
    finance = factories.ThemeFactory(chapter=cohort.chapter, name="Finance")
    hr = factories.ThemeFactory(chapter=cohort.chapter, name="Ressources humaines")
    others = [factories.MembershipFactory(cohort=cohort).person for _ in range(2)]
    topics = {
        "cash": factories.TopicFactory(cohort=cohort, theme=finance, title="Trésorerie : passer l’hiver"),
        "hire": factories.TopicFactory(cohort=cohort, theme=hr, title="Recruter un premier cadre"),
        "price": factories.TopicFactory(cohort=cohort, theme=finance, title="Augmenter ses prix sans perdre"),
        "export": factories.TopicFactory(cohort=cohort, theme=hr, title="Vendre en Allemagne"),
    }
    services.cast_votes(meeting, others[0], [topics["hire"], topics["cash"]])
    services.cast_votes(meeting, others[1], [topics["hire"]])
    return meeting, topics


def test_member_votes_changes_a_vote_and_reads_the_result_after_the_close(
    live_server, phone, member, vote, shots
):
    from playwright.sync_api import expect

    meeting, topics = vote
    sign_in(phone, live_server.url, member.email)
    phone.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    phone.evaluate("window.notReloaded = true")
    panel = phone.locator("#vote")
    expect(panel).to_contain_text("Il vous reste 3 voix sur 3")

    def row(key):
        return panel.locator(".vote-topic", has_text=topics[key].title)

    row("cash").get_by_role("button", name="Voter").click()
    expect(row("cash").get_by_role("button", name="Ma voix")).to_be_visible()
    row("price").get_by_role("button", name="Voter").click()
    expect(panel).to_contain_text("Il vous reste 1 voix sur 3")
    phone.screenshot(path=shots / "meeting_vote_phone.png", full_page=True)

    # Changes their mind: "price" out, "export" in.
    row("price").get_by_role("button", name="Ma voix").click()
    expect(row("price").get_by_role("button", name="Voter")).to_be_visible()
    row("export").get_by_role("button", name="Voter").click()
    expect(row("export").get_by_role("button", name="Ma voix")).to_be_visible()
    expect(panel).to_contain_text("Il vous reste 1 voix sur 3")
    assert phone.evaluate("window.notReloaded") is True, (
        "a vote reloaded the page instead of swapping the panel"
    )
    assert "Résultats du vote" not in panel.inner_text(), "results shown before the close"
    ballot = meeting.ballots.get(person=member)
    assert set(ballot.topics.values_list("pk", flat=True)) == {topics["cash"].pk, topics["export"].pk}

    # The vote closes.
    Meeting.objects.filter(pk=meeting.pk).update(
        vote_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    phone.reload()

    results = phone.locator("#vote")
    expect(results).to_contain_text("Résultats du vote")
    ranked = [
        text.strip() for text in results.locator(".list-card-item .d-block.fw-semibold").all_inner_texts()
    ]
    # cash and hire: 2 voters each, and neither theme has been covered yet: the older
    # proposal (cash) goes first. Then export (1 voter); price got no vote.
    assert ranked[:3] == [topics["cash"].title, topics["hire"].title, topics["export"].title], ranked
    expect(results).to_contain_text("Devant le suivant")
    assert results.get_by_role("button").count() == 0, "a vote button is left after the close"
    phone.screenshot(path=shots / "meeting_results_phone.png", full_page=True)


def test_sponsor_confirms_through_the_email_link(
    live_server, phone, sponsor, vote, mailoutbox, django_capture_on_commit_callbacks, shots
):
    from playwright.sync_api import expect

    meeting, _ = vote
    with django_capture_on_commit_callbacks(execute=True):
        notifications.plan_reminders()
    (email,) = [m for m in mailoutbox if m.to == [sponsor.email]]
    assert email.subject.startswith("[Plato] Viendrez-vous à la réunion Plato du ")
    html = email.alternatives[0][0]
    (yes_link,) = re.findall(r'href="([^"]+)"[^>]*>Je viendrai<', html)
    assert yes_link.startswith(settings.SITE_URL)

    phone.goto(live_server.url + yes_link.removeprefix(settings.SITE_URL.rstrip("/")))

    expect(phone.locator("h1")).to_contain_text("Vous venez : oui")
    expect(phone.locator("body")).to_contain_text("Catherine Le Bras")
    phone.fill("textarea[name=comment]", "J’arriverai vers 9 h")
    phone.get_by_role("button", name="Enregistrer le commentaire").click()
    expect(phone.locator(".alert-success")).to_contain_text("Votre réponse est enregistrée")
    phone.screenshot(path=shots / "meeting_rsvp_link_phone.png", full_page=True)

    rsvp = meeting.rsvps.get(person=sponsor)
    assert (rsvp.answer, rsvp.comment, rsvp.channel) == (
        RsvpAnswer.YES,
        "J’arriverai vers 9 h",
        RsvpChannel.EMAIL,
    )

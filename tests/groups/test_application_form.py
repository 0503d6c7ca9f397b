"""The public application form: acknowledged once, specific errors, robots and scripts stopped,
nothing said about who is a member or already applying, free text capped."""

import datetime
import re

import pytest
from django import forms
from django.core import mail
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from groups import services, tasks
from groups.enums import CandidateSource, CandidateState
from groups.models import Candidate
from members.fields import NafCodeFormField, SiretFormField
from members.identifiers import make_siret
from tests import factories
from tests.celery_workers import app_configured_for, unreachable_redis_url
from tests.pages import assert_shows


def application(chapter, **overrides):
    return {
        "company_name": "Crêperie du Port",
        "siret": make_siret(321),
        "naf_code": "56.10A",
        "size_band": "micro",
        "postcode": "56100",
        "town": "Lorient",
        "first_name": "Léa",
        "last_name": "Ryo",
        "email": "lea@creperie.test",
        "phone": "06 12 34 56 78",
        "motivation": "Rompre l'isolement",
        "consent": "on",
        "website": "",
    } | overrides


# --- The public application form ------------------------------------------------------------


def test_anyone_may_apply_and_gets_an_acknowledgement(chapter, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:application", kwargs={"code": chapter.code}), application(chapter)
        )

    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.state, candidate.source, candidate.chapter) == (CandidateState.NEW, "form", chapter)
    assert mail.outbox[0].to == ["lea@creperie.test"]
    assert chapter.name in mail.outbox[0].subject


def test_an_application_sent_while_the_broker_is_down_is_acknowledged_once_by_the_sweep(
    chapter, client, mailoutbox, django_capture_on_commit_callbacks
):
    with app_configured_for(unreachable_redis_url()), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:application", kwargs={"code": chapter.code}), application(chapter)
        )

    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.acknowledged_at is None and mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):  # the broker is back (tasks inline)
        assert services.sweep_acknowledgements() == 0, "not before its task had its chance"
        assert services.sweep_acknowledgements(older_than=datetime.timedelta(0)) == 1
        assert services.sweep_acknowledgements(older_than=datetime.timedelta(0)) == 0

    assert [message.to for message in mailoutbox] == [["lea@creperie.test"]]
    candidate.refresh_from_db()
    assert candidate.acknowledged_at is not None


def test_an_acknowledgement_goes_once_however_often_its_task_runs(
    chapter, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("groups:application", kwargs={"code": chapter.code}), application(chapter))
    candidate = Candidate.objects.get()

    assert tasks.acknowledge_application(candidate.pk) is False

    assert len(mailoutbox) == 1


def test_the_acknowledgement_sweep_leaves_other_candidates_alone(chapter, coordinator, mailoutbox):
    by_hand = factories.CandidateFactory(chapter=chapter, source=CandidateSource.COORDINATOR)
    long_ago = factories.CandidateFactory(chapter=chapter, source=CandidateSource.FORM)
    Candidate.objects.filter(pk=long_ago.pk).update(
        created_at=timezone.now() - services.ACKNOWLEDGE_GIVE_UP - datetime.timedelta(minutes=1)
    )

    assert services.sweep_acknowledgements(older_than=datetime.timedelta(0)) == 0
    assert mailoutbox == []
    assert Candidate.objects.filter(pk=by_hand.pk, acknowledged_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("siret", "552 100 554 00014"),
        ("naf_code", "99.99Z"),
        ("postcode", "5610"),
        ("email", "lea@"),
        ("consent", ""),
    ],
)
def test_application_errors_are_specific_and_keep_what_was_typed(chapter, client, field, value):
    response = client.post(
        reverse("groups:application", kwargs={"code": chapter.code}), application(chapter, **{field: value})
    )

    assert response.status_code == 200
    assert not Candidate.objects.exists()
    assert_shows(
        response,
        "Crêperie du Port",
        "Rompre l'isolement",
        "lea@creperie.test" if field != "email" else "lea@",
    )
    assert "is-invalid" in response.content.decode()


def test_a_robot_filling_the_hidden_field_is_thanked_and_ignored(chapter, client):
    response = client.post(
        reverse("groups:application", kwargs={"code": chapter.code}),
        application(chapter, website="http://spam"),
    )

    assert response.status_code == 302
    assert not Candidate.objects.exists()


# --- The public form says nothing about who is a member or already applying -----------------

NONCES = [
    re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"'),
    re.compile(r"(nonce=\"|'nonce-)[A-Za-z0-9+/=_-]+"),
    re.compile(r"(csrftoken=)[^;]+"),
    re.compile(r"(expires=)[^;]+"),  # a cookie's expiry is counted from the request's second
]


def _without_nonces(text: str) -> str:
    for pattern in NONCES:
        text = pattern.sub(r"\1…", text)
    return text


def _as_probed(response) -> tuple:
    """Everything an anonymous visitor receives, apart from the per-request tokens."""
    headers = sorted(
        (name, _without_nonces(value)) for name, value in response.headers.items() if name != "Date"
    )
    cookies = sorted(
        (name, _without_nonces(morsel.OutputString())) for name, morsel in response.cookies.items()
    )
    return response.status_code, headers, cookies, _without_nonces(response.content.decode())


def _probe(chapter, siret: str, **overrides) -> list[tuple]:
    """A stranger's visit: the form, the POST with a company's SIRET, the page it leads to."""
    client = Client(enforce_csrf_checks=True)
    url = reverse("groups:application", kwargs={"code": chapter.code})
    form_page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.content.decode()).group(1)
    posted = client.post(url, application(chapter, siret=siret, csrfmiddlewaretoken=token, **overrides))
    seen = [_as_probed(form_page), _as_probed(posted)]
    if posted.status_code == 302:
        seen.append(_as_probed(client.get(posted["Location"])))
    return [_without_siret(answer, siret) for answer in seen]


def _without_siret(answer: tuple, siret: str) -> tuple:
    """The SIRET typed is echoed back on a form with errors: the same for every probe."""
    status, headers, cookies, body = answer
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    return status, headers, cookies, body.replace(siret, "<siret>").replace(spaced, "<siret>")


@pytest.mark.parametrize("overrides", [{}, {"postcode": "5610"}], ids=["accepted", "with-an-error"])
def test_the_public_form_answers_the_same_for_a_member_an_applicant_and_a_stranger(
    chapter, member_membership, settings, overrides
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "plato_application": False}
    pending = factories.CandidateFactory(chapter=chapter, state=CandidateState.NEW)
    member_siret = member_membership.company.siret

    unknown = _probe(chapter, make_siret(777), **overrides)
    member = _probe(chapter, member_siret, **overrides)
    applying = _probe(chapter, pending.siret, **overrides)

    assert [answer[0] for answer in unknown] == ([200, 302, 200] if not overrides else [200, 200])
    assert member == unknown
    assert applying == unknown


def marked_duplicates(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-duplicate="(\d+)"', response.content.decode())}


def in_french(text: str, **values) -> str:
    """A message as the page shows it (French once the catalogue has it)."""
    with translation.override("fr"):
        return translation.gettext(text) % values


def test_a_members_application_is_kept_for_the_coordinator_marked_as_a_duplicate(
    chapter, cohort, member_membership, coordinator, login, django_capture_on_commit_callbacks
):
    siret = member_membership.company.siret
    with django_capture_on_commit_callbacks(execute=True):
        client().post(
            reverse("groups:application", kwargs={"code": chapter.code}), application(chapter, siret=siret)
        )

    candidate = Candidate.objects.get(siret=siret)
    assert (candidate.duplicate_of_membership, candidate.duplicate_of) == (member_membership, None)
    assert [message.to for message in mail.outbox] == [["lea@creperie.test"]]  # the same acknowledgement
    staff = login(coordinator)
    listing = staff.get(reverse("groups:candidate_list", kwargs={"code": chapter.code}))
    assert marked_duplicates(listing) == {candidate.pk}
    assert_shows(
        listing,
        in_french("Duplicate"),
        in_french("already a member of %(cohort)s", cohort="Golfe du Morbihan"),
    )
    detail = staff.get(candidate.get_absolute_url())
    assert_shows(detail, in_french("Duplicate application"), "Golfe du Morbihan", cohort.get_absolute_url())


def test_a_second_application_is_kept_marked_as_a_duplicate_of_the_first(chapter, coordinator, login):
    first = factories.CandidateFactory(
        chapter=chapter, state=CandidateState.NEW, company_name="Crêperie du Port"
    )
    url = reverse("groups:application", kwargs={"code": chapter.code})

    client().post(url, application(chapter, siret=first.siret, company_name="Crêperie du Port (bis)"))
    client().post(url, application(chapter, siret=first.siret, company_name="Crêperie du Port (ter)"))

    duplicates = list(Candidate.objects.exclude(pk=first.pk).order_by("pk"))
    assert [candidate.duplicate_of for candidate in duplicates] == [first, first]
    staff = login(coordinator)
    listing = staff.get(reverse("groups:candidate_list", kwargs={"code": chapter.code}))
    assert marked_duplicates(listing) == {candidate.pk for candidate in duplicates}  # not the first
    detail = staff.get(duplicates[0].get_absolute_url())
    assert_shows(detail, in_french("Duplicate application"), first.get_absolute_url())
    # Qualifying the duplicate while the first is under way is refused with the reason;
    # once the first is declined, it may go on (and loses its mark).
    refused = staff.post(reverse("groups:candidate_qualify", kwargs={"pk": duplicates[0].pk}), follow=True)
    assert_shows(refused, "Refusez d’abord l’une des deux.")
    duplicates[0].refresh_from_db()
    assert duplicates[0].state == CandidateState.NEW
    services.decline_candidate(first, actor=coordinator, reason="Doublon")
    staff.post(reverse("groups:candidate_qualify", kwargs={"pk": duplicates[0].pk}))
    duplicates[0].refresh_from_db()
    assert (duplicates[0].state, duplicates[0].is_duplicate) == (CandidateState.QUALIFIED, False)


def test_the_coordinator_entry_still_names_the_member_directly(
    chapter, member_membership, coordinator, login
):
    response = login(coordinator).post(
        reverse("groups:candidate_create", kwargs={"code": chapter.code}),
        application(chapter, siret=member_membership.company.siret),
    )

    assert response.status_code == 200
    assert_shows(response, "Golfe du Morbihan")
    assert Candidate.objects.count() == 0


def client() -> Client:
    return Client()


def test_unknown_chapter_application_is_404(db, client):
    assert client.get(reverse("groups:application", kwargs={"code": "nowhere"})).status_code == 404


def test_application_form_stops_a_script_posting_in_a_loop(chapter, client, settings):
    url = reverse("groups:application", kwargs={"code": chapter.code})
    for seed in range(10):
        data = application(chapter, siret=make_siret(400 + seed), email=f"{seed}@example.test")
        assert client.post(url, data).status_code == 302

    response = client.post(url, application(chapter, siret=make_siret(499), email="late@example.test"))

    assert response.status_code == 200
    assert Candidate.objects.count() == 10
    assert_shows(response, "Crêperie du Port")  # what was typed is kept


# --- Free text is capped, and the acknowledgement echoes nothing but the name --------------------


def test_every_free_text_field_of_the_application_form_is_capped():
    from groups.forms.candidates import ApplicationForm

    # A SIRET or a NAF code is refused unless it has its exact format, whatever its length.
    formatted = (SiretFormField, NafCodeFormField)
    form = ApplicationForm()
    uncapped = [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and not isinstance(field, formatted) and not field.max_length
    ]
    assert not uncapped
    text_fields = [field for field in Candidate._meta.get_fields() if isinstance(field, models.TextField)]
    assert text_fields and all(field.max_length for field in text_fields)


def test_a_motivation_too_long_is_refused_clearly_and_nothing_typed_is_lost(chapter, client):
    long_text = "Rompre l'isolement. " * 500  # 10,000 characters

    response = client.post(
        reverse("groups:application", kwargs={"code": chapter.code}),
        application(chapter, motivation=long_text),
    )

    assert response.status_code == 200
    assert not Candidate.objects.exists()
    limit = Candidate._meta.get_field("motivation").max_length
    assert_shows(
        response,
        in_french(
            "Keep it to %(limit_value)d characters at most (this text has %(show_value)d).",
            limit_value=limit,
            show_value=len(long_text.strip()),  # as the form reads it
        ),
        "Crêperie du Port",
        "lea@creperie.test",
        long_text.strip(),
    )


def test_the_database_refuses_a_motivation_too_long(chapter):
    limit = Candidate._meta.get_field("motivation").max_length
    candidate = factories.CandidateFactory.build(chapter=chapter, motivation="x" * (limit + 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        candidate.save()


@pytest.mark.parametrize("field", ["company_name", "motivation", "town", "last_name", "phone"])
def test_the_acknowledgement_carries_nothing_typed_but_the_first_name(
    chapter, client, django_capture_on_commit_callbacks, field
):
    payload = {
        "company_name": "Gagnez 5000 EUR sur http://arnaque.test",
        "motivation": "Votre compte est suspendu : http://arnaque.test/login",
        "town": "Appelez le 08 99 00 00 00",
        "last_name": "Service client http://arnaque.test",
        "phone": "08 99 00 00 00",
    }[field]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("groups:application", kwargs={"code": chapter.code}),
            application(chapter, email="victim@example.test", **{field: payload}),
        )

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        assert payload not in text
        assert "arnaque" not in text and "08 99" not in text
    assert "Léa" in message.body

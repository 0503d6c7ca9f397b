"""Every form of every role, sent hostile values and sent in states where its service
refuses: no answer may be a 500, an off-site redirect, or (for a refusal) silence.

The forms are discovered, not listed: every URL of the project (tests/urlwalk.py, with the
sample world of tests/samples.py) is fetched as every role, each <form> of each page is
read (tests/forms.py), and its action receives what a browser would send, then hostile
variants of it: empty, 10,000 characters, NUL, a right-to-left override, dates of year 1
and 9999 in ISO and French formats, 31 February, choices that are not offered, ids of
the other chapter's objects, and `next` values leading elsewhere. URLs that only take
POST (405 to a GET) receive the field names of the forms pointing at them, or nothing but
`next` when no page has such a form; a page that sends a role elsewhere (the agenda
before the vote's close) still receives that role's POST. A new form is fuzzed without
being named here.

Bounded: each distinct form (its action's URL pattern and its field names) gets one
filled-in submission per role that sees it; its hostile variants (a few per field, by
the field's kind, plus every field at once) are spread over those roles in turn. About
1,150 requests to 86 URLs, 45 to 75 s on SQLite with the discovery's ~1,000 GETs. Each
URL's requests run in a savepoint rolled back afterwards, so what one form changes never
leaks into another's; each request runs in its own savepoint, so a failing one leaves
the next a clean connection.

The Django admin is left out: its forms are Django's own, and only administrators see them."""

import dataclasses
import datetime
import itertools
import time
import traceback
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseForm
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from billing.services import issue_credit_note
from groups.services.candidates import decline_candidate
from groups.services.cohorts import close_cohort
from groups.services.conflicts import withdraw_conflict
from groups.services.memberships import withdraw_member
from groups.services.sponsors import end_sponsorship
from meetings.models import Meeting
from meetings.services import cancel_meeting
from members.identifiers import make_siret, vat_number_for
from plenaries.models import Plenary
from plenaries.services import cancel_plenary
from tests import factories, world
from tests.forms import HtmlField, HtmlForm, page_forms
from tests.samples import DISCOVERED, sample_path
from tests.world import ROLES

LONG = "x" * 10_000
TEXTS = {"empty": "", "10,000 characters": LONG, "NUL": "fuzz\x00nul", "RTL override": "\u202eevil"}
DATES = ["0001-01-01", "9999-12-31", "01/01/0001", "31/12/9999", "2026-02-31", "31/02/2026"]
DATETIMES = [
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "01/01/0001 00:00",
    "31/12/9999 23:59",
    "2026-02-31T10:00",
    "31/02/2026 10:00",
]
TIMES = ["25:61", "0001-01-01"]
NUMBERS = ["-1", "1e309", "9" * 40, "NaN"]
NEXT_VALUES = [
    "roadmap",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
    "/home\r\nSet-Cookie: fuzz=1",
    "/" + "a" * 10_000,
]
WRONG_CHOICES = ["not-a-choice", "999999999"]

# What a person would type into an empty field, so that the baseline submission can get
# through the form to the service (where many refusals live).
FUZZ_SIRET = make_siret(424_242)
FILLERS_BY_NAME = {  # the first part found in the field's name wins
    "registration_opens_at": "2027-01-05T09:00",
    "registration_closes_at": "2027-03-01T18:00",
    "starts_at": "2027-03-10T14:00",
    "ends_at": "2027-03-10T18:00",
    "start_time": "08:30",
    "end_time": "12:00",
    "siret": FUZZ_SIRET,
    "naf_code": "62.01Z",
    "postcode": "56000",
    "department": "56",
    "phone": "02 97 00 00 00",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "vat_number": vat_number_for(FUZZ_SIRET),
    "invoice_prefix": "PFZ",
    "code": "99",
}
FILLERS_BY_KIND = {
    "email": "fuzz@example.test",
    "date": "2027-03-02",
    "datetime-local": "2027-03-02T09:00",
    "time": "09:00",
    "number": "1",
    "tel": "02 97 00 00 00",
    "url": "https://example.test/",
    "password": "Fuzz-password-2026!",
}
CSRF = "csrfmiddlewaretoken"
BASE_DIR = Path(settings.BASE_DIR)


# --- The other chapter's objects, whose ids every id field receives ---------------------


@pytest.fixture(scope="module")
def foreign(module_world, django_db_blocker) -> dict[str, int]:
    """Plato 35's own cohort, meeting, topic, candidate, plenary… (ids by kind of object)."""
    with django_db_blocker.unblock():
        chapter = module_world["other_chapter"]
        cohort = factories.CohortFactory(chapter=chapter, name="Rennes Centre")
        membership = factories.MembershipFactory(cohort=cohort)
        sponsorship = factories.SponsorshipFactory(cohort=cohort)
        meeting = factories.MeetingFactory(cohort=cohort)
        topic = factories.TopicFactory(cohort=cohort, proposed_by=membership.person)
        plenary = world.make_plenary(chapter)
        network = factories.LocalNetworkFactory(chapter=chapter)
        return {
            "chapter": chapter.pk,
            "cohort": cohort.pk,
            "membership": membership.pk,
            "person": membership.person_id,
            "company": membership.company_id,
            "sponsorship": sponsorship.pk,
            "sponsor": sponsorship.person_id,
            "meeting": meeting.pk,
            "topic": topic.pk,
            "theme": topic.theme_id,
            "candidate": factories.CandidateFactory(chapter=chapter).pk,
            "plenary": plenary.pk,
            "network": network.pk,
            "program_item": factories.ProgramItemFactory(plenary=plenary, network=network).pk,
            "registration": world.make_registration(plenary, membership.person).pk,
            "coordinator": module_world["other_chapter_coordinator"].pk,
        }


# A field's name that says which kind of object its id is, when the kind is not in it.
KIND_ALIASES = {"party": "company", "facilitator": "coordinator", "user": "person", "recipient": "person"}


def foreign_ids(name: str, foreign: dict[str, int]) -> list[str]:
    """The other chapter's ids a field of this name could be fooled with (its own kind of
    object when the name says it, else any)."""
    kinds = [kind for kind in foreign if kind in name]
    kinds += [kind for alias, kind in KIND_ALIASES.items() if alias in name]
    chosen = [foreign[kind] for kind in kinds] or list(foreign.values())
    return [str(pk) for pk in dict.fromkeys(chosen)]


# --- Discovery ---------------------------------------------------------------------------


@dataclasses.dataclass
class Target:
    """A form to submit: where, as whom, and what it sends unchanged."""

    key: str  # the URL pattern its action resolves to
    action: str  # the path posted to
    method: str
    form: HtmlForm
    roles: list[str]  # the roles whose page shows it
    seen_on: str  # the page it was found on

    @property
    def signature(self) -> tuple:
        return (self.key, self.method, tuple(sorted(self.form.fields)))


def url_key(path: str) -> str | None:
    try:
        match = resolve(urlparse(path).path)
    except Resolver404:
        return None
    if match.view_name in DISCOVERED:
        return match.view_name
    route = match.route
    return next((key for key, url in DISCOVERED.items() if url.route == route), None)


def fresh_clients(clients: dict) -> dict[str, Client]:
    """Copies of the signed-in clients: a sign-out or a session change stays in the copy."""
    copies = {}
    for role, client in clients.items():
        copy = Client()
        copy.cookies = SimpleCookie()
        copy.cookies.load({name: morsel.value for name, morsel in client.cookies.items()})
        copies[role] = copy
    return copies


def app_keys() -> list[str]:
    """The app's URL patterns, but the admin's and the files' (a PDF, a CSV, a calendar holds no form)."""
    return sorted(
        key
        for key, url in DISCOVERED.items()
        if url.namespace != "admin" and not url.route.endswith((".pdf", ".csv", ".ics"))
    )


def _is_sign_in(response) -> bool:
    return urlparse(response["Location"]).path == reverse("account_login")


@pytest.fixture(scope="module")
def discovered(module_world, foreign, django_db_blocker) -> list[Target]:
    """Every form of every page as every role, one Target per distinct form, plus:

    - a POST-only URL (405 to a GET) nobody's page has a form for: an empty form, every role;
    - a page that sends a signed-in role elsewhere (its form is not for now, e.g. the agenda
      before the vote closes): an empty form for that role, since a POST may still come
      (from a page open since, another tab, a replay).
    """
    targets: dict[tuple, Target] = {}
    post_only, redirected = set(), {}
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(REDIS_URL="", CELERY_TASK_ALWAYS_EAGER=True, MEDIA_ROOT=module_world["media_root"]),
    ):
        clients = fresh_clients(module_world["clients"])
        for key in app_keys():
            path = sample_path(key, module_world)
            for role in ROLES:
                response = clients[role].get(path)  # the URL × role walk asserts what each GET answers
                if response.status_code == 405:
                    post_only.add((key, path))
                if response.status_code == 302 and role != "anonymous" and not _is_sign_in(response):
                    redirected.setdefault((key, path), []).append(role)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                for form in page_forms(response.content.decode()):
                    action = urljoin(path, form.action) if form.action else path
                    target_key = url_key(action)
                    if target_key is None or DISCOVERED[target_key].namespace == "admin":
                        continue
                    target = Target(target_key, action, form.method, form, [role], path)
                    known = targets.setdefault(target.signature, target)
                    if known is not target and role not in known.roles:
                        known.roles.append(role)
        transaction.set_rollback(True)
    posted_to = {target.key for target in targets.values() if target.method == "post"}
    for key, path in sorted(post_only):
        if key not in posted_to:
            targets[(key, "post", ())] = Target(
                key, path, "post", HtmlForm("post", ""), list(ROLES), "(none)"
            )
    for (key, path), roles in sorted(redirected.items()):
        seen = {role for target in targets.values() if target.key == key for role in target.roles}
        if missing := [role for role in roles if role not in seen]:
            targets[(key, "post", ())] = Target(
                key, path, "post", HtmlForm("post", ""), missing, "(redirected)"
            )
    return list(targets.values())


# --- Hostile variants ---------------------------------------------------------------------


def filled(form: HtmlForm) -> dict[str, list]:
    """What the form sends, with its empty fields filled in as a person would."""
    data = form.data()
    for name, html_field in form.fields.items():
        if html_field.kind == "file":
            data[name] = [SimpleUploadedFile("fuzz.pdf", b"%PDF-1.4 fuzz", content_type="application/pdf")]
            continue
        chosen = any(data.get(name, []))
        if html_field.kind in ("select", "radio") and not chosen:
            offered = [option for option in html_field.options if option]
            if offered:
                data[name] = offered[:1]
            continue
        if html_field.kind == "checkbox" and html_field.required and not chosen:
            data[name] = html_field.options[:1]  # a consent, a confirmation: ticked
            continue
        if html_field.kind in ("hidden", "checkbox", "button") or html_field.unreachable or chosen:
            continue
        by_name = next((value for part, value in FILLERS_BY_NAME.items() if part in name), None)
        if by_name and html_field.kind == "time":
            by_name = by_name.split("T")[-1]
        data[name] = [by_name or FILLERS_BY_KIND.get(html_field.kind, "Fuzz")]
    return data


def hostile_values(html_field: HtmlField, foreign: dict[str, int], turn: int) -> list[tuple[str, list[str]]]:
    """(label, values) pairs for one field, by its kind. Where a kind has more hostile
    values than a field gets, `turn` (the field's rank in its form) picks which, so that a
    form's fields share them out."""

    def some(values: list[str], count: int) -> list[str]:
        return [values[(turn + index) % len(values)] for index in range(min(count, len(values)))]

    kind = html_field.kind
    if kind == "file":
        return []
    if kind in ("date", "datetime-local"):
        values = DATES if kind == "date" else DATETIMES
        year_1, year_9999, february_31 = values[0::2][:2], values[1::2][:2], values[4:]
        chosen = some(year_1, 1) + some(year_9999, 1) + some(february_31, 1)
        return [(value, [value]) for value in chosen]
    if kind == "time":
        return [(value, [value]) for value in TIMES]
    if kind == "number":
        return [(value, [value]) for value in ["-1", *some(NUMBERS[1:], 1)]]
    if html_field.name == "next":
        return [(repr(value[:40]), [value]) for value in NEXT_VALUES]
    looks_like_an_id = any(value.isdigit() for value in html_field.values + html_field.options)
    variants = []
    if html_field.is_choice or looks_like_an_id:
        variants += [(f"choice {value!r}", [value]) for value in some(WRONG_CHOICES, 1)]
        others = [pk for pk in foreign_ids(html_field.name, foreign) if pk not in html_field.options]
        variants += [(f"other chapter's id {pk}", [pk]) for pk in others[:2]]
        if html_field.multiple and html_field.options:
            variants.append(("an offered choice twice", [html_field.options[0]] * 2))
    if not html_field.is_choice:
        texts = [label for label in TEXTS if label != "empty"]
        variants += [(label, [TEXTS[label]]) for label in some(texts, 1)]
    return variants


@dataclasses.dataclass
class Post:
    role: str
    field: str
    label: str
    data: dict


def variants(target: Target, foreign: dict[str, int]):
    """The baseline for each role that sees the form, then each hostile variant once, the
    roles taking turns."""
    baseline = filled(target.form)
    for role in target.roles:
        yield Post(role, "(none)", "the form as filled in", baseline)
    roles = itertools.cycle(target.roles)
    fields = [name for name in target.form.fields if name != CSRF]
    # Every field at once (a form of one field gets the same below, field by field).
    for label, value in TEXTS.items() if len(fields) > 1 else ():
        data = {
            name: ([value] if html_field.kind != "file" else baseline.get(name, []))
            for name, html_field in target.form.fields.items()
            if name != CSRF
        }
        yield Post(next(roles), "(every field)", label, data)
    for turn, (name, html_field) in enumerate(target.form.fields.items()):
        if name == CSRF:
            continue
        for label, values in hostile_values(html_field, foreign, turn):
            yield Post(next(roles), name, label, baseline | {name: values})
    if "next" not in target.form.fields:
        for value in NEXT_VALUES[:1]:
            yield Post(next(roles), "next", repr(value), baseline | {"next": [value]})


# --- Sending -----------------------------------------------------------------------------


def send(client: Client, method: str, path: str, data: dict):
    """The response, or the exception the request raised (each request in its own savepoint)."""
    for values in data.values():
        for value in values:
            if hasattr(value, "seek"):
                value.seek(0)  # the same file, posted again
    try:
        with transaction.atomic():
            if method == "get":
                plain = {name: [v for v in values if isinstance(v, str)] for name, values in data.items()}
                return client.get(path, plain)
            return client.post(path, data)
    except Exception as error:
        return error


def what_went_wrong(response) -> str | None:
    if isinstance(response, Exception):
        frames = traceback.extract_tb(response.__traceback__)
        ours = [frame for frame in frames if "/.venv/" not in frame.filename] or frames
        where = f"{Path(ours[-1].filename).relative_to(BASE_DIR, walk_up=True)}:{ours[-1].lineno}"
        return f"{type(response).__name__}: {str(response)[:200]} (at {where})"
    if response.status_code >= 500:
        return f"{response.status_code}"
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlparse(response["Location"])
        if location.scheme not in ("", "http", "https") or location.netloc not in ("", "testserver"):
            return f"{response.status_code} to another site: {response['Location'][:100]}"
    return None


def _failure(target: Target, post: Post, problem: str) -> str:
    value = post.label if len(post.label) < 60 else post.label[:60] + "…"
    return (
        f"{target.method.upper()} {target.action} ({target.key}) as {post.role}, "
        f"field {post.field} = {value}: {problem}"
    )


def test_every_form_of_every_role_survives_hostile_values(samples, foreign, discovered):
    failures, requests, started = [], 0, time.monotonic()
    by_key: dict[str, list[Target]] = {}
    for target in discovered:
        by_key.setdefault(target.key, []).append(target)

    for key in sorted(by_key):
        with transaction.atomic():  # this URL's changes stay here
            clients = fresh_clients(samples["clients"])
            for target in by_key[key]:
                for post in variants(target, foreign):
                    response = send(clients[post.role], target.method, target.action, post.data)
                    requests += 1
                    if problem := what_went_wrong(response):
                        failures.append(_failure(target, post, problem))
            transaction.set_rollback(True)

    print(f"\nfuzz: {requests} requests to {len(by_key)} URLs in {time.monotonic() - started:.1f} s")
    assert len(by_key) > 60, "the discovery found fewer forms than the app has: is it still reading them?"
    assert not failures, f"{len(failures)} failures of {requests} requests:\n" + "\n".join(failures)


# --- The same forms, in states where their service refuses ---------------------------------


def _meeting_cancelled(s):
    cancel_meeting(s["meeting"], reason="La salle n'est plus disponible.", actor=s["coordinator"])


def _meeting_started(s):
    now = timezone.now()
    Meeting.objects.filter(pk=s["meeting"].pk).update(
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=2),
        vote_closes_at=now - datetime.timedelta(days=10),
        vote_opens_at=now - datetime.timedelta(days=30),
    )


def _cohort_closed(s):
    close_cohort(s["cohort"], actor=s["coordinator"])


def _member_withdrawn(s):
    withdraw_member(
        s["member_membership"],
        actor=s["coordinator"],
        reason="A vendu son entreprise.",
        left_on=timezone.localdate(),
    )


def _sponsorship_ended(s):
    end_sponsorship(s["sponsorship"], actor=s["coordinator"])


def _candidate_declined(s):
    decline_candidate(s["candidate"], actor=s["coordinator"], reason="Hors du département.")


def _conflict_withdrawn(s):
    withdraw_conflict(s["declared_conflict"], actor=s["coordinator"])


def _plenary_cancelled(s):
    cancel_plenary(s["plenary"], reason="Le palais des congrès est fermé.", actor=s["coordinator"])


def _plenary_started(s):
    now = timezone.now()
    Plenary.objects.filter(pk=s["plenary"].pk).update(
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=3),
        registration_opens_at=now - datetime.timedelta(days=30),
        registration_closes_at=now - datetime.timedelta(days=5),
    )


def _invoice_cancelled(s):
    issue_credit_note(s["invoice"], reason="Départ avant le début du programme.", actor=s["coordinator"])


# A state where services refuse, and the URL patterns whose forms it concerns. The world as
# built is one too: the meeting's vote is still open, so its agenda cannot be set.
REFUSING_STATES = {
    "the vote still open": (lambda s: None, ("meetings:",)),
    "the meeting cancelled": (_meeting_cancelled, ("meetings:",)),
    "the meeting started": (_meeting_started, ("meetings:",)),
    "the cohort closed": (_cohort_closed, ("groups:", "meetings:", "billing:")),
    "the member withdrawn": (_member_withdrawn, ("groups:", "meetings:", "billing:", "plenaries:")),
    "the sponsorship ended": (_sponsorship_ended, ("groups:", "meetings:", "plenaries:")),
    "the candidate declined": (_candidate_declined, ("groups:candidate",)),
    "the conflict withdrawn": (_conflict_withdrawn, ("groups:conflict",)),
    "the plenary cancelled": (_plenary_cancelled, ("plenaries:",)),
    "the plenary started": (_plenary_started, ("plenaries:",)),
    "the invoice cancelled by a credit note": (_invoice_cancelled, ("billing:",)),
}


def _feedback(response) -> bool:
    """Whether the answer tells the person something: a message, a form showing its errors,
    or an alert of the page (a refused import lists its lines)."""
    if list(get_messages(response.wsgi_request)):
        return True
    if response.status_code == 200 and b'role="alert"' in response.content:
        return True
    layers = [layer for context in response.context or [] for layer in getattr(context, "dicts", [context])]
    forms = [item for layer in layers if isinstance(layer, dict) for item in layer.values()]
    return any(isinstance(form, BaseForm) and form.is_bound and form.errors for form in forms)


def _wrote(queries) -> bool:
    """Whether a request changed data (the session included: the composer's proposal lives
    there): an action that worked may be silent, its page shows the change."""
    return any(query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for query in queries)


@pytest.mark.parametrize("state", REFUSING_STATES)
def test_every_form_refused_by_its_service_says_why(samples, discovered, state):
    """Each form, as a person fills it in, posted once the state changed under it (another tab,
    a colleague, the calendar): an error page never; and a POST that changes nothing says why."""
    make_state, prefixes = REFUSING_STATES[state]
    make_state(samples)
    failures, told = [], 0
    for target in discovered:
        if target.method != "post" or not target.key.startswith(prefixes):
            continue
        data = filled(target.form)
        for role in target.roles:
            with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                clients = fresh_clients({role: samples["clients"][role]})
                response = send(clients[role], "post", target.action, data)
                transaction.set_rollback(True)
            post = Post(role, "(none)", "the form as filled in", data)
            if problem := what_went_wrong(response):
                failures.append(_failure(target, post, problem))
            elif response.status_code == 302 and _is_sign_in(response):
                continue  # anonymous: signing in comes first
            elif response.status_code in (200, 302):
                if _feedback(response):
                    told += 1
                elif not _wrote(queries):
                    failures.append(
                        _failure(target, post, f"{response.status_code}, nothing done and nothing said")
                    )

    assert told, "nothing was posted in this state: does the walk still find the forms?"
    assert not failures, f"with {state}:\n" + "\n".join(failures)

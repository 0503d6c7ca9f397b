"""groups/signals.py: what groups tells the apps built on it, received in their receivers.py.

groups imports none of meetings, billing or documents: starting a cohort schedules its
meetings, closing it sends its certificates and creating a chapter gives it its themes
only because those apps listen.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.models import CertificateDelivery
from groups.enums import CohortState, MembershipState
from groups.models import Chapter, Cohort
from groups.services.cohorts import close_cohort, start_cohort
from groups.services.memberships import withdraw_member
from groups.signals import cohort_closed, cohort_started
from meetings.enums import DEFAULT_THEMES
from meetings.models import ChapterTheme, Meeting
from tests import factories
from tests.forms import rendered_values


@pytest.fixture
def listening():
    """`listening(signal)` → the list of what the signal carries while the test runs."""
    connected = []

    def _listen(signal, answer=None):
        heard = []

        def receiver(sender, **kwargs):
            heard.append(kwargs)
            if answer is not None:
                answer(**kwargs)

        signal.connect(receiver, weak=False)
        connected.append((signal, receiver))
        return heard

    yield _listen
    for signal, receiver in connected:
        signal.disconnect(receiver)


def _ready_to_start(chapter) -> Cohort:
    cohort = factories.CohortFactory(
        chapter=chapter, state=CohortState.FORMING, start_date=datetime.date(2026, 9, 15)
    )
    for _ in range(cohort.min_size):
        factories.MembershipFactory(cohort=cohort)
    return cohort


def test_starting_a_cohort_tells_who_listens_after_it_is_active(chapter, coordinator, listening):
    cohort = _ready_to_start(chapter)
    states = []
    heard = listening(
        cohort_started,
        answer=lambda cohort, actor, **kwargs: states.append(Cohort.objects.get(pk=cohort.pk).state),
    )

    start_cohort(cohort, actor=coordinator)

    assert [(kwargs["cohort"].pk, kwargs["actor"]) for kwargs in heard] == [(cohort.pk, coordinator)]
    assert states == [CohortState.ACTIVE]
    assert Meeting.objects.filter(cohort=cohort).count() > 0  # meetings/receivers.py


def test_a_receiver_refusing_the_start_leaves_the_cohort_forming_without_meetings(
    chapter, coordinator, listening
):
    cohort = _ready_to_start(chapter)

    def refuse(**kwargs):
        raise ValidationError("No room booked.")

    listening(cohort_started, answer=refuse)

    with pytest.raises(ValidationError, match="No room booked"):
        start_cohort(cohort, actor=coordinator)

    assert Cohort.objects.get(pk=cohort.pk).state == CohortState.FORMING
    assert not Meeting.objects.filter(cohort=cohort).exists()


def test_closing_a_cohort_names_the_new_alumni_only(chapter, cohort, coordinator, listening):
    staying = factories.MembershipFactory(cohort=cohort)
    leaving = factories.MembershipFactory(cohort=cohort)
    withdraw_member(leaving, actor=coordinator, reason="Moved away.", left_on=leaving.joined_on)
    heard = listening(cohort_closed)

    close_cohort(cohort, actor=None, closed_on=datetime.date(2028, 9, 14))

    assert len(heard) == 1
    assert heard[0]["cohort"].pk == cohort.pk
    assert heard[0]["actor"] is None
    assert heard[0]["alumni_ids"] == [staying.pk]
    staying.refresh_from_db()
    assert staying.state == MembershipState.ALUMNI
    # billing/receivers.py: each new alumni's certificate is planned, once.
    assert list(CertificateDelivery.objects.values_list("membership_id", flat=True)) == [staying.pk]


def test_a_chapter_created_in_the_admin_gets_the_usual_themes(region, admin, login):
    client = login(admin)
    url = reverse("admin:groups_chapter_add")
    data = rendered_values(client.get(url).content.decode()) | {
        "region": [str(region.pk)],
        "code": ["p29"],
        "department": ["29"],
        "name": ["Plato 29 — CCI métropolitaine Bretagne ouest"],
        "cci_name": ["CCI métropolitaine Bretagne ouest"],
        "invoice_prefix": ["P29"],
        "issuer_legal_name": ["CCI métropolitaine Bretagne ouest"],
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    chapter = Chapter.objects.get(code="p29")
    assert list(
        ChapterTheme.objects.filter(chapter=chapter).order_by("position").values_list("name", flat=True)
    ) == [str(name) for name in DEFAULT_THEMES]

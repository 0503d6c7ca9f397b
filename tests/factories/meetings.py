"""Factories of meetings/: themes, meetings, topics, documents and roadmap actions."""

import datetime

import factory
from factory.django import DjangoModelFactory

from meetings.models import ActionItem, ChapterTheme, Meeting, MeetingDocument, Topic
from tests.factories.dates import _in_days
from tests.factories.groups import ChapterFactory, CohortFactory
from tests.factories.members import UserFactory


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = ChapterTheme
        django_get_or_create = ("chapter", "name")

    chapter = factory.SubFactory(ChapterFactory)
    name = factory.Iterator(["Finance", "Numérique", "Ressources humaines", "Juridique", "Stratégie"])


class MeetingFactory(DjangoModelFactory):
    """A meeting 20 days ahead whose vote is open now (opened 10 days ago, closes in 10 days)."""

    class Meta:
        model = Meeting

    cohort = factory.SubFactory(CohortFactory)
    starts_at = factory.LazyFunction(lambda: _in_days(20))
    ends_at = factory.LazyAttribute(
        lambda meeting: meeting.starts_at + datetime.timedelta(hours=3, minutes=30)
    )
    vote_opens_at = factory.LazyAttribute(lambda meeting: meeting.starts_at - datetime.timedelta(days=30))
    vote_closes_at = factory.LazyAttribute(lambda meeting: meeting.starts_at - datetime.timedelta(days=10))
    venue_name = "CCI du Morbihan"
    venue_address = "21 quai des Indes"
    venue_postcode = "56100"
    venue_town = "Lorient"


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    cohort = factory.SubFactory(CohortFactory)
    proposed_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Topic {n}")
    theme = factory.SubFactory(ThemeFactory, chapter=factory.SelfAttribute("..cohort.chapter"))


class MeetingDocumentFactory(DjangoModelFactory):
    """A small PDF shared with a meeting (tests set a temporary MEDIA_ROOT)."""

    class Meta:
        model = MeetingDocument

    meeting = factory.SubFactory(MeetingFactory)
    title = "Compte rendu"
    file = factory.django.FileField(filename="compte-rendu.pdf", data=b"%PDF-1.4 compte rendu")
    uploaded_by = factory.SubFactory(UserFactory)


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory, starts_at=factory.LazyFunction(lambda: _in_days(-7)))
    person = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Action {n}")

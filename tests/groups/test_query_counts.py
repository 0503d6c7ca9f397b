"""The chapter list and detail take the same number of queries whatever the data size."""

from django.urls import reverse

from groups.enums import StaffRole
from tests import factories
from tests.queries import count_queries, describe

SIZES = (3, 30)


def _chapters(region, count):
    for chapter in factories.ChapterFactory.create_batch(count, region=region):
        factories.CompanyFactory.create_batch(2, chapter=chapter)
        factories.CohortFactory(chapter=chapter)
        factories.ChapterRoleFactory(chapter=chapter)


def test_chapter_list_query_count_is_the_same_with_3_or_30_chapters(users, region, login):
    client = login(users["admin"])
    url = reverse("groups:chapter_list")
    _chapters(region, SIZES[0])
    client.get(url)
    small = count_queries(client, url)

    _chapters(region, SIZES[1] - SIZES[0])
    large = count_queries(client, url)

    assert large == small, describe(small, large, SIZES)


def test_chapter_detail_query_count_is_the_same_with_3_or_30_staff_and_companies(users, chapter, login):
    client = login(users["coordinator"])
    url = chapter.get_absolute_url()

    def grow(count):
        factories.ChapterRoleFactory.create_batch(count, chapter=chapter, role=StaffRole.FACILITATOR)
        factories.CompanyFactory.create_batch(count, chapter=chapter)
        factories.CohortFactory.create_batch(count, chapter=chapter)

    grow(SIZES[0])
    client.get(url)
    small = count_queries(client, url)

    grow(SIZES[1] - SIZES[0])
    large = count_queries(client, url)

    assert large == small, describe(small, large, SIZES)

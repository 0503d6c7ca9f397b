"""The company and people lists take the same number of queries with 3 or 30 rows."""

import pytest
from django.urls import reverse

from tests import factories
from tests.queries import count_queries, describe

SIZES = (3, 30)  # 30 is past the page size (25): pagination is counted too


def _companies(chapter, count):
    for company in factories.CompanyFactory.create_batch(count, chapter=chapter):
        factories.UserFactory.create_batch(2, company=company, chapter=chapter)


def _people(chapter, count):
    companies = factories.CompanyFactory.create_batch(3, chapter=chapter)
    for index in range(count):
        factories.UserFactory(company=companies[index % 3], chapter=chapter)


@pytest.mark.parametrize("role", ["coordinator", "admin", "facilitator"])
def test_company_list_query_count_is_the_same_with_3_or_30_companies(
    role, users, chapter, other_chapter, login
):
    client = login(users[role])
    url = reverse("members:company_list")
    _companies(chapter, SIZES[0])
    client.get(url)  # warm-up: per-process caches (content types, …) are not the page's
    small = count_queries(client, url)

    _companies(chapter, SIZES[1] - SIZES[0])
    _companies(other_chapter, 5)
    large = count_queries(client, url)

    assert large == small, describe(small, large, SIZES)


def test_company_list_search_query_count_is_the_same_with_3_or_30_matches(users, chapter, login):
    client = login(users["coordinator"])
    url = reverse("members:company_list")
    _companies(chapter, SIZES[0])
    client.get(url, {"q": "Entreprise"})
    small = count_queries(client, url, q="Entreprise")

    _companies(chapter, SIZES[1] - SIZES[0])
    large = count_queries(client, url, q="Entreprise")

    assert large == small, describe(small, large, SIZES)


@pytest.mark.parametrize("role", ["coordinator", "admin", "facilitator"])
def test_person_list_query_count_is_the_same_with_3_or_30_people(role, users, chapter, other_chapter, login):
    client = login(users[role])
    url = reverse("members:person_list")
    _people(chapter, SIZES[0])
    client.get(url)
    small = count_queries(client, url)

    _people(chapter, SIZES[1] - SIZES[0])
    _people(other_chapter, 5)
    large = count_queries(client, url)

    assert large == small, describe(small, large, SIZES)


def test_company_detail_query_count_is_the_same_with_3_or_30_people(users, company, chapter, login):
    client = login(users["coordinator"])
    factories.UserFactory.create_batch(SIZES[0], company=company, chapter=chapter)
    client.get(company.get_absolute_url())
    small = count_queries(client, company.get_absolute_url())

    factories.UserFactory.create_batch(SIZES[1] - SIZES[0], company=company, chapter=chapter)
    large = count_queries(client, company.get_absolute_url())

    assert large == small, describe(small, large, SIZES)

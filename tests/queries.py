"""Counting the SQL queries of one request."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return len(queries)


def describe(small: int, large: int, sizes: tuple[int, int]) -> str:
    return f"{small} queries with {sizes[0]} rows, {large} with {sizes[1]}: the page has an N+1"

"""Who may register is asked with one subquery per kind of person, never with joins."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from plenaries import selectors


def test_the_invitees_query_joins_no_membership_sponsorship_or_role(plenary, member, sponsor, facilitator):
    with CaptureQueriesContext(connection) as queries:
        invited = selectors.invitees(plenary)

    assert {member, sponsor, facilitator} <= set(invited)
    (people_query,) = [q["sql"] for q in queries.captured_queries if 'FROM "members_user"' in q["sql"]]
    outer = people_query.split("(SELECT", 1)[0] + people_query.rsplit(")", 1)[-1]
    assert "DISTINCT" not in people_query and "JOIN" not in outer, people_query

"""The chapters' key figures on the homes and the chapter list (groups.selectors.chapters_with_stats)."""

from groups.enums import CohortState
from groups.selectors import chapters_with_stats
from tests import factories


def test_each_figure_counts_its_own_rows_per_chapter(admin_user, chapter, other_chapter):
    for _ in range(3):
        factories.CompanyFactory(chapter=chapter)
    factories.CompanyFactory(chapter=other_chapter)
    for _ in range(2):
        factories.UserFactory(chapter=chapter)
    for state, count in ((CohortState.FORMING, 1), (CohortState.ACTIVE, 2), (CohortState.CLOSED, 3)):
        for _ in range(count):
            factories.CohortFactory(chapter=chapter, state=state)

    figures = {row.code: row for row in chapters_with_stats(admin_user)}

    ours, theirs = figures[chapter.code], figures[other_chapter.code]
    assert ours.company_count == chapter.companies.count() >= 3
    assert ours.people_count == chapter.people.count() >= 2
    assert (ours.forming_cohort_count, ours.active_cohort_count, ours.closed_cohort_count) == (
        chapter.cohorts.filter(state=CohortState.FORMING).count(),
        chapter.cohorts.filter(state=CohortState.ACTIVE).count(),
        chapter.cohorts.filter(state=CohortState.CLOSED).count(),
    )
    assert theirs.company_count == other_chapter.companies.count()


def test_the_figures_are_counted_apart_not_joined(admin_user):
    """Joined, the counts multiply each other's rows (companies × people × cohorts): the
    national network's admin home took 16 s. Each is a subquery of its own."""
    sql = str(chapters_with_stats(admin_user).query)
    outer = sql.split("(SELECT", 1)[0]
    assert "JOIN" not in outer.replace('INNER JOIN "groups_region"', "").replace(
        'LEFT OUTER JOIN "groups_region"', ""
    ), sql

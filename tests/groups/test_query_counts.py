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


def test_cohort_list_query_count_is_the_same_with_3_or_30_cohorts(chapter, coordinator, login):
    client = login(coordinator)
    url = reverse("groups:cohort_list")

    def grow(count):
        for cohort in factories.CohortFactory.create_batch(count, chapter=chapter):
            factories.MembershipFactory.create_batch(2, cohort=cohort)
            factories.SponsorshipFactory(cohort=cohort)
            cohort.facilitators.add(
                factories.ChapterRoleFactory(chapter=chapter, role=StaffRole.FACILITATOR).user
            )

    grow(SIZES[0])
    client.get(url)
    small = count_queries(client, url)

    grow(SIZES[1] - SIZES[0])
    large = count_queries(client, url)

    assert large == small, describe(small, large, SIZES)


def test_cohort_page_query_count_is_the_same_with_3_or_12_members(chapter, coordinator, login):
    chapter.group_max_size = 30
    chapter.save()
    cohort = factories.CohortFactory(chapter=chapter)
    client = login(coordinator)
    url = cohort.get_absolute_url()
    codes = iter(factories.NAF_CODES)
    sizes = (3, 12)

    def grow(count):
        for _ in range(count):
            membership = factories.MembershipFactory(cohort=cohort, company__naf_code=next(codes))
            factories.DeclaredConflictFactory(
                chapter=chapter, siren_a="000000000", siren_b=membership.company.siren, name_b="x"
            )
            factories.CompetitorOverrideFactory(cohort=cohort, company=membership.company)
        factories.SponsorshipFactory(cohort=cohort)
        factories.MembershipFactory(
            cohort=cohort, state="withdrawn", left_on="2026-01-01", company__naf_code="85.53Z"
        )

    grow(sizes[0])
    client.get(url)
    small = count_queries(client, url)

    grow(sizes[1] - sizes[0])
    large = count_queries(client, url)

    assert large == small, describe(small, large, sizes)


def test_candidate_list_query_count_is_the_same_with_3_or_30_candidates(chapter, coordinator, login):
    client = login(coordinator)
    url = reverse("groups:candidate_list", kwargs={"code": chapter.code})

    factories.CandidateFactory.create_batch(SIZES[0], chapter=chapter)
    client.get(url)
    small = count_queries(client, url)

    factories.CandidateFactory.create_batch(SIZES[1] - SIZES[0], chapter=chapter)
    large = count_queries(client, url)

    assert large == small, describe(small, large, SIZES)


def test_directory_query_count_is_the_same_with_3_or_12_members(chapter, cohort, member, login):
    client = login(member)
    url = reverse("groups:cohort_directory", kwargs={"pk": cohort.pk})
    codes = iter(factories.NAF_CODES[1:])

    def grow(count):
        for _ in range(count):
            factories.MembershipFactory(cohort=cohort, company__naf_code=next(codes))

    grow(3)
    client.get(url)
    small = count_queries(client, url)

    grow(9)
    large = count_queries(client, url)

    assert large == small, describe(small, large, (3, 12))


def test_conflict_list_query_count_is_the_same_with_3_or_30_conflicts(chapter, coordinator, login):
    client = login(coordinator)
    url = reverse("groups:conflict_list", kwargs={"code": chapter.code})

    def grow(start, count):
        for number in range(start, start + count):
            factories.DeclaredConflictFactory(
                chapter=chapter, siren_a=f"1{number:08d}", siren_b=f"2{number:08d}", declared_by=coordinator
            )
            factories.CompanyFactory(chapter=chapter)
            factories.CandidateFactory(chapter=chapter)

    grow(0, SIZES[0])
    client.get(url)
    small = count_queries(client, url)

    grow(SIZES[0], SIZES[1] - SIZES[0])
    large = count_queries(client, url)

    assert large == small, describe(small, large, SIZES)


def test_composer_proposal_query_count_is_the_same_with_6_or_36_candidates(chapter, coordinator, login):
    chapter.group_min_size, chapter.group_max_size = 3, 6
    chapter.save()
    client = login(coordinator)
    compose = reverse("groups:composer", kwargs={"code": chapter.code})
    url = reverse("groups:composer_proposal", kwargs={"code": chapter.code})
    codes = iter(["62.01Z", "10.71C", "49.41A", "69.20Z", "43.21A", "55.10Z"] * 6)

    def grow(count):
        for _ in range(count):
            factories.CandidateFactory(chapter=chapter, naf_code=next(codes))
        client.post(compose, {"min_size": 3, "max_size": 6})

    grow(6)
    client.get(url)
    small = count_queries(client, url)

    grow(30)
    large = count_queries(client, url)

    assert large == small, describe(small, large, (6, 36))

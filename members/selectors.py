"""Reads about companies and people, always scoped to what the user may see."""

from django.db.models import Count, Q, QuerySet

from members.models import CalendarFeed, Company, User


def companies_for(user, *, query: str = "", chapter_id: int | None = None) -> QuerySet[Company]:
    companies = (
        Company.objects.visible_to(user)
        .select_related("chapter")
        .annotate(people_count=Count("people", distinct=True))
    )
    if chapter_id:
        companies = companies.filter(chapter_id=chapter_id)
    if query:
        companies = companies.filter(
            Q(name__icontains=query)
            | Q(siret__startswith=query.replace(" ", ""))
            | Q(naf_code__istartswith=query)
            | Q(town__icontains=query)
        )
    return companies.order_by("name")


def recent_companies(user, *, limit: int) -> QuerySet[Company]:
    return Company.objects.visible_to(user).select_related("chapter").order_by("-created_at")[:limit]


def people_for(user, *, query: str = "", chapter_id: int | None = None) -> QuerySet[User]:
    people = User.objects.visible_to(user).select_related("company", "chapter")
    if chapter_id:
        people = people.filter(Q(chapter_id=chapter_id) | Q(company__chapter_id=chapter_id))
    if query:
        people = people.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(company__name__icontains=query)
        )
    return people.order_by("last_name", "first_name")


def people_of_company(company: Company) -> QuerySet[User]:
    return company.people.order_by("last_name", "first_name")


def calendar_feed_owner(token: str) -> User | None:
    """The active person whose calendar feed this token opens; None for an unknown or
    renewed token, or a person whose account was deactivated."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    return feed.user if feed else None

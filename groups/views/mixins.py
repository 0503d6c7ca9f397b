"""The chapter or cohort a URL names, for the network's pages and the apps built on groups."""

from django.db.models import QuerySet

from groups import permissions
from groups.models import Chapter, Cohort
from plato.views.mixins import ObjectFromUrlMixin


class ChapterFromUrlMixin(ObjectFromUrlMixin):
    """`chapter` from the URL's code: outside the user's chapters → 404; refused by
    `chapter_permission` (a coordinator's, by default) → 403."""

    url_object_name = "chapter"
    url_kwarg = url_field = "code"
    chapter_permission = staticmethod(permissions.can_manage_candidates)

    def url_queryset(self) -> QuerySet:
        return Chapter.objects.visible_to(self.request.user)

    def url_object_permission(self, chapter: Chapter) -> bool:
        return type(self).chapter_permission(self.request.user, chapter)

    @property
    def chapter(self) -> Chapter:
        return self.url_object


class CohortFromUrlMixin(ObjectFromUrlMixin):
    """`cohort` from the URL's pk: outside the user's cohorts → 404; refused by
    `cohort_permission` → 403."""

    url_object_name = "cohort"
    cohort_permission = staticmethod(lambda user, cohort: True)

    def url_queryset(self) -> QuerySet:
        return Cohort.objects.visible_to(self.request.user).select_related("chapter")

    def url_object_permission(self, cohort: Cohort) -> bool:
        return type(self).cohort_permission(self.request.user, cohort)

    @property
    def cohort(self) -> Cohort:
        return self.url_object

"""What the group views share: the chapter taken from the URL, scoped, and service errors on forms."""

from functools import cached_property

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from groups import permissions
from groups.models import Chapter


class ChapterFromUrlMixin:
    """`chapter` from the URL's code: outside the user's chapters → 404; not a coordinator → 403."""

    chapter_permission = staticmethod(permissions.can_manage_candidates)

    @cached_property
    def chapter(self) -> Chapter:
        chapter = get_object_or_404(Chapter.objects.visible_to(self.request.user), code=self.kwargs["code"])
        if not type(self).chapter_permission(self.request.user, chapter):
            raise PermissionDenied
        return chapter

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"chapter": self.chapter}


def add_service_error(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: field errors next to their field when it exists."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class CohortFromUrlMixin:
    """`cohort` from the URL's pk: outside the user's cohorts → 404; refused by
    `cohort_permission` → 403."""

    cohort_permission = staticmethod(lambda user, cohort: True)

    @cached_property
    def cohort(self):
        from groups.models import Cohort

        cohort = get_object_or_404(
            Cohort.objects.visible_to(self.request.user).select_related("chapter"), pk=self.kwargs["pk"]
        )
        if not type(self).cohort_permission(self.request.user, cohort):
            raise PermissionDenied
        return cohort

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"cohort": self.cohort}

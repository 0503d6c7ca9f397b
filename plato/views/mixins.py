"""The object a URL names, looked up in the user's scope: the generic part of every app's
"chapter from the URL", "cohort from the URL" mixins (groups/views/mixins.py)."""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404


class ObjectFromUrlMixin:
    """`url_object`: the object whose `url_field` is the URL's `url_kwarg`, looked up in
    `url_queryset()` — the user's scope, so that an object outside it is a 404 — and
    refused by `url_object_permission` with a 403. The page's context holds it under
    `url_object_name`.

    A URL names one object: a subclass per kind gives it its name
    (`ChapterFromUrlMixin.chapter`) and its scope."""

    url_object_name: str
    url_kwarg = "pk"
    url_field = "pk"

    def url_queryset(self) -> QuerySet:
        raise NotImplementedError("the scoped queryset, e.g. Chapter.objects.visible_to(self.request.user)")

    def url_object_permission(self, obj: Model) -> bool:
        return True

    @cached_property
    def url_object(self) -> Model:
        obj = get_object_or_404(self.url_queryset(), **{self.url_field: self.kwargs[self.url_kwarg]})
        if not self.url_object_permission(obj):
            raise PermissionDenied
        return obj

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {self.url_object_name: self.url_object}

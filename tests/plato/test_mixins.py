"""plato/views/mixins.py: the object a URL names, from the user's scope (404), refused (403)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.views.generic import TemplateView

from groups.models import Chapter
from plato.views.mixins import ObjectFromUrlMixin


class _ChapterPage(ObjectFromUrlMixin, TemplateView):
    """In scope: the chapters whose name starts with "Plato"; allowed: not the one coded "p35"."""

    url_object_name = "the_chapter"
    url_kwarg = "code"
    url_field = "code"
    template_name = "unused.html"

    def url_queryset(self):
        return Chapter.objects.filter(name__startswith="Plato")

    def url_object_permission(self, chapter):
        return chapter.code != "p35"


def _view(**kwargs) -> _ChapterPage:
    view = _ChapterPage()
    view.setup(RequestFactory().get("/"), **kwargs)
    return view


def test_the_object_in_scope_is_found_and_put_in_the_context(chapter):
    view = _view(code=chapter.code)

    assert view.url_object == chapter
    assert view.get_context_data()["the_chapter"] == chapter


def test_an_object_outside_the_scope_is_a_404(chapter):
    Chapter.objects.filter(pk=chapter.pk).update(name="Another network")

    with pytest.raises(Http404):
        _ = _view(code=chapter.code).url_object


def test_an_unknown_object_is_a_404(chapter):
    with pytest.raises(Http404):
        _ = _view(code="nowhere").url_object


def test_an_object_in_scope_but_refused_is_a_403(chapter):
    Chapter.objects.filter(pk=chapter.pk).update(code="p35")

    with pytest.raises(PermissionDenied):
        _ = _view(code="p35").url_object


def test_the_lookup_runs_once_per_request(chapter, django_assert_num_queries):
    view = _view(code=chapter.code)

    with django_assert_num_queries(1):
        assert view.url_object == view.url_object

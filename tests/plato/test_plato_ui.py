"""The page furniture of plato_ui: the breadcrumb trail, written once for every page."""

import re

import pytest
from django.template import TemplateSyntaxError, engines
from django.utils import translation

from tests.templatefiles import our_templates


def render(source: str, language: str = "en", **context) -> str:
    with translation.override(language):
        return engines["django"].from_string("{% load i18n plato_ui %}" + source).render(context)


def squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


# --- breadcrumbs -------------------------------------------------------------------------------


def test_breadcrumbs_link_each_step_and_mark_the_current_page():
    html = render(
        '{% breadcrumbs _("Companies") "/companies/" company "/companies/7/" _("Edit") %}',
        company="Kerlann <Informatique>",
    )

    assert squeezed(html) == (
        '<nav aria-label="Breadcrumb"><ol class="breadcrumb">'
        '<li class="breadcrumb-item"><a href="/companies/">Companies</a></li>'
        '<li class="breadcrumb-item"><a href="/companies/7/">Kerlann &lt;Informatique&gt;</a></li>'
        '<li class="breadcrumb-item active" aria-current="page">Edit</li>'
        "</ol></nav>"
    )


def test_breadcrumbs_speak_the_active_language():
    html = render('{% breadcrumbs _("My profile") "/profile/" _("Edit") %}', language="fr")

    assert 'aria-label="Fil d’Ariane"' in html
    assert ">Mon profil</a>" in html


def test_breadcrumbs_with_only_the_current_page():
    html = render('{% breadcrumbs "Plenaries" %}')

    assert "<a " not in html
    assert '<li class="breadcrumb-item active" aria-current="page">Plenaries</li>' in html


def test_breadcrumbs_refuse_a_label_without_its_url():
    with pytest.raises(TemplateSyntaxError, match="pairs"):
        render('{% breadcrumbs "Companies" "/companies/" "Kerlann" "Edit" %}')


def test_breadcrumbs_refuse_a_url_that_did_not_reverse():
    # {% url ... as name %} leaves the name empty instead of raising: the trail must not
    # then link to the page itself.
    with pytest.raises(TemplateSyntaxError, match="no URL for"):
        render('{% url "members:no_such_page" as missing %}{% breadcrumbs "Companies" missing "Edit" %}')


def test_no_template_writes_its_own_breadcrumb():
    copies = [
        name
        for name, source in our_templates().items()
        if 'class="breadcrumb' in source and name != "_partials/breadcrumbs.html"
    ]

    assert copies == [], "use {% breadcrumbs %} (plato_ui)"

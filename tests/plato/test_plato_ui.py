"""The page furniture of plato_ui, written once for every page: the breadcrumb trail and the header."""

import re
from types import SimpleNamespace

import pytest
from django.template import Context, Engine, TemplateSyntaxError, engines
from django.utils import translation

from tests.templatefiles import TEMPLATES, our_templates


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


# --- page_header -------------------------------------------------------------------------------


def test_page_header_shows_each_part_in_its_place():
    html = render(
        "{% page_header eyebrow=chapter title=_('Candidates') lead=_('Applications') %}"
        '{% slot details %}<ul class="cohort-meta"><li>{{ count }}</li></ul>{% endslot %}'
        '{% slot actions %}<a class="btn" href="/add/">Add</a>{% endslot %}'
        "{% endpage_header %}",
        chapter="Plato 56",
        count=3,
    )

    assert squeezed(html) == (
        '<div class="page-header"><div>'
        '<p class="eyebrow">Plato 56</p><h1>Candidates</h1><p class="lead">Applications</p>'
        '<ul class="cohort-meta"><li>3</li></ul>'
        '</div><div class="page-actions"><a class="btn" href="/add/">Add</a></div></div>'
    )


def test_page_header_leaves_out_the_empty_parts():
    html = render(
        "{% page_header title=name %}{% slot actions %}{% if can_edit %}<a>Edit</a>{% endif %}{% endslot %}"
        "{% endpage_header %}",
        name="Companies",
        can_edit=False,
    )

    assert squeezed(html) == '<div class="page-header"><div><h1>Companies</h1></div></div>'


def test_page_header_escapes_values_and_keeps_the_markup_of_slots():
    html = render(
        "{% page_header eyebrow=chapter %}"
        '{% slot title %}{{ name }} <span class="state-badge">{{ state }}</span>{% endslot %}'
        "{% endpage_header %}",
        chapter="<i>56</i>",
        name="Kerlann & Fils",
        state="<b>active</b>",
    )

    assert '<p class="eyebrow">&lt;i&gt;56&lt;/i&gt;</p>' in html
    assert '<h1>Kerlann &amp; Fils <span class="state-badge">&lt;b&gt;active&lt;/b&gt;</span></h1>' in html


def test_page_header_with_an_avatar_shows_the_persons_initials():
    person = SimpleNamespace(first_name="Gwenaël", last_name="Le Floch", email="g@plato.test")

    html = render(
        "{% page_header avatar=person title='Gwenaël Le Floch' %}{% endpage_header %}", person=person
    )

    assert squeezed(html) == (
        '<div class="page-header"><div class="d-flex align-items-center gap-3">'
        '<span class="avatar avatar-lg" aria-hidden="true">GL</span>'
        "<div><h1>Gwenaël Le Floch</h1></div></div></div>"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% page_header lead='x' %}{% endpage_header %}", "needs a title"),
        ("{% page_header title='x' colour='red' %}{% endpage_header %}", "no argument"),
        ("{% page_header 'x' %}{% endpage_header %}", "name=value"),
        ("{% page_header title='x' %}<a>Edit</a>{% endpage_header %}", "in a {% slot %}"),
        ("{% page_header title='x' %}{% if a %}{% endif %}{% endpage_header %}", "in a {% slot %}"),
        (
            "{% page_header title='x' %}{% slot footer %}x{% endslot %}{% endpage_header %}",
            "not one of the slots",
        ),
        ("{% page_header title='x' %}{% slot title %}y{% endslot %}{% endpage_header %}", "given twice"),
        (
            "{% page_header %}{% slot title %}x{% endslot %}{% slot title %}y{% endslot %}{% endpage_header %}",
            "given twice",
        ),
    ],
)
def test_page_header_refuses_what_it_would_not_show(source, message):
    with pytest.raises(TemplateSyntaxError, match=re.escape(message)):
        render(source)


def test_blocks_inside_slots_stay_blocks_a_child_template_fills():
    # base_form.html puts its h1, eyebrow and lead blocks in the header's slots.
    engine = Engine(
        dirs=[TEMPLATES],
        loaders=[
            (
                "django.template.loaders.locmem.Loader",
                {
                    "form_page.html": "{% load plato_ui %}{% page_header %}"
                    "{% slot title %}{% block h1 %}Add{% endblock %}{% endslot %}"
                    "{% slot lead %}{% block lead %}{% endblock %}{% endslot %}{% endpage_header %}",
                    "sponsor_form.html": '{% extends "form_page.html" %}'
                    "{% block h1 %}{{ block.super }} a sponsor{% endblock %}{% block lead %}Two or three.{% endblock %}",
                },
            ),
            "django.template.loaders.filesystem.Loader",
        ],
        libraries={"plato_ui": "plato.templatetags.plato_ui"},
    )

    html = engine.get_template("sponsor_form.html").render(Context())

    assert (
        squeezed(html)
        == '<div class="page-header"><div><h1>Add a sponsor</h1><p class="lead">Two or three.</p></div></div>'
    )


def test_no_template_writes_its_own_page_header():
    copies = [
        name
        for name, source in our_templates().items()
        if 'class="page-header' in source and name != "_partials/page_header.html"
    ]

    assert copies == [], "use {% page_header %} (plato_ui)"

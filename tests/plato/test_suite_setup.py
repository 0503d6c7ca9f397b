"""The suite's own guards: missing template variables fail, hashing is fast, the cache is empty."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.template import Context, engines
from django.template.base import Origin, Template

from tests.conftest import BASE_DIR, InvalidTemplateVariable, InvalidTemplateVariableError


def _template(source: str, origin_name: str) -> Template:
    engine = engines["django"].engine
    return Template(source, origin=Origin(origin_name), engine=engine)


def test_missing_variable_in_our_template_fails():
    template = _template("Bonjour {{ person.nickname }}", str(BASE_DIR / "templates" / "x.html"))

    with pytest.raises(InvalidTemplateVariableError, match=r"person\.nickname"):
        template.render(Context({"person": object()}))


def test_missing_variable_in_a_blocktranslate_of_our_template_fails():
    template = _template(
        "{% load i18n %}{% blocktranslate with name=person.nickname %}Hi {{ name }}{% endblocktranslate %}",
        str(BASE_DIR / "templates" / "x.html"),
    )

    with pytest.raises(InvalidTemplateVariableError):
        template.render(Context({"person": object()}))


def test_missing_variable_in_a_third_party_template_renders_empty():
    template = _template("[{{ is_popup }}]", str(BASE_DIR / ".venv" / "lib" / "admin" / "x.html"))

    assert template.render(Context({})) == "[]"


def test_missing_variable_in_an_if_tag_is_allowed():
    template = _template("{% if nothing %}yes{% else %}no{% endif %}", str(BASE_DIR / "templates" / "x.html"))

    assert template.render(Context({})) == "no"


def test_existing_variable_renders_normally():
    template = _template("{{ name }}", str(BASE_DIR / "templates" / "x.html"))

    assert template.render(Context({"name": "Gaëlle"})) == "Gaëlle"


def test_passwords_are_hashed_fast_in_tests():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_cache_is_in_memory_and_starts_empty():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert cache.get("anything") is None
    cache.set("anything", 1)


def test_template_engine_used_by_views_fails_on_missing_variables():
    assert isinstance(engines["django"].engine.string_if_invalid, InvalidTemplateVariable)

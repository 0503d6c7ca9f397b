"""How templates are laid out: a partial lives in a `_partials/` folder
(templates/<app>/_partials/<name>.html, templates/_partials/ for the shared ones), and
every template named by a template or by our Python code exists.

These walk every file, so a partial added the old way or a template renamed without its
users fails here, whatever page it sits on.
"""

import re
from pathlib import Path

import pytest
from django.template import TemplateDoesNotExist, engines

from tests.conftest import BASE_DIR
from tests.templatefiles import our_templates

APPS = ("plato", "members", "groups", "meetings", "plenaries", "billing")

# Folders other parts of issue 14 rewrite, still laid out the old way (e-mails: the
# outbox; printed documents: the documents app). Drop a folder from here once it follows
# the convention.
NOT_YET = ()

NAMED_IN_TEMPLATE = re.compile(r"""{%\s*(include|extends)\s+["']([^"']+)["']""")
NAMED_IN_PYTHON = re.compile(r"""["']([\w/.-]+\.(?:html|txt))["']""")


def _python_sources() -> dict[str, str]:
    return {
        path.relative_to(BASE_DIR).as_posix(): path.read_text()
        for app in APPS
        for path in sorted((BASE_DIR / app).rglob("*.py"))
        if "migrations" not in path.parts
    }


def _exists(name: str) -> bool:
    try:
        engines["django"].get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def test_partials_live_in_partials_folders():
    misplaced = [
        name
        for name in our_templates()
        if not name.startswith(NOT_YET) and Path(name).name.startswith("_") and "_partials" not in name
    ]

    assert misplaced == [], "move these to templates/<app>/_partials/<name>.html (no leading underscore)"


def test_a_partials_folder_holds_no_underscored_names():
    doubled = [name for name in our_templates() if "_partials/" in name and Path(name).name.startswith("_")]

    assert doubled == []


def test_every_include_names_a_partial():
    includes = [
        (name, included)
        for name, source in our_templates().items()
        if not name.startswith(NOT_YET)
        for tag, included in NAMED_IN_TEMPLATE.findall(source)
        if tag == "include" and "_partials/" not in included
    ]

    assert includes == [], "an included template is a partial: it lives in a _partials/ folder"


@pytest.mark.parametrize("kind", ["templates", "python"])
def test_every_template_named_exists(kind):
    if kind == "templates":
        named = [
            (name, target)
            for name, source in our_templates().items()
            for _tag, target in NAMED_IN_TEMPLATE.findall(source)
        ]
    else:
        named = [
            (module, target)
            for module, source in _python_sources().items()
            for target in NAMED_IN_PYTHON.findall(source)
        ]

    assert named, "the walk found nothing: its pattern no longer matches the code"
    missing = [(where, target) for where, target in named if not _exists(target)]
    assert missing == []

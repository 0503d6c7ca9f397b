"""plato/forms.py: one crispy helper for every app's forms."""

import re
from pathlib import Path

from crispy_forms.layout import Layout
from django.apps import apps
from django.conf import settings

from plato.forms import form_helper

BASE_DIR = Path(settings.BASE_DIR).resolve()


def test_the_helper_leaves_the_form_tag_to_the_template():
    helper = form_helper()

    assert helper.form_tag is False
    assert helper.layout is None


def test_the_helper_takes_a_layout_and_may_bring_the_form_tag():
    layout = Layout("first_name", "last_name")

    helper = form_helper(layout, form_tag=True)

    assert helper.form_tag is True
    assert helper.layout is layout


BUILDS_A_HELPER = re.compile(r"\bFormHelper\(")


def test_our_forms_build_their_helper_only_through_plato_forms():
    """A module of ours building its own FormHelper is a copy of the helper waiting to drift."""
    ours = [
        Path(config.path).resolve()
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(BASE_DIR)
        and not Path(config.path).resolve().is_relative_to(BASE_DIR / ".venv")
    ]
    builders = [
        f"{path.relative_to(BASE_DIR)}:{number}"
        for app in ours
        for path in app.rglob("*.py")
        if path != BASE_DIR / "plato" / "forms.py" and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if BUILDS_A_HELPER.search(line)
    ]

    assert len(ours) >= 6, "the walk no longer sees our apps"
    assert not builders, f"build the helper with plato.forms.form_helper instead: {builders}"

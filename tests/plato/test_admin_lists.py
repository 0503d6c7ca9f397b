"""The admin's lists stay fast with the whole network in one database: no full count of a
growing table under every page, and the rows each column shows fetched with the list."""

from pathlib import Path

from django.contrib import admin
from django.db.models import ForeignKey, OneToOneField

ROOT = Path(__file__).resolve().parents[2]


def _our_admins():
    for model, model_admin in admin.site._registry.items():
        if Path(model._meta.app_config.path).resolve().is_relative_to(ROOT) and ".venv" not in str(
            model._meta.app_config.path
        ):
            yield model, model_admin


def test_every_changelist_skips_the_full_count_and_joins_what_it_shows():
    admins = list(_our_admins())
    assert len(admins) >= 15, "the walk found the project's admins"
    problems = []
    for model, model_admin in admins:
        if model_admin.show_full_result_count:
            problems.append(f"{model.__name__}: show_full_result_count")
        shown = {
            name for name in model_admin.list_display if isinstance(name, str) and not name.startswith("__")
        }
        related = {
            field.name
            for field in model._meta.fields
            if isinstance(field, ForeignKey | OneToOneField) and field.name in shown
        }
        selected = model_admin.list_select_related
        if related and selected is not True and not related <= set(selected or ()):
            problems.append(
                f"{model.__name__}: list_select_related misses {sorted(related - set(selected or ()))}"
            )
    assert problems == []

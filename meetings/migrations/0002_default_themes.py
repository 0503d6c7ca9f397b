from django.db import migrations

from meetings.enums import DEFAULT_THEMES


def add_default_themes(apps, schema_editor):
    Chapter = apps.get_model("groups", "Chapter")
    ChapterTheme = apps.get_model("meetings", "ChapterTheme")
    for chapter in Chapter.objects.all():
        for position, name in enumerate(DEFAULT_THEMES):
            ChapterTheme.objects.get_or_create(chapter=chapter, name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_meetings_topics_votes"), ("groups", "0004_audit_log_keeps_its_cohort")]

    operations = [migrations.RunPython(add_default_themes, migrations.RunPython.noop)]

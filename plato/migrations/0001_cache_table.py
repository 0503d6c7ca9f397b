"""The table of the database cache (settings.CACHES: allauth's rate limits live there, so
that signing in never depends on Redis).

`manage.py createcachetable` would make it too, but only when someone runs it; as a
migration, every `migrate` (make run, tests, CI, docker-compose's migrate service) makes it.
The name is fixed here, not read from settings, so that a process whose settings point the
cache elsewhere (the tests keep it in memory) still migrates the same schema.
"""

from django.core.management.commands.createcachetable import Command
from django.db import migrations

TABLE = "plato_cache"


def create_cache_table(apps, schema_editor):
    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]

"""The totals' check compares amounts rounded to the cent (SQLite stores them as floats).

Changing a constraint makes SQLite rebuild billing_invoice (new table, copy, drop, rename),
which drops the triggers of 0002 on that table: they are installed again afterwards. Any
later migration that rebuilds billing_invoice or billing_invoiceline on SQLite must do the
same (see `reinstall_frozen_triggers`).
"""

import importlib

import django.db.models.expressions
import django.db.models.functions.math
import django.db.models.lookups
from django.db import migrations, models

frozen = importlib.import_module("billing.migrations.0002_frozen_triggers")


def reinstall_frozen_triggers(apps, schema_editor):
    """SQLite only: drop (if any) and create again the UPDATE triggers of 0002. PostgreSQL
    alters the constraint in place and keeps its triggers."""
    if schema_editor.connection.vendor != "sqlite":
        return
    frozen.uninstall(apps, schema_editor)
    frozen.install(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_export_jobs")]

    operations = [
        # Unapplying rebuilds the table too: the triggers then come back by this first step.
        migrations.RunPython(migrations.RunPython.noop, reinstall_frozen_triggers),
        migrations.RemoveConstraint(model_name="invoice", name="invoice_totals_add_up"),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.Exact(
                    django.db.models.functions.math.Round(models.F("total_incl_vat"), 2),
                    django.db.models.functions.math.Round(
                        django.db.models.expressions.CombinedExpression(
                            models.F("total_excl_vat"), "+", models.F("vat_amount")
                        ),
                        2,
                    ),
                ),
                name="invoice_totals_add_up",
            ),
        ),
        migrations.RunPython(reinstall_frozen_triggers, migrations.RunPython.noop),
    ]

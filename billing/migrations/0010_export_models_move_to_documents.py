# Written by hand (issue 14): ExportJob and CertificateDelivery move to the documents app.
# Billing forgets them (state only); their tables stay as they are, with their rows, and
# documents 0001 takes them over under the same names (db_table). Nothing is dropped.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0009_plausible_dates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ExportJob"),
                migrations.DeleteModel(name="CertificateDelivery"),
            ],
            database_operations=[],
        ),
    ]

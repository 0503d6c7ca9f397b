# Written by hand (issue 14): ExportJob and CertificateDelivery come from billing (billing
# 0010 forgot them). Their tables keep their names and rows (db_table): this migration
# changes the migration state only, and renames the two content types, so that the
# permissions given on them, the admin's log entries and anything else pointing at a
# content type follow the models instead of being left on stale « billing » rows (and
# deleted with them by remove_stale_contenttypes).

import django.db.models.deletion
import plato.dates
from django.conf import settings
from django.db import migrations, models

MOVED = ("exportjob", "certificatedelivery")


def _rename_content_types(apps, schema_editor, *, from_label, to_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        # A database never migrated before has no content type yet: post_migrate makes
        # them. One that has the new one already (made by hand) keeps it.
        if not content_types.filter(app_label=to_label, model=model).exists():
            content_types.filter(app_label=from_label, model=model).update(app_label=to_label)


def to_documents(apps, schema_editor):
    _rename_content_types(apps, schema_editor, from_label="billing", to_label="documents")


def back_to_billing(apps, schema_editor):
    _rename_content_types(apps, schema_editor, from_label="documents", to_label="billing")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("billing", "0010_export_models_move_to_documents"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("groups", "0009_plausible_dates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CertificateDelivery",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, validators=[plato.dates.PlausibleDateValidator()]
                            ),
                        ),
                        (
                            "sent_at",
                            models.DateTimeField(
                                blank=True,
                                null=True,
                                validators=[plato.dates.PlausibleDateValidator()],
                                verbose_name="sent at",
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        (
                            "membership",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="certificate_delivery",
                                to="groups.membership",
                                verbose_name="membership",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "attendance certificate e-mail",
                        "verbose_name_plural": "attendance certificate e-mails",
                        "db_table": "billing_certificatedelivery",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(fields=["sent_at", "created_at"], name="billing_cer_sent_at_bda339_idx")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ExportJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("roster", "List of members (PDF)")],
                                default="roster",
                                max_length=20,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting"),
                                    ("running", "In progress"),
                                    ("done", "Ready"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="state",
                            ),
                        ),
                        ("done", models.PositiveIntegerField(default=0)),
                        ("total", models.PositiveIntegerField(default=0)),
                        ("file", models.FileField(blank=True, upload_to="exports/%Y/")),
                        ("error", models.TextField(blank=True)),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True,
                                validators=[plato.dates.PlausibleDateValidator()],
                                verbose_name="requested at",
                            ),
                        ),
                        (
                            "queued_at",
                            models.DateTimeField(
                                blank=True, null=True, validators=[plato.dates.PlausibleDateValidator()]
                            ),
                        ),
                        (
                            "started_at",
                            models.DateTimeField(
                                blank=True, null=True, validators=[plato.dates.PlausibleDateValidator()]
                            ),
                        ),
                        (
                            "heartbeat_at",
                            models.DateTimeField(
                                blank=True, null=True, validators=[plato.dates.PlausibleDateValidator()]
                            ),
                        ),
                        (
                            "finished_at",
                            models.DateTimeField(
                                blank=True, null=True, validators=[plato.dates.PlausibleDateValidator()]
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        (
                            "chapter",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="export_jobs",
                                to="groups.chapter",
                                verbose_name="chapter",
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="requested by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "export",
                        "verbose_name_plural": "exports",
                        "db_table": "billing_exportjob",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(fields=["chapter", "-created_at"], name="billing_exp_chapter_8bc9b7_idx")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("done__lte", models.F("total"))),
                                name="export_job_done_within_total",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_documents, back_to_billing),
    ]

"""ExportJob and CertificateDelivery moved from billing to documents without losing a row.

A database is built at the migration state before the move (every migration of every
app, except billing 0010 and what follows from it, documents 0001 first), filled with
rows in the two moved tables and in those around them (users, companies, a region, its
chapter, cohorts, memberships; a content type, a permission given to a user and an admin
log entry on the moved models), then migrated to the latest state. Every table keeps its
rows, the moved rows read through the documents models, and the content types, with the
permissions and log entries on them, now say « documents ».

Runs on SQLite, and on PostgreSQL when DATABASE_URL points to it (CI).
"""

import datetime

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

# The two migrations that move the models: the state before the move stops short of them.
MOVE = [("billing", "0010_export_models_move_to_documents"), ("documents", "0001_initial")]


def _billing_before() -> tuple[str, str]:
    """Billing's migration just before the move (the one its move migration follows)."""
    graph = MigrationLoader(connection).graph
    (parent,) = (node.key for node in graph.node_map[MOVE[0]].parents if node.key[0] == "billing")
    return parent


def _targets_before_the_move() -> list[tuple[str, str]]:
    """One target per app: its last migration that comes neither from the move nor after
    it (documents, born in the move, has none)."""
    graph = MigrationLoader(connection).graph
    billing_before = _billing_before()
    after = set().union(*(graph.backwards_plan(node) for node in MOVE))  # what needs the move
    before = [node for node in graph.nodes if node not in after]
    leaves = [
        node
        for node in before
        if not any(child.key in before for child in graph.node_map[node].children) and node != billing_before
    ]
    return [billing_before, *sorted(leaves)]


def _latest_targets() -> list[tuple[str, str]]:
    return sorted(MigrationLoader(connection).graph.leaf_nodes())


def _row_counts() -> dict[str, int]:
    """Rows per table, every table of the database but the migration bookkeeping."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            if table == "django_migrations":
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _fill(apps) -> dict:
    """Rows in the moved tables and around them, through the historical models of the
    state before the move."""
    now = timezone.now()
    User = apps.get_model("members", "User")
    Company = apps.get_model("members", "Company")
    Region = apps.get_model("groups", "Region")
    Chapter = apps.get_model("groups", "Chapter")
    Cohort = apps.get_model("groups", "Cohort")
    Membership = apps.get_model("groups", "Membership")
    ExportJob = apps.get_model("billing", "ExportJob")
    CertificateDelivery = apps.get_model("billing", "CertificateDelivery")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")

    coordinator = User.objects.create(
        email="coordination@morbihan.cci.test", first_name="Anne", is_active=True
    )
    people = [User.objects.create(email=f"membre{number}@example.test") for number in range(4)]
    region = Region.objects.create(code="53")
    chapter = Chapter.objects.create(
        region=region,
        code="56",
        name="Plato 56 — CCI du Morbihan",
        cci_name="CCI du Morbihan",
        department="56",
    )
    companies = [
        Company.objects.create(
            chapter=chapter,
            name=f"Entreprise {number}",
            siret=f"5521005540{number:04d}",
            naf_code="62.01Z",
            town="Vannes",
        )
        for number in range(4)
    ]
    start = datetime.date(2023, 9, 5)
    closed = Cohort.objects.create(
        chapter=chapter,
        name="Plato 56 — 2023",
        start_date=start,
        end_date=datetime.date(2025, 9, 4),
        state="closed",
    )
    active = Cohort.objects.create(chapter=chapter, name="Plato 56 — 2025", start_date=start, state="active")
    alumni = [
        Membership.objects.create(
            cohort=closed, person=person, company=company, state="alumni", joined_on=start, left_on=start
        )
        for person, company in zip(people[:3], companies[:3], strict=True)
    ]
    Membership.objects.create(
        cohort=active, person=people[3], company=companies[3], state="active", joined_on=start
    )
    jobs = [
        ExportJob.objects.create(chapter=chapter, requested_by=coordinator, state="done", total=2, done=2),
        ExportJob.objects.create(
            chapter=chapter, requested_by=coordinator, state="failed", error="Disque plein"
        ),
        ExportJob.objects.create(chapter=chapter, requested_by=None, state="pending", queued_at=now),
    ]
    deliveries = [
        CertificateDelivery.objects.create(membership=alumni[0], sent_at=now, attempts=1),
        CertificateDelivery.objects.create(membership=alumni[1], attempts=3),
    ]
    # What a running site has on the moved models: their content types (post_migrate made
    # them), a permission given to a member of the staff, the admin's log of a change.
    export_type = ContentType.objects.create(app_label="billing", model="exportjob")
    delivery_type = ContentType.objects.create(app_label="billing", model="certificatedelivery")
    may_view = Permission.objects.create(
        codename="view_exportjob", name="Can view export", content_type=export_type
    )
    coordinator.user_permissions.add(may_view)
    LogEntry.objects.create(
        action_time=now,
        user=coordinator,
        content_type=delivery_type,
        object_id=str(deliveries[1].pk),
        object_repr="…",
        action_flag=2,
        change_message="[]",
    )
    return {
        "coordinator": coordinator.pk,
        "jobs": [(job.pk, job.state, job.error) for job in jobs],
        "deliveries": [(delivery.pk, delivery.membership_id, delivery.attempts) for delivery in deliveries],
        "content_types": {"exportjob": export_type.pk, "certificatedelivery": delivery_type.pk},
    }


def test_moving_the_export_models_to_documents_keeps_every_row(migrator):
    migrator.apply_initial_migration(_billing_before())
    before_state = migrator.apply_tested_migration(_targets_before_the_move())
    assert ("billing", "exportjob") in before_state.models, "the state before the move"
    assert ("documents", "exportjob") not in before_state.models
    filled = _fill(before_state.apps)
    counts_before = _row_counts()

    after_state = migrator.apply_tested_migration(_latest_targets())

    counts_after = _row_counts()
    # Every table keeps its rows (tables of later migrations come in besides, e.g. billing's
    # invoice e-mails: they are not part of the move).
    assert {table: counts_after.get(table) for table in counts_before} == counts_before
    assert counts_before["billing_exportjob"] == 3 and counts_before["billing_certificatedelivery"] == 2
    assert ("documents", "exportjob") in after_state.models
    assert ("billing", "exportjob") not in after_state.models

    # The rows read through the models of documents, as the code now does.
    ExportJob = after_state.apps.get_model("documents", "ExportJob")
    CertificateDelivery = after_state.apps.get_model("documents", "CertificateDelivery")
    assert sorted(ExportJob.objects.values_list("pk", "state", "error")) == sorted(filled["jobs"])
    assert sorted(CertificateDelivery.objects.values_list("pk", "membership_id", "attempts")) == sorted(
        filled["deliveries"]
    )

    # The content types were renamed, not replaced: the permission and the log entry follow.
    ContentType = after_state.apps.get_model("contenttypes", "ContentType")
    assert (
        dict(ContentType.objects.filter(app_label="documents").values_list("model", "pk"))
        == (filled["content_types"])
    )
    assert not ContentType.objects.filter(app_label="billing", model__in=filled["content_types"]).exists()
    User = after_state.apps.get_model("members", "User")
    coordinator = User.objects.get(pk=filled["coordinator"])
    assert list(coordinator.user_permissions.values_list("content_type__app_label", "codename")) == [
        ("documents", "view_exportjob")
    ]
    LogEntry = after_state.apps.get_model("admin", "LogEntry")
    assert LogEntry.objects.get().content_type_id == filled["content_types"]["certificatedelivery"]

"""Issued invoices and their lines are frozen in the database too, whatever the client.

PostgreSQL (production): a trigger refuses any UPDATE that changes more than the
bookkeeping columns (pdf, pdf_rendered_at, emailed_at) and any DELETE of an invoice or
a line. TRUNCATE (test databases being reset) is a different statement, unaffected.
SQLite (embedded mode): the same refusal of UPDATE; DELETE is refused by the ORM only,
because Django empties SQLite test databases with DELETE statements.
"""

from django.db import migrations

BOOKKEEPING = ("pdf", "pdf_rendered_at", "emailed_at")

POSTGRES = """
CREATE OR REPLACE FUNCTION billing_refuse_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'billing: an issued document cannot be deleted (%%)', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- TG_ARGV: the columns that may change. Without arguments it is NULL, hence COALESCE.
    IF (to_jsonb(NEW) - COALESCE(TG_ARGV, ARRAY[]::text[]))
        IS DISTINCT FROM (to_jsonb(OLD) - COALESCE(TG_ARGV, ARRAY[]::text[])) THEN
        RAISE EXCEPTION 'billing: an issued document cannot be changed (%%)', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_invoice_frozen BEFORE UPDATE OR DELETE ON billing_invoice
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_frozen('pdf', 'pdf_rendered_at', 'emailed_at');
CREATE TRIGGER billing_invoiceline_frozen BEFORE UPDATE OR DELETE ON billing_invoiceline
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_frozen();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS billing_invoice_frozen ON billing_invoice;
DROP TRIGGER IF EXISTS billing_invoiceline_frozen ON billing_invoiceline;
DROP FUNCTION IF EXISTS billing_refuse_frozen();
"""


def _sqlite_columns(schema_editor, table):
    with schema_editor.connection.cursor() as cursor:
        return [row[1] for row in cursor.execute(f"PRAGMA table_info({table})").fetchall()]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)  # executed through mogrify: "%%" is one "%"
    elif vendor == "sqlite":
        for table, keep in (("billing_invoice", BOOKKEEPING), ("billing_invoiceline", ())):
            frozen = [column for column in _sqlite_columns(schema_editor, table) if column not in keep]
            changed = " OR ".join(f'OLD."{column}" IS NOT NEW."{column}"' for column in frozen)
            schema_editor.execute(
                f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} WHEN {changed} "
                f"BEGIN SELECT RAISE(ABORT, 'billing: an issued document cannot be changed'); END"
            )


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        for table in ("billing_invoice", "billing_invoiceline"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen")


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_invoices")]

    operations = [migrations.RunPython(install, uninstall)]

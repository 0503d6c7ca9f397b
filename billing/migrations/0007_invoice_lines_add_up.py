"""No line is added to an issued invoice or credit note, whatever the client.

Issuing writes the invoice, then its lines (one by one or in bulk) up to its total
excluding VAT. A BEFORE INSERT trigger on billing_invoiceline refuses a line when the
invoice's lines already add up to its total, or when the new line would take them above
it (within half a cent: SQLite compares floats). The ORM says the same first
(InvoiceLine.save). UPDATE and DELETE stay refused by the triggers of 0002.

SQLite keeps a table's triggers only while the table is not rebuilt: a later migration
that rebuilds billing_invoiceline must install this trigger again (`install` below).
"""

from django.db import migrations

TOLERANCE = "0.005"

POSTGRES = """
CREATE OR REPLACE FUNCTION billing_refuse_extra_line() RETURNS trigger AS $$
DECLARE
    total numeric;
    lines_count integer;
    lines_sum numeric;
BEGIN
    -- The invoice's row lock queues two lines written at once for the same invoice.
    SELECT total_excl_vat INTO total FROM billing_invoice WHERE id = NEW.invoice_id FOR UPDATE;
    SELECT COUNT(*), COALESCE(SUM(total_excl_vat), 0) INTO lines_count, lines_sum
        FROM billing_invoiceline WHERE invoice_id = NEW.invoice_id;
    IF total IS NOT NULL AND (
        (lines_count > 0 AND lines_sum >= total - 0.005)
        OR lines_sum + NEW.total_excl_vat > total + 0.005
    ) THEN
        RAISE EXCEPTION 'billing: a line cannot be added to an issued document (invoice %%)', NEW.invoice_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS billing_invoiceline_added ON billing_invoiceline;
CREATE TRIGGER billing_invoiceline_added BEFORE INSERT ON billing_invoiceline
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_extra_line();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS billing_invoiceline_added ON billing_invoiceline;
DROP FUNCTION IF EXISTS billing_refuse_extra_line();
"""

_LINES = "FROM billing_invoiceline WHERE invoice_id = NEW.invoice_id"
_TOTAL = "(SELECT total_excl_vat FROM billing_invoice WHERE id = NEW.invoice_id)"
SQLITE = (
    "CREATE TRIGGER billing_invoiceline_added BEFORE INSERT ON billing_invoiceline WHEN "
    f"((SELECT COUNT(*) {_LINES}) > 0 AND (SELECT COALESCE(SUM(total_excl_vat), 0) {_LINES})"
    f" >= {_TOTAL} - {TOLERANCE})"
    f" OR (SELECT COALESCE(SUM(total_excl_vat), 0) {_LINES}) + NEW.total_excl_vat > {_TOTAL} + {TOLERANCE} "
    "BEGIN SELECT RAISE(ABORT, 'billing: a line cannot be added to an issued document'); END"
)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)  # executed through mogrify: "%%" is one "%"
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS billing_invoiceline_added")
        schema_editor.execute(SQLITE)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS billing_invoiceline_added")


class Migration(migrations.Migration):
    dependencies = [("billing", "0006_attendance_certificate_delivery")]

    operations = [migrations.RunPython(install, uninstall)]

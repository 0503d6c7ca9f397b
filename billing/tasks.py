"""billing.tasks — invoices, credit notes, payments, numbering, PDFs, exports (built by a later issue)."""

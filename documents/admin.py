"""Nothing of documents is registered in the admin: an export's file is served only by its
checked view (documents.views.ExportJobDownloadView), and a certificate e-mail's row is
bookkeeping for the sweep. The rows are read in the database when support needs them."""

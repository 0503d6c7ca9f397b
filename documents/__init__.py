"""Documents about the members and the plenaries, for the CCI's staff and the alumni.

Certificates of membership and of end of programme, a cohort's directory, a chapter's
roster, a plenary's attendee list (PDF and CSV) and name badges. Small ones are rendered
in the request; the roster of a whole chapter can be large: built by a Celery task
(tasks.py) that records its progress on an `ExportJob`, whose file is then served by a
checked view. The alumni's certificates are e-mailed once at the closing
(`CertificateDelivery`).

documents sits above groups, meetings, plenaries and billing (it reads them all); none of
them imports it.
"""

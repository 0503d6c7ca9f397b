"""Documents about the members for a chapter's coordinators and admins.

A membership certificate and a cohort's directory are small: rendered in the request.
The roster of a whole chapter can be large: built by a Celery task (tasks.py) that
records its progress on an `ExportJob`, whose file is then served by a checked view.
"""

"""Who may have which document. documents has no rule of its own: it asks the apps whose
data a document shows, so that each rule is written once.

- Member documents (a membership certificate, a cohort's directory, the chapter's roster
  and its export jobs, a closed cohort's attendance certificates): the chapter's
  coordinators and admins, `groups.permissions.is_coordinator_of`; the pages are closed
  (403) to whoever coordinates no chapter (`is_any_coordinator`), and a chapter or a
  cohort outside the user's scope is a 404.
- One end-of-programme certificate: also the alumni themself, their own only
  (`selectors.memberships_with_certificate`, a scoped queryset: anyone else's is a 404).
- A plenary's attendee list, its CSV and the name badges: `plenaries.permissions`
  (`can_read_attendee_list`, `attendee_list_chapter_ids`, `can_manage_registrations`).
"""

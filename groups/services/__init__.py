"""Writes about chapters, cohorts, memberships, sponsors, conflicts and candidates, by
subject like the views: `chapters`, `cohorts` (the lifecycle), `memberships` (the
competitor rule's gate), `sponsors`, `conflicts`, `candidates`, `composer`.

Errors are ValidationErrors with specific messages; a refused write leaves the database
as it was.
"""

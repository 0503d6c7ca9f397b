"""What groups tells the apps built on it. groups imports none of them (the arrows point
down: meetings, plenaries, billing and documents build on groups); each receives what it
needs in its own `receivers.py`, connected in its AppConfig.ready (pretalx's
`submission_state_change` is the model).

The services send these inside their transaction, after their own writes: a receiver
writes in the same transaction, and a receiver's ValidationError refuses the whole
change, as if the service had raised it.
"""

from django.dispatch import Signal

# A chapter was created (sender=Chapter; chapter, actor): what a chapter starts with
# (meetings: the usual catalogue of themes).
chapter_created = Signal()

# A cohort went from forming to active (sender=Cohort; cohort, actor): its meetings for
# the two years are scheduled.
cohort_started = Signal()

# A cohort was closed (sender=Cohort; cohort, actor — None when beat closes it at the end
# of its two years —, alumni_ids: the ids of the memberships that became alumni with
# it): each new alumni gets their end-of-programme certificate.
cohort_closed = Signal()

"""Meetings' pages by subject: `meetings` (the schedule, topics, the vote, the agenda,
attendance, documents, the roadmap), `rsvp` (answering from the e-mail or the app),
`calendar` (the private feed). meetings/urls.py names each view by its module."""

"""URLs of meetings: a cohort's meetings and topics, the meeting page, the vote, the agenda, RSVPs,
and each person's private calendar feed."""

from django.urls import path

from meetings.views import calendar, meetings, rsvp

app_name = "meetings"
urlpatterns = [
    # RSVPs: the one-click link from the e-mail and the answer given in the app.
    path("rsvp/<str:token>/", rsvp.rsvp_from_link, name="rsvp_link"),
    path("meetings/<int:pk>/rsvp/", rsvp.rsvp_in_app, name="rsvp"),
    path("cohorts/<int:pk>/meetings/", meetings.CohortMeetingsView.as_view(), name="cohort_meetings"),
    path("cohorts/<int:pk>/topics/new/", meetings.TopicCreateView.as_view(), name="topic_create"),
    path("meetings/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/vote/<int:topic_pk>/", meetings.vote_toggle, name="vote_toggle"),
    path("meetings/<int:pk>/agenda/", meetings.AgendaView.as_view(), name="agenda"),
    path("meetings/<int:pk>/urgent/", meetings.UrgentView.as_view(), name="urgent"),
    path("meetings/<int:pk>/attendance/", meetings.AttendanceView.as_view(), name="attendance"),
    path("meetings/<int:pk>/calendar.ics", meetings.MeetingCalendarView.as_view(), name="meeting_ics"),
    path("cohorts/<int:pk>/meetings/new/", meetings.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/edit/", meetings.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", meetings.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("meetings/<int:pk>/documents/new/", meetings.DocumentCreateView.as_view(), name="document_create"),
    path(
        "meetings/<int:pk>/documents/<int:doc_pk>/",
        meetings.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        "meetings/<int:pk>/documents/<int:doc_pk>/delete/", meetings.document_delete, name="document_delete"
    ),
    path("meetings/<int:pk>/actions/", meetings.ActionItemsView.as_view(), name="action_items"),
    path("actions/<int:pk>/done/", meetings.action_item_done, name="action_item_done"),
    path("actions/<int:pk>/delete/", meetings.action_item_delete, name="action_item_delete"),
    path("my/actions/", meetings.MyActionsView.as_view(), name="my_actions"),
    # Public: the token is the credential (calendar apps fetch without a session).
    path("calendar/<slug:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]

"""URLs of meetings: a cohort's meetings and topics, the meeting page, the vote, the agenda, RSVPs,
and each person's private calendar feed."""

from django.urls import path

from meetings import urls_rsvp, views, views_calendar

app_name = "meetings"
urlpatterns: list = [*urls_rsvp.urlpatterns]
urlpatterns += [
    path("cohorts/<int:pk>/meetings/", views.CohortMeetingsView.as_view(), name="cohort_meetings"),
    path("cohorts/<int:pk>/topics/new/", views.TopicCreateView.as_view(), name="topic_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/vote/<int:topic_pk>/", views.vote_toggle, name="vote_toggle"),
    path("meetings/<int:pk>/agenda/", views.AgendaView.as_view(), name="agenda"),
    path("meetings/<int:pk>/urgent/", views.UrgentView.as_view(), name="urgent"),
    path("meetings/<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("meetings/<int:pk>/calendar.ics", views.MeetingCalendarView.as_view(), name="meeting_ics"),
    path("cohorts/<int:pk>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("meetings/<int:pk>/documents/new/", views.DocumentCreateView.as_view(), name="document_create"),
    path(
        "meetings/<int:pk>/documents/<int:doc_pk>/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path("meetings/<int:pk>/documents/<int:doc_pk>/delete/", views.document_delete, name="document_delete"),
    path("meetings/<int:pk>/actions/", views.ActionItemsView.as_view(), name="action_items"),
    path("actions/<int:pk>/done/", views.action_item_done, name="action_item_done"),
    path("actions/<int:pk>/delete/", views.action_item_delete, name="action_item_delete"),
    path("my/actions/", views.MyActionsView.as_view(), name="my_actions"),
    # Public: the token is the credential (calendar apps fetch without a session).
    path("calendar/<slug:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
]

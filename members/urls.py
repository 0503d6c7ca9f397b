from django.urls import path

from members import views

app_name = "members"

# The chapter's companies and people pages are in this namespace too, but they are
# groups' views: groups/urls.py `members_urlpatterns`, joined to these by plato/urls.py.
urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/edit/", views.ProfileUpdateView.as_view(), name="profile_update"),
    path("account/calendar/", views.CalendarFeedView.as_view(), name="calendar_feed"),
    path("account/calendar/renew/", views.calendar_feed_renew, name="calendar_feed_renew"),
]

"""URLs of RSVPs: the one-click link from the e-mail and the answer given in the app.

Included at the head of meetings/urls.py (namespace "meetings").
"""

from django.urls import path

from meetings import views_rsvp

urlpatterns = [
    path("rsvp/<str:token>/", views_rsvp.rsvp_from_link, name="rsvp_link"),
    path("meetings/<int:pk>/rsvp/", views_rsvp.rsvp_in_app, name="rsvp"),
]

"""URLs of RSVPs: the one-click link from the e-mail and the answer given in the app.

Included at the head of meetings/urls.py (namespace "meetings").
"""

urlpatterns: list = []

"""URLs of meetings (built by a later issue)."""

app_name = "meetings"
urlpatterns: list = []

"""URLs of billing (built by a later issue)."""

app_name = "billing"
urlpatterns: list = []

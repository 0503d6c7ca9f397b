"""URLs of plenaries (built by a later issue)."""

app_name = "plenaries"
urlpatterns: list = []

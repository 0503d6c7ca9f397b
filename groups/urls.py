from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("chapters/", views.ChapterListView.as_view(), name="chapter_list"),
    path("chapters/<slug:code>/", views.ChapterDetailView.as_view(), name="chapter_detail"),
    path("chapters/<slug:code>/settings/", views.ChapterUpdateView.as_view(), name="chapter_update"),
]

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from plato.views import pages as views

# The admin has no sign-in form of its own: it sends people to the app's sign-in,
# which carries the rate limits (5 failures lock an account) and TOTP.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Plato — administration"
admin.site.site_title = "Plato"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("", include("groups.urls")),
    path("", include("meetings.urls")),
    path("", include("billing.urls")),
    path("", include("plenaries.urls")),
]

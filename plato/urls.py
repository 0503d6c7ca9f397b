from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.module_loading import import_string

from plato.views import pages as views

# The admin has no sign-in form of its own: it sends people to the app's sign-in,
# which carries the rate limits (5 failures lock an account) and TOTP.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Plato — administration"
admin.site.site_title = "Plato"


def _joined(namespace: str, *dotted_paths: str):
    """One namespace from the pattern lists of several apps, named by dotted strings (the
    core imports no app): the documents app serves URLs under the `billing` and
    `plenaries` names they were born with, and a namespace included twice would reverse
    only one of its halves."""
    return include(([pattern for path in dotted_paths for pattern in import_string(path)], namespace))


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
    path("", _joined("billing", "billing.urls.urlpatterns", "documents.urls.billing_urlpatterns")),
    path("", _joined("plenaries", "plenaries.urls.urlpatterns", "documents.urls.plenary_urlpatterns")),
]

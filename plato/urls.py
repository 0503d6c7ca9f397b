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


def namespace(app_name: str, *pattern_lists: str):
    """One URL namespace served by several apps, named by dotted path like include()'s
    modules (plato imports no app): a page that moved up to the app allowed to know what
    it shows keeps its URL name and path. Django reverses a namespace through one include
    only, hence one list rather than two includes of the same name."""
    return include(([pattern for dotted in pattern_lists for pattern in import_string(dotted)], app_name))


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", namespace("members", "groups.urls.members_urlpatterns", "members.urls.urlpatterns")),
    path("", include("groups.urls")),
    path("", include("meetings.urls")),
    path("", namespace("billing", "billing.urls.urlpatterns", "documents.urls.billing_urlpatterns")),
    path("", namespace("plenaries", "plenaries.urls.urlpatterns", "documents.urls.plenary_urlpatterns")),
]

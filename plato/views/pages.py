"""Pages that belong to no single app: the home page of each role, and /healthz."""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from plato import home
from plato.health import health_report


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role lands on its own page; a person with no role yet gets a welcome page.
    What each page shows comes from the apps (plato/home.py)."""

    def get_template_names(self) -> list[str]:
        role = home.roles_of(self.request.user).primary
        return [f"plato/home_{role.value if role else 'welcome'}.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role = home.roles_of(self.request.user).primary
        home.fill_home(self.request.user, role, context)
        context["role"] = role
        return context


def _may_read_health_details(request) -> bool:
    token = settings.HEALTHZ_TOKEN
    given = request.headers.get("X-Healthz-Token") or request.GET.get("token", "")
    # Compared in constant time: the answer's timing tells nothing about the token.
    return bool(token) and constant_time_compare(given, token)


@never_cache
@require_GET
def healthz(request):
    """ok or error with the HTTP status for anyone (the container healthcheck, an uptime
    monitor); which check failed and how, for the holder of HEALTHZ_TOKEN only."""
    healthy, report = health_report()
    if not _may_read_health_details(request):
        report = {"status": report["status"]}
    return JsonResponse(report, status=200 if healthy else 503)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages without a <link rel=icon> (the admin's).
    Resolved per request: with the manifest storage the hashed name exists only
    after collectstatic, not when the URLconf is imported."""
    return HttpResponsePermanentRedirect(static("plato/img/favicon.svg"))

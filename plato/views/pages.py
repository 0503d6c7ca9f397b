"""Pages that belong to no single app: the home page of each role, and /healthz."""

import datetime

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from groups import selectors as group_selectors
from meetings import selectors as meeting_selectors
from members import selectors as member_selectors
from plato.health import health_report
from plato.roles import Role, roles_for
from plenaries import selectors as plenary_selectors
from plenaries.models import LocalNetwork, Plenary

# Members see the local networks in the last months of their two years (alumni always).
NETWORKS_BEFORE_END = datetime.timedelta(days=183)
HOME_NETWORKS = 3


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role lands on its own page; a person with no role yet gets a welcome page."""

    def get_template_names(self) -> list[str]:
        role = roles_for(self.request.user).primary
        return [f"plato/home_{role.value if role else 'welcome'}.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        roles = roles_for(user)
        role = roles.primary
        if role in (Role.ADMIN, Role.COORDINATOR):
            context["chapters"] = group_selectors.chapters_with_stats(user)
            context["recent_companies"] = member_selectors.recent_companies(user, limit=6)
        elif role == Role.FACILITATOR:
            context["chapters"] = group_selectors.chapters_with_stats(user)
            context["cohorts"] = group_selectors.cohorts_facilitated_by(user)
        elif role == Role.MEMBER:
            context["cohorts"] = group_selectors.cohorts_by_ids(roles.member_cohort_ids)
            context["open_actions"] = meeting_selectors.open_action_count(user)
            context["next_meetings"] = meeting_selectors.next_meetings_for(user)
        elif role == Role.SPONSOR:
            context["cohorts"] = group_selectors.cohorts_by_ids(roles.sponsor_cohort_ids)
            context["next_meetings"] = meeting_selectors.next_meetings_for(user)
        elif role == Role.ALUMNI:
            context["cohorts"] = group_selectors.cohorts_by_ids(roles.alumni_cohort_ids)
            context["certificates"] = group_selectors.alumni_memberships_of(user)
        if role in (Role.MEMBER, Role.SPONSOR, Role.ALUMNI):
            context["plenaries"] = list(
                plenary_selectors.with_places_held(
                    Plenary.objects.visible_to(user).upcoming().with_registration_of(user)
                )[:3]
            )
        if role == Role.ALUMNI or (role == Role.MEMBER and self._in_last_months(context["cohorts"])):
            networks = LocalNetwork.objects.visible_to(user).filter(is_listed=True).with_presentations()
            context["networks"] = list(networks.order_by("name")[:HOME_NETWORKS])
        context["role"] = role
        return context

    @staticmethod
    def _in_last_months(cohorts) -> bool:
        horizon = timezone.localdate() + NETWORKS_BEFORE_END
        return any(cohort.end_date and cohort.end_date <= horizon for cohort in cohorts)


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

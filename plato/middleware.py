from django.conf import settings
from django.shortcuts import redirect

from plato.roles import Role, roles_for


class StaffMfaMiddleware:
    """Admins and coordinators must set up TOTP before anything else (PLATO_REQUIRE_STAFF_MFA).

    They can still reach the account pages (to set it up), sign out and the health check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PLATO_REQUIRE_STAFF_MFA and self._must_set_up_totp(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_set_up_totp(request) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        if request.path.startswith(("/accounts/", "/static/", "/healthz", "/i18n/")):
            return False
        roles = roles_for(user)
        if not (roles.has(Role.ADMIN) or roles.has(Role.COORDINATOR)):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

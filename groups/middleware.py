"""Staff sign in with a second factor: who is staff is a role, and roles are groups'.

(It lived in plato/middleware.py, which imported the roles for it: the core may not.)
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from groups.roles import Role, roles_for

# Staff read the whole chapter's contact details, minutes and door lists: a stolen
# password alone must not open them.
MFA_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR)
# Always reachable: files, the health check and the language switch.
ALWAYS_OPEN = ("/static/", "/healthz", "/i18n/", "/favicon.ico")


class StaffMfaMiddleware:
    """Admins, coordinators and facilitators use TOTP in every session (PLATO_REQUIRE_STAFF_MFA).

    - Without a TOTP authenticator, they are sent to set one up and may only use the
      account pages meanwhile (to do it, and to sign out).
    - With one, the session itself must have used it: allauth records in the session
      how it was authenticated, and a session opened with the password alone (before
      the owner enrolled TOTP, say) is asked for a code first. Until then it may only
      sign out: the account pages would let a password-only session change the password
      or remove the authenticator.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PLATO_REQUIRE_STAFF_MFA:
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    @staticmethod
    def _refusal(request):
        user = request.user
        if not user.is_authenticated or request.path.startswith(ALWAYS_OPEN):
            return None
        roles = roles_for(user)
        if not any(roles.has(role) for role in MFA_ROLES):
            return None
        from allauth.account.authentication import get_authentication_records
        from allauth.mfa.models import Authenticator

        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            if request.path.startswith("/accounts/"):
                return None
            return redirect("mfa_activate_totp")
        if any(record.get("method") == "mfa" for record in get_authentication_records(request, user)):
            return None
        reauthenticate = reverse("mfa_reauthenticate")
        if request.path in (reauthenticate, reverse("account_logout")):
            request.staff_mfa_gate = True  # the page says why, and offers only the code
            return None
        return redirect(f"{reauthenticate}?{urlencode({'next': request.get_full_path()})}")

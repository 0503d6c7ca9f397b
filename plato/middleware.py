from django.conf import settings
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers

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


class FrenchFirstLocaleMiddleware:
    """French unless the user chose English with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, showing
    English to a French CCI member whose phone happens to be set to English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response

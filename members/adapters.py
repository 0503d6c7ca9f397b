import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up alone: candidates apply through the public form, and the
    chapter's coordinator creates the accounts of members, sponsors and staff."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A sensitive account change (setting up TOTP, changing the password) asks for the
        password again, unless the session signed in a moment ago (the same window allauth
        gives a reauthentication): staff are sent to set up TOTP right after signing in,
        and retyping the password they have just typed would only puzzle them."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request
        if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
            return True
        now = time.time()
        return not any(
            now - record.get("at", 0) < app_settings.REAUTHENTICATION_TIMEOUT
            for record in get_authentication_records(request, request.user)
        )

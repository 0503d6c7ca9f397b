"""What members does when something happens elsewhere (here: in allauth's two-factor app)."""

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from members import services


@receiver(post_save, sender=Authenticator)
def _authenticator_created(sender, instance, created, **kwargs):
    # Whichever way a second factor comes (the account page, the admin, a shell), the
    # sessions opened before it were opened without it: end them.
    if created:
        services.end_other_sessions(instance.user)


@receiver(post_delete, sender=Authenticator)
def _authenticator_deleted(sender, instance, **kwargs):
    services.end_other_sessions(instance.user)


@receiver(mfa_signals.authenticator_added)
def _keep_this_session_on_add(sender, request, user, authenticator, **kwargs):
    """The session that added the authenticator stays signed in. Adding TOTP means typing
    a valid code in this session, which is what signing in with it proves: recorded, so
    that staff are not asked for a second code straight away."""
    services.end_other_sessions(user, request=request)
    if authenticator.type == Authenticator.Type.TOTP:
        # allauth's own record of a completed "mfa" step (internal API: allauth keeps no
        # public one; tests/plato/test_staff_mfa.py fails if it changes).
        from allauth.account.internal.flows.login import record_authentication

        record_authentication(
            request, user, "mfa", type=authenticator.type, id=authenticator.pk, enrolled=True
        )


@receiver(mfa_signals.authenticator_removed)
def _keep_this_session_on_remove(sender, request, user, authenticator, **kwargs):
    services.end_other_sessions(user, request=request)

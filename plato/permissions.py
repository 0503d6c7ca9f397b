"""The one permission mixin every Plato view uses.

anonymous                        → redirect to sign-in
signed in without the right      → 403 (has_permission)
object outside the user's scope  → 404 (get_queryset is scoped with visible_to)
object in scope, action refused  → 403 (has_object_permission)
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied


class PlatoPermissionMixin(LoginRequiredMixin):
    """Subclasses override `has_permission` and, for object views, `has_object_permission`.

    For object views, `get_queryset` must return the user's scoped queryset
    (`Model.objects.visible_to(user)`), so that an object outside the scope is a 404.
    """

    def has_permission(self) -> bool:
        return True

    def has_object_permission(self, obj) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.has_object_permission(obj):
            raise PermissionDenied
        return obj

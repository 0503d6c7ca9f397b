"""Each user's own profile and calendar feed. (The chapter's companies and people pages
are groups': groups/views/people.py.)"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, UpdateView

from members import services
from members.forms import ProfileForm
from members.models import User
from plato.home import roles_of

# --- Own profile ----------------------------------------------------------------------


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "members/profile_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["person"] = User.objects.select_related("company", "chapter").get(pk=user.pk)
        context["staff_roles"] = user.chapter_roles.select_related("chapter").order_by("chapter__code")
        context["roles"] = roles_of(user)  # groups says who a user is (plato/home.py)
        return context


class ProfileUpdateView(LoginRequiredMixin, UpdateView):
    form_class = ProfileForm
    template_name = "members/profile_form.html"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        data = form.cleaned_data
        services.update_profile(
            self.request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            job_title=data["job_title"],
            share_email=data["share_email"],
            share_phone=data["share_phone"],
            share_job_title=data["share_job_title"],
        )
        messages.success(self.request, _("Your profile was saved."))
        return redirect("members:profile")


# --- The user's own calendar feed --------------------------------------------------------


class CalendarFeedView(LoginRequiredMixin, TemplateView):
    """The user's private feed URL, how to subscribe to it, and a way to renew it."""

    template_name = "members/calendar_feed.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feed = services.calendar_feed_for(self.request.user)
        context["feed"] = feed
        context["feed_url"] = settings.SITE_URL.rstrip("/") + feed.get_absolute_url()
        return context


@login_required
@require_POST
def calendar_feed_renew(request):
    services.renew_calendar_feed(request.user)
    messages.success(
        request,
        _("Your calendar link was renewed: the previous one no longer works. Subscribe again with this one."),
    )
    return redirect("members:calendar_feed")

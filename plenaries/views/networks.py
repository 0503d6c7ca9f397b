"""The directory of local networks: kept by each chapter's coordinators, read by the
chapter's people (alumni above all: it is where their network life goes on after Plato).

A ModelForm saves a directory entry directly: no other row changes and nothing is sent,
so a service function would only wrap `form.save()`.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from groups import permissions as group_permissions
from groups.roles import roles_for
from plato.permissions import PlatoPermissionMixin
from plenaries import permissions
from plenaries.forms import LocalNetworkForm, coordinator_chapters
from plenaries.models import LocalNetwork


class NetworkListView(PlatoPermissionMixin, ListView):
    template_name = "plenaries/network_list.html"
    context_object_name = "networks"

    def has_permission(self):
        return permissions.can_see_plenaries_and_networks(self.request.user)

    def get_queryset(self):
        return (
            LocalNetwork.objects.listed_for(self.request.user)
            .with_presentations()
            .order_by("chapter__name", "name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = roles_for(self.request.user)
        context["can_add"] = group_permissions.is_any_coordinator(self.request.user)
        context["managed_chapter_ids"] = roles.coordinator_chapter_ids
        context["show_chapter"] = len({network.chapter_id for network in context["networks"]}) > 1
        return context


class NetworkDetailView(PlatoPermissionMixin, DetailView):
    template_name = "plenaries/network_detail.html"
    context_object_name = "network"

    def has_permission(self):
        return permissions.can_see_plenaries_and_networks(self.request.user)

    def get_queryset(self):
        return LocalNetwork.objects.listed_for(self.request.user).with_presentations()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = group_permissions.is_coordinator_of(self.request.user, self.object.chapter)
        return context


class NetworkFormMixin(PlatoPermissionMixin):
    model = LocalNetwork
    form_class = LocalNetworkForm
    template_name = "plenaries/network_form.html"
    context_object_name = "network"

    def has_permission(self):
        return group_permissions.is_any_coordinator(self.request.user)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"chapters": coordinator_chapters(self.request.user)}

    def form_valid(self, form):
        network = form.save()
        messages.success(self.request, self.success_message % {"name": network.name})
        return redirect(network.get_absolute_url())


class NetworkCreateView(NetworkFormMixin, CreateView):
    success_message = _("%(name)s is in the directory.")


class NetworkUpdateView(NetworkFormMixin, UpdateView):
    def get_queryset(self):
        return LocalNetwork.objects.visible_to(self.request.user).filter(
            chapter__in=coordinator_chapters(self.request.user)
        )

    success_message = _("%(name)s is saved.")

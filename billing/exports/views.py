"""Member documents for a chapter's coordinators and admins: a member's certificate and a
cohort's directory (rendered at once), the chapter's roster (built in the background).

Outside the user's chapters → 404; inside but not a coordinator → 403.

The end-of-programme attendance certificates, once the cohort is closed: each one for the
chapter's coordinators and admins and for the alumni themself (their own only: anyone
else's is a 404, a facilitator of the chapter gets 403); the whole cohort's in one file
for the chapter's coordinators and admins.
"""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from billing.enums import ExportState
from billing.exports import documents, selectors, services
from billing.models import ExportJob
from groups.enums import CohortState
from groups.models import Cohort
from groups.permissions import is_any_coordinator, is_coordinator_of
from groups.selectors import cohort_directory
from groups.views.mixins import ChapterFromUrlMixin, CohortFromUrlMixin
from plato.http import pdf_response, private_file_response
from plato.permissions import PlatoPermissionMixin
from plato.throttle import pdf_throttled
from plato.views.actions import post_action


class _CoordinatorsOnly(PlatoPermissionMixin):
    def has_permission(self):
        return is_any_coordinator(self.request.user)


@method_decorator(pdf_throttled, name="get")
class MembershipCertificateView(_CoordinatorsOnly, View):
    def get(self, request, pk):
        membership = get_object_or_404(selectors.memberships_visible_to(request.user), pk=pk)
        chapter = membership.cohort.chapter
        if not is_coordinator_of(request.user, chapter):
            raise PermissionDenied
        pdf = documents.membership_certificate(
            membership,
            signer=selectors.certificate_signer(chapter, request.user),
            today=timezone.localdate(),
        )
        return pdf_response(pdf, documents.certificate_filename(membership))


@method_decorator(pdf_throttled, name="get")
class CohortDirectoryPdfView(_CoordinatorsOnly, CohortFromUrlMixin, View):
    cohort_permission = staticmethod(lambda user, cohort: is_coordinator_of(user, cohort.chapter))

    def get(self, request, pk):
        cohort: Cohort = self.cohort
        pdf = documents.cohort_directory(cohort, cohort_directory(cohort), today=timezone.localdate())
        return pdf_response(pdf, documents.directory_filename(cohort))


class _ChapterExportsMixin(_CoordinatorsOnly, ChapterFromUrlMixin):
    chapter_permission = staticmethod(is_coordinator_of)

    def exports_url(self) -> str:
        return reverse("billing:chapter_exports", kwargs={"code": self.chapter.code})


class ChapterExportsView(_ChapterExportsMixin, TemplateView):
    """The roster: ask for it, follow its progress, download it; the latest exports."""

    template_name = "billing/exports/chapter_exports.html"

    def get_context_data(self, **kwargs):
        jobs = selectors.export_jobs(self.chapter)
        return super().get_context_data(**kwargs) | {"jobs": jobs, "latest": jobs[0] if jobs else None}

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "retry":
            job_id = request.POST.get("job", "")
            job = (
                ExportJob.objects.filter(chapter=self.chapter, pk=job_id).first()
                if job_id.isdigit()
                else None
            )
            if job is None:
                raise Http404
            return post_action(
                request,
                lambda: services.retry_export(job, actor=request.user),
                success=_("The list of members is being built again."),
                then=self.exports_url(),
            )
        _job, created = services.request_roster(self.chapter, actor=request.user)
        if created:
            messages.success(request, _("The list of members is being built; download it once ready."))
        else:
            messages.info(request, _("A list of members is already being built: here is its progress."))
        return redirect(self.exports_url())


class ExportJobStatusView(_ChapterExportsMixin, TemplateView):
    """One export's state: the polled partial for htmx, a page of its own without JavaScript."""

    template_name = "billing/exports/export_job.html"

    @cached_property
    def job(self) -> ExportJob:
        return get_object_or_404(
            ExportJob.objects.filter(chapter=self.chapter).select_related("requested_by"),
            pk=self.kwargs["job"],
        )

    def get_template_names(self):
        if self.request.htmx:
            return ["billing/exports/_partials/export_job.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"job": self.job}


class ExportJobDownloadView(_ChapterExportsMixin, View):
    def get(self, request, *args, **kwargs):
        job = get_object_or_404(ExportJob.objects.filter(chapter=self.chapter), pk=kwargs["job"])
        if job.state != ExportState.DONE or not job.file:
            messages.info(request, _("This export is not ready yet."))
            return redirect(self.exports_url())
        try:
            file = job.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        return private_file_response(
            file,
            filename=documents.roster_filename(
                self.chapter, timezone.localtime(job.finished_at or job.created_at).date()
            ),
            content_type="application/pdf",
        )


# --- End-of-programme attendance certificates -------------------------------------------------


def _not_closed_yet(request, cohort: Cohort):
    messages.info(request, _("End-of-programme certificates are issued once the cohort is closed."))
    return redirect(cohort.get_absolute_url())


@method_decorator(pdf_throttled, name="get")
class AttendanceCertificateView(PlatoPermissionMixin, View):
    """One person's certificate: their own for an alumni, any of the chapter's for its
    coordinators and admins."""

    def get(self, request, pk):
        membership = selectors.memberships_with_certificate(request.user).filter(pk=pk).first()
        if membership is None:
            # In the staff's scope: a coordinator asking before the closing is told why; a
            # facilitator is refused. Anyone else's certificate does not exist for them.
            in_scope = selectors.memberships_visible_to(request.user).filter(pk=pk).first()
            if in_scope is None:
                raise Http404
            if not is_coordinator_of(request.user, in_scope.cohort.chapter):
                raise PermissionDenied
            return _not_closed_yet(request, in_scope.cohort)
        record = selectors.attendance_record(membership)
        pdf = documents.attendance_certificate(
            record,
            signer=selectors.certificate_signer(membership.cohort.chapter, request.user),
            today=timezone.localdate(),
        )
        return pdf_response(pdf, documents.attendance_certificate_filename(membership))


@method_decorator(pdf_throttled, name="get")
class CohortAttendanceCertificatesView(_CoordinatorsOnly, CohortFromUrlMixin, View):
    """Every member's certificate of a closed cohort, one page each (those who left too,
    counted over their own time)."""

    cohort_permission = staticmethod(lambda user, cohort: is_coordinator_of(user, cohort.chapter))

    def get(self, request, pk):
        cohort: Cohort = self.cohort
        if cohort.state != CohortState.CLOSED:
            return _not_closed_yet(request, cohort)
        records = selectors.attendance_records(cohort)
        if not records:
            messages.info(request, _("This cohort had no member: there is no certificate to issue."))
            return redirect(cohort.get_absolute_url())
        pdf = documents.cohort_attendance_certificates(
            records,
            signer=selectors.certificate_signer(cohort.chapter, request.user),
            today=timezone.localdate(),
        )
        return pdf_response(pdf, documents.cohort_attendance_certificates_filename(cohort))

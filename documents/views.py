"""The documents' pages and files.

Member documents for a chapter's coordinators and admins: a member's certificate and a
cohort's directory (rendered at once), the chapter's roster (built in the background).
Outside the user's chapters → 404; inside but not a coordinator → 403.

The end-of-programme attendance certificates, once the cohort is closed: each one for the
chapter's coordinators and admins and for the alumni themself (their own only: anyone
else's is a 404, a facilitator of the chapter gets 403); the whole cohort's in one file
for the chapter's coordinators and admins.

A plenary's exports: the attendee list (PDF and CSV) and the name badges (PDF). Outside
the user's plenaries → 404; visible but not allowed → 403. The attendee list PDF is for
the welcome desk: the managers and the facilitators who run the door (they see the same
names on the door page), everyone's. The CSV (with e-mail addresses) and the badges are
the managers' (the organising chapter's coordinators, admins). A regional plenary's other
chapters' coordinators get all three with their own chapter's people only.

The URLs keep the names they had in billing's and plenaries' namespaces (documents/urls.py).
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

from documents import member_documents, plenary_documents, selectors, services
from documents.enums import ExportState
from documents.models import ExportJob
from groups.enums import CohortState
from groups.models import Cohort
from groups.permissions import is_any_coordinator, is_coordinator_of
from groups.selectors import cohort_directory
from groups.views.mixins import ChapterFromUrlMixin, CohortFromUrlMixin
from plato.csv import csv_response
from plato.http import pdf_response, private_file_response
from plato.permissions import PlatoPermissionMixin
from plato.throttle import pdf_throttled
from plato.views.actions import post_action
from plenaries import permissions as plenary_permissions
from plenaries.views.plenaries import _PlenaryMixin, _RegistrationsMixin


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
        pdf = member_documents.membership_certificate(
            membership,
            signer=selectors.certificate_signer(chapter, request.user),
            today=timezone.localdate(),
        )
        return pdf_response(pdf, member_documents.certificate_filename(membership))


@method_decorator(pdf_throttled, name="get")
class CohortDirectoryPdfView(_CoordinatorsOnly, CohortFromUrlMixin, View):
    cohort_permission = staticmethod(lambda user, cohort: is_coordinator_of(user, cohort.chapter))

    def get(self, request, pk):
        cohort: Cohort = self.cohort
        pdf = member_documents.cohort_directory(cohort, cohort_directory(cohort), today=timezone.localdate())
        return pdf_response(pdf, member_documents.directory_filename(cohort))


class _ChapterExportsMixin(_CoordinatorsOnly, ChapterFromUrlMixin):
    chapter_permission = staticmethod(is_coordinator_of)

    def exports_url(self) -> str:
        return reverse("billing:chapter_exports", kwargs={"code": self.chapter.code})


class ChapterExportsView(_ChapterExportsMixin, TemplateView):
    """The roster: ask for it, follow its progress, download it; the latest exports."""

    template_name = "documents/chapter_exports.html"

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

    template_name = "documents/export_job.html"

    @cached_property
    def job(self) -> ExportJob:
        return get_object_or_404(
            ExportJob.objects.filter(chapter=self.chapter).select_related("requested_by"),
            pk=self.kwargs["job"],
        )

    def get_template_names(self):
        if self.request.htmx:
            return ["documents/_partials/export_job.html"]
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
            filename=member_documents.roster_filename(
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
        pdf = member_documents.attendance_certificate(
            record,
            signer=selectors.certificate_signer(membership.cohort.chapter, request.user),
            today=timezone.localdate(),
        )
        return pdf_response(pdf, member_documents.attendance_certificate_filename(membership))


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
        pdf = member_documents.cohort_attendance_certificates(
            records,
            signer=selectors.certificate_signer(cohort.chapter, request.user),
            today=timezone.localdate(),
        )
        return pdf_response(pdf, member_documents.cohort_attendance_certificates_filename(cohort))


# --- A plenary's exports ----------------------------------------------------------------------


@method_decorator(pdf_throttled, name="get")
class AttendeesPdfView(_PlenaryMixin, View):
    plenary_permission = staticmethod(plenary_permissions.can_read_attendee_list)

    def get(self, request, pk):
        chapter_ids = plenary_permissions.attendee_list_chapter_ids(request.user, self.plenary)
        pdf = plenary_documents.attendees_pdf(
            self.plenary, today=timezone.localdate(), chapter_ids=chapter_ids
        )
        return pdf_response(pdf, plenary_documents.attendees_pdf_filename(self.plenary))


class AttendeesCsvView(_RegistrationsMixin, View):
    def get(self, request, pk):
        header, rows = plenary_documents.attendees_table(self.plenary, self.chapter_ids)
        return csv_response(header, rows, filename=plenary_documents.attendees_csv_filename(self.plenary))


@method_decorator(pdf_throttled, name="get")
class BadgesPdfView(_RegistrationsMixin, View):
    def get(self, request, pk):
        pdf = plenary_documents.badges_pdf(
            self.plenary, today=timezone.localdate(), chapter_ids=self.chapter_ids
        )
        return pdf_response(pdf, plenary_documents.badges_filename(self.plenary))

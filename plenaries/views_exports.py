"""A plenary's exports: the attendee list (PDF and CSV) and the name badges (PDF).

Outside the user's plenaries → 404; visible but not allowed → 403. The attendee list PDF
is for the welcome desk: the managers and the facilitators who run the door (they see the
same names on the door page). The CSV (with e-mail addresses) and the badges are the
managers' (the chapter's coordinators; a regional plenary's: the region's; admins).
"""

from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View

from plato.csv import csv_response
from plato.http import pdf_response
from plato.throttle import pdf_throttled
from plenaries import exports, permissions
from plenaries.views import _ManageMixin, _PlenaryMixin


@method_decorator(pdf_throttled, name="get")
class AttendeesPdfView(_PlenaryMixin, View):
    plenary_permission = staticmethod(permissions.can_run_door)

    def get(self, request, pk):
        pdf = exports.attendees_pdf(self.plenary, today=timezone.localdate())
        return pdf_response(pdf, exports.attendees_pdf_filename(self.plenary))


class AttendeesCsvView(_ManageMixin, View):
    def get(self, request, pk):
        header, rows = exports.attendees_table(self.plenary)
        return csv_response(header, rows, filename=exports.attendees_csv_filename(self.plenary))


@method_decorator(pdf_throttled, name="get")
class BadgesPdfView(_ManageMixin, View):
    def get(self, request, pk):
        pdf = exports.badges_pdf(self.plenary, today=timezone.localdate())
        return pdf_response(pdf, exports.badges_filename(self.plenary))

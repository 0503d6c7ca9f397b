"""A plenary's exports: the attendee list (PDF and CSV) and the name badges (PDF).

Outside the user's plenaries → 404; visible but not allowed → 403. The attendee list PDF
is for the welcome desk: the managers and the facilitators who run the door (they see the
same names on the door page), everyone's. The CSV (with e-mail addresses) and the badges
are the managers' (the organising chapter's coordinators, admins). A regional plenary's
other chapters' coordinators get all three with their own chapter's people only.
"""

from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View

from plato.csv import csv_response
from plato.http import pdf_response
from plato.throttle import pdf_throttled
from plenaries import exports, permissions
from plenaries.views.plenaries import _PlenaryMixin, _RegistrationsMixin


@method_decorator(pdf_throttled, name="get")
class AttendeesPdfView(_PlenaryMixin, View):
    plenary_permission = staticmethod(permissions.can_read_attendee_list)

    def get(self, request, pk):
        chapter_ids = permissions.attendee_list_chapter_ids(request.user, self.plenary)
        pdf = exports.attendees_pdf(self.plenary, today=timezone.localdate(), chapter_ids=chapter_ids)
        return pdf_response(pdf, exports.attendees_pdf_filename(self.plenary))


class AttendeesCsvView(_RegistrationsMixin, View):
    def get(self, request, pk):
        header, rows = exports.attendees_table(self.plenary, self.chapter_ids)
        return csv_response(header, rows, filename=exports.attendees_csv_filename(self.plenary))


@method_decorator(pdf_throttled, name="get")
class BadgesPdfView(_RegistrationsMixin, View):
    def get(self, request, pk):
        pdf = exports.badges_pdf(self.plenary, today=timezone.localdate(), chapter_ids=self.chapter_ids)
        return pdf_response(pdf, exports.badges_filename(self.plenary))

"""The e-mails documents sends, each once, through the outbox (plato.outbox): an alumni's
end-of-programme certificate, attached as a PDF, when their cohort closes.

`documents.services.plan_certificate_emails` writes one `CertificateDelivery` row per new
alumni in the closing's transaction; `CertificateHandler` renders the certificate and
sends it. A failure leaves the row unsent (attempts counted) for the task's retry, then
for the outbox's sweep, up to `max_attempts` tries.
"""

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents import member_documents, selectors
from documents.models import CertificateDelivery
from plato.emails import Attachment
from plato.outbox import Handler, NotDue
from plato.pdf import LANGUAGE


class CertificateHandler(Handler):
    model = CertificateDelivery
    # The name beat and the queued messages knew before the documents app: kept.
    task_name = "billing.send_attendance_certificate"
    message_kind = "attendance-certificate"
    related = ("membership__cohort__chapter", "membership__person", "membership__company")
    not_due = NotDue.CLOSE
    max_attempts = 8
    give_up_after = datetime.timedelta(days=30)

    def recipient(self, delivery: CertificateDelivery):
        return delivery.membership.person

    def build(self, delivery: CertificateDelivery, now: datetime.datetime):
        membership = delivery.membership
        record = selectors.attendance_record(membership)
        pdf = member_documents.attendance_certificate(
            record,
            signer=selectors.certificate_signer(membership.cohort.chapter, None),
            today=timezone.localdate(),
        )
        with translation.override(LANGUAGE):
            subject = _("Your end-of-programme certificate — %(cohort)s") % {"cohort": membership.cohort.name}
        context = {
            "record": record,
            "membership": membership,
            "person": membership.person,
            "cohort": membership.cohort,
            "chapter": membership.cohort.chapter,
        }
        filename = member_documents.attendance_certificate_filename(membership)
        attachment = Attachment(filename, pdf, "application/pdf")
        return self.email(
            delivery,
            "documents/attendance_certificate",
            context,
            subject=subject,
            language=LANGUAGE,
            attachments=(attachment,),
        )


send_attendance_certificate = CertificateHandler.task

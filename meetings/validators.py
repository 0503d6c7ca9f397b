"""Validators shared by models and forms: what a meeting document may be."""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

DOCUMENT_MAX_SIZE = 10 * 1024 * 1024  # 10 MB: a slide deck or a scanned report, not a video
DOCUMENT_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "odt",
    "xls",
    "xlsx",
    "ods",
    "ppt",
    "pptx",
    "odp",
    "png",
    "jpg",
    "jpeg",
    "txt",
    "csv",
]

validate_document_extension = FileExtensionValidator(
    allowed_extensions=DOCUMENT_EXTENSIONS,
    message=_(
        "A file of type “%(extension)s” cannot be shared here. Accepted: PDF, office documents "
        "(Word, Excel, PowerPoint, LibreOffice), images (PNG, JPEG), text and CSV."
    ),
)


def validate_document_size(file) -> None:
    if file.size > DOCUMENT_MAX_SIZE:
        raise ValidationError(
            _("This file weighs %(size)s; a document may weigh up to %(limit)d MB."),
            code="document_too_large",
            params={"size": filesizeformat(file.size), "limit": DOCUMENT_MAX_SIZE // (1024 * 1024)},
        )

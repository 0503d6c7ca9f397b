"""The one way Plato prints a PDF: WeasyPrint, in French, from a template, local files only.

Every document (invoices and credit notes, certificates, directories, rosters, attendee
lists, name badges) is a template extending templates/plato/pdf_base.html, which links
the print stylesheet static/plato/css/print.css (A4, DejaVu Sans, the running footer and
page number) and, after it, whatever sheet of its own the document names.

What WeasyPrint may read: `data:` URIs and files inside the project (the stylesheets,
the logo), nothing over the network, nothing elsewhere on the disk. A resource it cannot
read (a stylesheet gone from the static files, a file outside the project) fails the
rendering, rather than giving an unstyled document or one that quietly lacks a part.
The fonts are the system's (fontconfig): DejaVu Sans, the one family the production
image installs, so a document is laid out the same (same pages) on every machine.

WeasyPrint is imported when a document is laid out, not with this module: it parses
its own stylesheets on import, which every process loading the URLs would pay for.
"""

import datetime
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import formats, translation

if TYPE_CHECKING:
    import weasyprint
    from weasyprint import Document  # the type the documents' builders pass around

LANGUAGE = "fr"  # what a French CCI prints, whatever language its staff browses in
PRINT_STYLESHEET = "plato/css/print.css"
LOGO = "plato/img/logo.svg"


class PdfResourceError(RuntimeError):
    """A file the document links could not be read: the rendering stops."""


def long_date(day: datetime.date) -> str:
    """« 2 septembre 2025 », « 1er septembre 2025 »: the date as written in a letter."""
    with translation.override(LANGUAGE):
        text = formats.date_format(day, "j F Y")
    if day.day == 1:
        text = f"1er{text[1:]}"
    return text.replace(" ", "\u00a0")  # a date never breaks across two lines


@cache
def static_uri(path: str) -> str:
    """The `file:` URI of a static file the documents link (a stylesheet, the logo)."""
    found = finders.find(path)
    if not found:
        raise ImproperlyConfigured(f"{path} is missing from the static files: no document can be printed.")
    return Path(found).resolve().as_uri()


def render_html(template: str, context: dict) -> str:
    """The document as HTML for print, in French, with the print stylesheet and the logo."""
    context = {"print_css": static_uri(PRINT_STYLESHEET), "logo_uri": static_uri(LOGO), **context}
    with translation.override(LANGUAGE):
        return render_to_string(template, context)


def _project_files_only(url: str) -> None:
    """Refuse a `file:` URL outside the project (an absolute path slipped into a document)."""
    if urlsplit(url).scheme != "file":
        return
    path = Path(unquote(urlsplit(url).path)).resolve()
    if not path.is_relative_to(Path(settings.BASE_DIR).resolve()):
        raise ValueError(f"Not a file of the project: {url}")


def _fetcher() -> "weasyprint.URLFetcher":
    import weasyprint

    class ProjectFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            _project_files_only(url)
            return super().fetch(url, headers)

    # No http(s): nothing a document shows is ever fetched over the network. A resource
    # refused or unreadable stops the rendering (fail_on_errors).
    return ProjectFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


def layout(html: str) -> "Document":
    """The laid-out pages, ready for `write_pdf` (or to be joined to others' pages)."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    try:
        return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_fetcher()).render()
    except FatalURLFetchingError as error:
        # WeasyPrint's own error is a BaseException: callers that catch Exception (an
        # export recording its failure, a view answering 500) would miss it.
        raise PdfResourceError(str(error)) from error


def render(template: str, context: dict) -> "Document":
    """`template` rendered in French and laid out: `.write_pdf()` gives the bytes."""
    return layout(render_html(template, context))


def join(documents: Iterable["Document"]) -> "Document":
    """One document of the pages of several, in order (each laid out on its own)."""
    documents = list(documents)
    return documents[0].copy([page for document in documents for page in document.pages])

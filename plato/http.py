"""Every personal file the app serves goes out through `private_file_response`.

Invoices, certificates, directories, attendee lists and badges, exports, meeting
documents, calendar files and feeds, CSV lists: each one names people, so no shared
cache (a company proxy, a CDN) may keep a copy, and the browser must not store it on
disk either: `Cache-Control: private, no-store`. The walk over every URL and role in
tests/plato/test_files.py checks that every file response carries it, so a new file
view that builds its own response fails there.
"""

import mimetypes

from django.http import FileResponse, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

PRIVATE_NO_STORE = "private, no-store"


def keep_private(response: HttpResponse) -> HttpResponse:
    """No cache anywhere, browser included (an earlier max-age or public is dropped)."""
    response.headers.pop("Cache-Control", None)
    patch_cache_control(response, private=True, no_store=True)
    return response


def private_file_response(
    content, *, filename: str, content_type: str | None = None, inline: bool = False
) -> HttpResponse:
    """A personal file: `content` is bytes or text (rendered in the request) or an open
    binary file (from storage, streamed and closed by Django). Without `content_type`, it
    is guessed from the file name. `inline` shows it in the browser or the calendar app
    instead of downloading it."""
    if content_type is None:
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = HttpResponse(content, content_type=content_type)
    # Django's header escapes quotes and writes non-ASCII names as RFC 5987 filename*.
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return keep_private(response)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF rendered in the request (a certificate, a directory, an attendee list)."""
    return private_file_response(content, filename=filename, content_type="application/pdf")

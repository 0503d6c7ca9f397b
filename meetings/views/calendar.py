"""A person's private calendar feed: their meetings, for Google, Outlook or Apple Calendar.

Calendar apps fetch it on their own, without a session: the secret token in the URL is
the credential (members.models.CalendarFeed). An unknown or renewed token, or a
deactivated person, gets a plain 404 that says nothing about why.
"""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from meetings import selectors
from meetings.calendar import calendar_bytes
from members.selectors import calendar_feed_owner
from plato.http import private_file_response


@require_safe
def calendar_feed(request, token: str):
    owner = calendar_feed_owner(token)
    if owner is None:
        raise Http404
    meetings = selectors.calendar_feed_meetings(owner)
    # The calendar servers that fetch the feed send no language cookie: the events are
    # written in the site's language, the same for every fetch.
    with translation.override(settings.LANGUAGE_CODE):
        name = _("Plato — %(name)s") % {"name": owner.get_full_name() or owner.email}
        body = calendar_bytes(meetings, name=name)
    # Private and never stored, as every personal file: a shared cache between the
    # calendar server and the app would keep people's meetings under a guessable key.
    response = private_file_response(
        body, filename="plato.ics", content_type="text/calendar; charset=utf-8", inline=True
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

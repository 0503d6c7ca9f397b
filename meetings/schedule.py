"""A cohort's calendar as arithmetic, with no database: one morning a month on the
chapter's weekday and rank (the 2nd Tuesday…), off the months off and the French public
holidays, and each meeting's vote window. meetings.services.planning writes the meetings."""

import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings

if TYPE_CHECKING:
    from groups.models import Chapter

FIRST_VOTE_DAYS = 28  # the first meeting has no previous one: its vote opens four weeks before it closes


def local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    while day.month != month:  # a 5th weekday that does not exist: the last one
        day -= datetime.timedelta(days=7)
    return day


def meeting_days(chapter: "Chapter", start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """One morning a month from `start` to `end`: the same weekday and rank in the month as
    the first meeting (the 2nd Tuesday…), never in a month off, moved a week off a public holiday."""
    import holidays  # its calendars are loaded by the first schedule, not by every process

    nth = (start.day - 1) // 7 + 1
    french_holidays = holidays.country_holidays("FR", years=range(start.year, end.year + 2))
    months_off = set(chapter.months_off or [])
    days, year, month = [], start.year, start.month
    while True:
        if month not in months_off:
            day = _nth_weekday(year, month, chapter.meeting_weekday, nth)
            for shift in (7, -7, 14, -14):
                if day not in french_holidays:
                    break
                moved = day + datetime.timedelta(days=shift)
                if moved.month == month and moved not in french_holidays:
                    day = moved
                    break
            if day > end:
                break
            if day >= start and day not in french_holidays:
                days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if datetime.date(year, month, 1) > end:
            break
    return days


def vote_window(
    chapter: "Chapter", starts_at: datetime.datetime, previous_ends_at: datetime.datetime | None
) -> tuple[datetime.datetime, datetime.datetime]:
    """Opens when the previous meeting ends, closes `vote_close_days` before this one."""
    closes_at = starts_at - datetime.timedelta(days=chapter.vote_close_days)
    if closes_at >= starts_at:
        closes_at = starts_at - datetime.timedelta(hours=1)
    opens_at = previous_ends_at or closes_at - datetime.timedelta(days=FIRST_VOTE_DAYS)
    if opens_at >= closes_at:  # meetings closer than the closing delay: a one-day vote
        opens_at = closes_at - datetime.timedelta(days=1)
    return opens_at, closes_at

"""Dates the factories start from: days from today, at a given hour of the local time."""

import datetime

from django.utils import timezone


def _in_days(days: int, hour: int = 8) -> datetime.datetime:
    today = timezone.localdate()
    day = today + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 30), tzinfo=timezone.get_current_timezone())

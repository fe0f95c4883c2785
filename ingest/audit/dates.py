"""When a request is due and when it is overdue.

A member asked for their record has two calendar months from the day of the request. dateutil's relativedelta
adds calendar months and keeps the day where the month has it, else takes the month's last day: 31 December
+ 2 months is 28 February (29 in a leap year), 30 June is 30 August, 31 August is 31 October. A request is
overdue from the day after its due date: on the due date itself it is still on time.
"""
from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

__all__ = ["MONTHS_TO_RETURN", "due_date", "is_overdue", "days_left"]

MONTHS_TO_RETURN = 2


def due_date(requested_on: dt.date) -> dt.date:
    """The last day the record may be returned on: two calendar months after the request, end-of-month aware."""
    return requested_on + relativedelta(months=MONTHS_TO_RETURN)


def is_overdue(due_on: dt.date, today: dt.date) -> bool:
    """True from the day after the due date."""
    return today > due_on


def days_left(due_on: dt.date, today: dt.date) -> int:
    """Days until the due date (0 on it, negative once past)."""
    return (due_on - today).days

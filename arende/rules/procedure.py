"""The committee's procedure after a meeting, by the Local Government Act (KL) and the
law on time reckoning (Lag 1930:173). Pure: dates in, dates out.

- Justering (KL 5:69, 6:35): at the latest 14 days after the meeting. The 14 days are a
  maximum set by law: a local rule may shorten them, never lengthen them.
- Anslag (KL 8:12): the notice goes up at the latest on the second day after justering.
  A notice posted later is still valid: it is recorded and flagged, never refused.
- Appeal (KL 13:5): three weeks from the day the notice was posted.
"""

from __future__ import annotations

import datetime as dt

from arende.rules.legalcalendar import add_period, deadline

JUSTERING_MAX_DAYS = 14


def justering_due(meeting_on: dt.date, days: int = JUSTERING_MAX_DAYS) -> dt.date:
    if not 1 <= days <= JUSTERING_MAX_DAYS:
        raise ValueError(f"justering within {days} days: the law allows at most {JUSTERING_MAX_DAYS}")
    return deadline(meeting_on, days=days)


def anslag_latest(justerad_on: dt.date) -> dt.date:
    """KL 8:12: the notice goes up at the latest on the second day after justering."""
    return deadline(justerad_on, days=2)


def anslag_is_late(justerad_on: dt.date, posted_on: dt.date) -> bool:
    return posted_on > anslag_latest(justerad_on)


def appeal_ends(posted_on: dt.date) -> dt.date:
    """KL 13:5: three weeks from the day the notice was posted, by Lag 1930:173."""
    return deadline(posted_on, weeks=3)


def notice_taken_down(posted_on: dt.date) -> dt.date:
    """The notice stays up until the appeal period has run out: the day after."""
    return add_period(appeal_ends(posted_on), days=1)

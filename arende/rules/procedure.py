"""The committee's procedure after a meeting, by the Local Government Act (KL) and the
law on time reckoning (Lag 1930:173). Pure: dates in, dates out.

- Justering (KL 5:69, 6:35): at the latest 14 days after the meeting. The 14 days are a
  maximum set by law: a local rule may shorten them, never lengthen them.
- Anslag (KL 8:12): the notice goes up at the latest on the second day after justering.
  A notice posted later is still valid: it is recorded and flagged, never refused.
- Appeal, by the kind of decision:
  - none (KL 13:2): a decision of a preparatory or executive kind (a remissyttrande to
    another organ, a proposal to fullmäktige) cannot be appealed;
  - laglighetsprövning (KL 13:5): three weeks from the day the notice was posted;
  - förvaltningsbesvär (FL 40–44 §§): an individual decision under special law (e.g.
    försörjningsstöd, SoL 16:3), also when delegated, is appealed by the party within
    three weeks from the day the party was notified of it, to the authority that made it.
"""

from __future__ import annotations

import datetime as dt
import enum

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


class AppealRoute(str, enum.Enum):
    NONE = "none"
    LAGLIGHETSPROVNING = "laglighetsprovning"
    FORVALTNINGSBESVAR = "forvaltningsbesvar"


def appeal_ends_after_notification(notified_on: dt.date) -> dt.date:
    """FL 44 §: three weeks from the day the party was notified, by Lag 1930:173."""
    return deadline(notified_on, weeks=3)


LAGLIGHETSPROVNING_SV = (
    "Beslut kan överklagas genom laglighetsprövning enligt 13 kap. 5 § kommunallagen. Överklagandet ska ha "
    "kommit in till förvaltningsrätten inom tre veckor från den dag då justeringen av protokollet "
    "tillkännagavs på kommunens anslagstavla"
)
NOT_APPEALABLE_SV = (
    "Beslutet är av beredande eller verkställande art och kan inte överklagas (13 kap. 2 § kommunallagen)."
)


def appeal_sentence_sv(route: AppealRoute, *, organ: str, ends_long: str) -> str:
    """What an extract says of how its decision is appealed. `ends_long` is the last day
    of a laglighetsprövning ('' before the notice is posted: then nothing is said of it)."""
    if route is AppealRoute.NONE:
        return NOT_APPEALABLE_SV
    if route is AppealRoute.FORVALTNINGSBESVAR:
        return (
            "Beslutet kan överklagas genom förvaltningsbesvär enligt 40–44 §§ förvaltningslagen. Överklagandet "
            f"ska ha kommit in till {organ} inom tre veckor från den dag då den som överklagar fick del av beslutet."
        )
    return f"{LAGLIGHETSPROVNING_SV}, det vill säga senast {ends_long}." if ends_long else ""

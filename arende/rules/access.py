"""Who may do what on the web page: five roles, and for each the commands of the
vocabulary it may give and whether it sees what is secret.

Pure: the standard library only, strict under mypy. The web page asks `may(role, verb)`
before it builds a command; the command line is run by the operator and is not asked.
"""

from __future__ import annotations

import enum


class WebRole(str, enum.Enum):
    LASARE = "lasare"
    HANDLAGGARE = "handlaggare"
    REGISTRATOR = "registrator"
    SEKRETERARE = "sekreterare"
    ADMINISTRATOR = "administrator"


ROLE_LABELS_SV: dict[WebRole, str] = {
    WebRole.LASARE: "Läsare",
    WebRole.HANDLAGGARE: "Handläggare",
    WebRole.REGISTRATOR: "Registrator",
    WebRole.SEKRETERARE: "Nämndsekreterare",
    WebRole.ADMINISTRATOR: "Administratör",
}

# The officer's work on an errand of their own.
_CASEWORK = frozenset(
    {
        "draft",
        "fsg",
        "document add",
        "iop evaluate",
        "iop terms",
        "annual-report figures",
        "donation import",
        "donation allocate",
        "donation adjust",
        "delegation decision",
    }
)
# The registry: new errands, their handlings, the officer, what is reported to the meeting.
_REGISTRY = frozenset(
    {"start", "assign", "document add", "iop notice", "anmalan add", "delegation decision", "extract"}
)
# The meeting, from the plan to the notice.
_MEETING = frozenset(
    {
        "extract",
        "decide",
        "justera",
        "anslag",
        "meeting plan",
        "meeting cancel",
        "member add",
        "meeting agenda",
        "meeting item",
        "meeting move",
        "meeting kallelse",
        "meeting attendance",
        "meeting paragraph",
        "meeting entry",
        "meeting vote",
        "meeting correct",
        "delegation point",
    }
)
# Only the administrator: they change what every errand relies on, or erase.
_ADMINISTRATION = frozenset({"donation erase", "diary-continue", "users", "templates", "organs"})

_MAY: dict[WebRole, frozenset[str]] = {
    WebRole.LASARE: frozenset(),
    WebRole.HANDLAGGARE: _CASEWORK,
    WebRole.REGISTRATOR: _REGISTRY,
    # The secretary of a small committee registers, drafts and runs the meeting alike.
    WebRole.SEKRETERARE: _CASEWORK | _REGISTRY | _MEETING,
    WebRole.ADMINISTRATOR: _CASEWORK | _REGISTRY | _MEETING | _ADMINISTRATION,
}


def may(role: WebRole, verb: str) -> bool:
    """Whether `role` may give the command `verb` ("meeting paragraph"; "start" for any
    errand type's registration; "extract" for a protocol extract; "users", "templates",
    "organs" for the administration)."""
    return verb in _MAY[role]


def sees_secrets(role: WebRole, *, own_errand: bool) -> bool:
    """Secret handlings (OSL) and donation applicants' data: the registry, the secretary
    and the administrator; an officer on the errands assigned to them; never a reader."""
    if role in (WebRole.REGISTRATOR, WebRole.SEKRETERARE, WebRole.ADMINISTRATOR):
        return True
    return role is WebRole.HANDLAGGARE and own_errand

"""A meeting as the secretary runs it: N drafted errands (the documents benchmark's,
set up, not timed), then timed:
the meeting planned, M members seated, the föredragningslista built, the kallelse
rendered and queued, the närvaro and a § per item recorded, justering and anslag, the
protokoll and N extracts rendered. Against it: the same documents (kallelse, protokoll,
N extracts) rendered with bare docxtpl from the same contexts.

Run: .venv/bin/python bench/meeting.py [--items 60 --members 15]
Goal (issue 13): under 5 s, and at most 1.3 times the bare docxtpl renders.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from documents import build_meeting  # noqa: E402

from common import emit, fresh_database  # noqa: E402

D = dt.date.fromisoformat
DAY = D("2022-02-15")


def hold_meeting(dnrs: list[str], members: int) -> dict[str, float]:
    """Everything the secretary does for the meeting, each step in its own transaction
    as the commands run it; the seconds per phase."""
    from arende.rules.workflow import Presence, Role
    from arende.services.common import get_errand
    from arende.services.documents import protocol_extract
    from arende.services.meeting import agenda, attendance, kallelse, papers, plan, proceedings, signing
    from arende.services.meeting import members as seats
    from db.session import session_scope

    times: dict[str, float] = {}
    names = [f"Ledamot {i:02d}" for i in range(members)]
    start = time.perf_counter()
    with session_scope() as s:
        plan.plan_meeting(s, "ALN", DAY, starts_at=dt.time(13, 15), place="Sessionssalen")
        for i, name in enumerate(names):
            role = Role.ORDFORANDE if i == 0 else Role.LEDAMOT
            seats.add_member(s, "ALN", name, role=role, valid_from=D("2019-01-01"), email=f"l{i}@example.org")
    with session_scope() as s:
        agenda.build_agenda(s, plan.find_meeting(s, "ALN", DAY, lock=True))
    times["plan_and_agenda"] = time.perf_counter() - start

    start = time.perf_counter()
    with session_scope() as s:
        kallelse.send_kallelse(s, "ALN", DAY, on=D("2022-02-08"))
    times["kallelse"] = time.perf_counter() - start

    start = time.perf_counter()
    with session_scope() as s:
        attendance.record_attendance(s, "ALN", DAY, [attendance.Present(n, Presence.LEDAMOT) for n in names])
    for position in range(1, len(dnrs) + 1):
        with session_scope() as s:
            proceedings.record_item(s, "ALN", DAY, position)
    with session_scope() as s:
        signing.record_justering(s, "ALN", DAY, justerad_on=D("2022-02-18"), chair=names[0], justerare=[names[1]])
    with session_scope() as s:
        signing.record_anslag(s, "ALN", DAY, posted_on=D("2022-02-21"))
    times["record"] = time.perf_counter() - start

    start = time.perf_counter()
    with session_scope() as s:
        papers.write_protocol(s, "ALN", DAY, on=D("2022-02-21"))
    times["protokoll"] = time.perf_counter() - start

    start = time.perf_counter()
    for dnr in dnrs:
        with session_scope() as s:
            protocol_extract(s, get_errand(s, dnr, lock=True))
    times["extracts"] = time.perf_counter() - start
    return times


def bare_renders(dnrs: list[str]) -> float:
    """The same documents from the same contexts with bare docxtpl."""
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    from arende.documents import template_path
    from arende.services.common import decision_of, get_errand
    from arende.services.documents import extract_context, letterhead
    from arende.services.meeting import papers, plan
    from db.models import Report
    from db.session import session_scope

    with session_scope() as s:
        meeting = plan.find_meeting(s, "ALN", DAY)
        # The same contexts as ours, the letterhead included.
        contexts = [
            ("kallelse", {"head": letterhead(meeting.organ, "kallelse", on=DAY)} | papers.kallelse_context(s, meeting)),
            (
                "protokoll",
                {"head": letterhead(meeting.organ, "protokoll", on=DAY)} | papers.protocol_context(s, meeting),
            ),
        ]
        for dnr in dnrs:
            errand = get_errand(s, dnr)
            report = s.get(Report, errand.id)
            head = letterhead(errand.organ, "protokollsutdrag", on=DAY, dnr=errand.dnr, officer=errand.officer)
            context = extract_context(s, errand, report, decision_of(s, errand.id))
            contexts.append(("protokollsutdrag", {"head": head} | context))
    start = time.perf_counter()
    for kind, context in contexts:
        tpl = DocxTemplate(template_path(kind))
        tpl.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
        tpl.save(io.BytesIO())
    return time.perf_counter() - start


def _warm_up() -> None:
    """Import docx, docxtpl and jinja2 and read the templates once, untimed, as the bare
    renders after us find them: the comparison is of the work, not of first imports."""
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    from arende.documents import template_path

    for kind in ("kallelse", "protokoll", "protokollsutdrag"):
        DocxTemplate(template_path(kind)).render(
            {"p": {}, "head": {}}, jinja_env=SandboxedEnvironment(), autoescape=True
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--members", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, fresh_database("sqlite", Path(tmp)):
        dnrs = build_meeting(args.items, decide=False)  # drafted, waiting for the meeting
        _warm_up()
        times = hold_meeting(dnrs, args.members)
        bare = bare_renders(dnrs)
    total = sum(times.values())
    params = {"items": args.items, "members": args.members}
    for phase, seconds in times.items():
        emit(f"meeting.{phase}", seconds, "s", **params)
    emit("meeting.total", total, "s", path="plan, members, agenda, kallelse, record, protokoll, extracts", **params)
    emit("meeting.bare_docxtpl", bare, "s", documents=args.items + 2, **params)
    emit("meeting.ratio", total / bare, "ratio", **params)


if __name__ == "__main__":
    main()

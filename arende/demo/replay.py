"""The demo's replay machinery: the pinned day, each fact through its command and the
errand's flow, the accounts, the files it exports and its summary."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
from pathlib import Path
from typing import cast

from rich.console import Console

from arende import scenarios
from arende.files import write_private
from arende.rules.workflow import STATUS_SV, STEP_LABELS_SV, Step
from arende.scenarios import D


def set_today(day: dt.date) -> None:
    from arende.settings import reset_settings

    os.environ["ARENDE_TODAY"] = day.isoformat()
    reset_settings()


class Replay:
    """Records each fact on its date, then runs the errand's flow, as people would."""

    def __init__(self, console: Console) -> None:
        from flows import FLOWS

        self.console = console
        self.flows = FLOWS
        self.errands: dict[str, tuple[int, str]] = {}
        self.meetings: list[int] = []  # whose kallelse, protokoll and notice are exported
        # A section's lines, printed in date order: the demo records errand by errand, a
        # reader follows the calendar.
        self.lines: list[tuple[dt.date, int, str]] = []

    def say(self, day: dt.date | str, text: str) -> None:
        day = D(day) if isinstance(day, str) else day
        self.lines.append((day, len(self.lines), f"  {day} {text}"))

    def flush(self) -> None:
        for _, _, line in sorted(self.lines):
            self.console.print(line)
        self.lines.clear()

    def section(self, title: str) -> None:
        self.flush()
        self.console.print(f"[bold]{title}[/bold]")

    def record(self, day: str, label: str, record) -> None:  # type: ignore[no-untyped-def]
        from db.session import session_scope

        set_today(D(day))
        with session_scope() as session:
            record(session)
        self.say(day, label)

    def run(self, name: str) -> dict[str, object]:
        from flows.errands import advance_errand

        result = cast("dict[str, object]", advance_errand(dnr=self.errands[name][1]))
        return result

    def start(self, name: str, day: str, flow_name: str, start) -> str:  # type: ignore[no-untyped-def]

        set_today(D(day))
        result = cast("dict[str, object]", self.flows[flow_name](start=start, utförd_av=DEMO_ACCOUNTS[0][0]))
        self.errands[name] = (int(str(result["errand_id"])), str(result["dnr"]))
        self.say(day, f"registrerat {result['dnr']}: {name}")
        return str(result["dnr"])

    def apply(self, facts: list[scenarios.Fact]) -> None:
        """Each command on its day, through its handler, as the CLI would record it."""
        from arende.commands.handlers import HANDLERS
        from db.session import session_scope

        for fact in facts:
            set_today(fact.day)
            # The handlers' own lines are the command line's; the demo prints its label.
            with session_scope() as session, contextlib.redirect_stdout(io.StringIO()):
                HANDLERS[type(fact.command)](session, fact.command)
            self.say(fact.day, fact.label)

    def decide_chain(
        self, dnr: str, *, officer_day: str, draft: dict, fsg_day: str | None, meeting: str, paragraph: int
    ) -> None:  # type: ignore[type-arg]
        self.apply(
            scenarios.decision_facts(
                dnr, assigned=officer_day, draft=draft, fsg=fsg_day, meeting=meeting, paragraph=paragraph
            )
        )

    def sign_and_post(self, meeting: str, signed: str, posted: str) -> None:
        self.apply(scenarios.signing_facts(meeting, signed, posted))


# The demo's web accounts, one per role; their password is new each run and kept here.
DEMO_ACCOUNTS = (
    ("sara", "Sara Holm", "sekreterare"),
    ("anna", "Anna Lind", "handlaggare"),
    ("rut", "Rut Berg", "registrator"),
    ("olle", "Olle Ek", "lasare"),
    ("ada", "Ada Nordin", "administrator"),
    # ALN's nämndsekreterare, named on the kallelse, the protocol and the extracts she
    # certifies. Invented: the seed names no secretary (nor a phone for one).
    ("karin", "Karin Nilsson", "sekreterare"),
    # The seed's handläggare of ALN 2021-00124, with the phone its skrivelse gives.
    ("hans", "Hans Johansson", "handlaggare"),
)
DEMO_PHONES = {"hans": "033-35 85 73"}


ACCOUNTS_FILE = "konton.txt"


DEMO_DAY_FILE = "demodag.txt"


def shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


DEMO_PASSWORD: list[str] = []  # this run's, for the demo's own signatures (digital justering)


def web_accounts(out: Path) -> list[str]:
    """Accounts to look at the demo's errands on the web page (`arende web --demo`)."""
    import secrets

    from arende.files import write_private
    from arende.rules.access import ROLE_LABELS_SV, WebRole
    from arende.services.accounts import create_user
    from db.session import session_scope

    password = secrets.token_urlsafe(12)
    DEMO_PASSWORD[:] = [password]
    with session_scope() as session:
        for username, name, role in DEMO_ACCOUNTS:
            phone = DEMO_PHONES.get(username)
            create_user(session, username, name, role, password, title="Handläggare" if phone else None, phone=phone)
    lines = [f"lösenord för alla demokonton: {password}"]
    lines += [f"{u}  {n} ({ROLE_LABELS_SV[WebRole(r)]})" for u, n, r in DEMO_ACCOUNTS]
    write_private(out / "var" / ACCOUNTS_FILE, ("\n".join(lines) + "\n").encode())
    return [f"{u} ({ROLE_LABELS_SV[WebRole(r)].lower()})" for u, _, r in DEMO_ACCOUNTS[:2]]


def archive_copies(console: Console, out: Path) -> list[tuple[Path, bool]]:
    """The PDF/A archive copies, in one LibreOffice run, copied beside the documents."""
    from sqlalchemy import select

    from arende.services.archive import archive_pending
    from db.models import Document
    from db.session import session_scope

    result = archive_pending()
    if result.missing_libreoffice:
        console.print("LibreOffice finns inte: inga PDF/A-arkivexemplar (dokumenten i .docx är skrivna)")
        return []
    console.print(f"{result.converted} PDF/A-arkivexemplar skrivna på {result.seconds:.1f} s (en LibreOffice-process)")
    files = []
    with session_scope() as session:
        for doc in session.scalars(select(Document).where(Document.archive_path.is_not(None))):
            name = Path(doc.file_name or Path(doc.storage_path or "").name).with_suffix(".pdf").name
            archived = doc.archive_file
            assert archived is not None  # selected with a copy
            files.append((write_private(out / name, archived.read_bytes()), False))
    return files


def export_files(demo: Replay, out: Path) -> list[tuple[Path, bool]]:
    """Copy the newest version of each produced document to OUT under a readable name."""
    from sqlalchemy import select

    from db.models import Document
    from db.session import session_scope

    latest: dict[tuple[int | None, str], Document] = {}
    with session_scope() as session:
        ids = [v[0] for v in demo.errands.values()]
        for doc in session.scalars(
            select(Document)
            .where(Document.errand_id.in_(ids), Document.storage_path.is_not(None))
            .order_by(Document.id)
        ):
            latest[(doc.errand_id, doc.kind or "document")] = doc
        for doc in session.scalars(
            select(Document).where(Document.meeting_id.in_(demo.meetings)).order_by(Document.id)
        ):
            latest[(None, f"{doc.meeting_id}-{doc.kind}")] = doc
    files = []
    for doc in latest.values():
        if doc.is_secret:
            # The payout file and the secret appendix hold personal data: they stay where
            # the system keeps them, owner-only; the summary says where.
            files.append((doc.file or Path(), True))
            continue
        stored = doc.file
        assert stored is not None  # selected with a stored file
        target = out / (doc.file_name or stored.name)
        write_private(target, stored.read_bytes())
        files.append((target, False))
    return sorted(files, key=lambda f: (f[1], f[0].name))


def summary(console: Console, demo: Replay, files: list[tuple[Path, bool]], elapsed: float) -> None:
    from arende.services.iop_calendar import list_agreements
    from arende.services.queries import errand_view
    from arende.swedish import number
    from db.session import session_scope

    console.print()
    with session_scope() as session:
        for _, dnr in demo.errands.values():
            view = errand_view(session, dnr)
            decision = (view.decision or "inget beslut").split(":", 1)[0]
            console.print(
                f"[bold]{view.dnr}[/bold] {view.title}\n  {STATUS_SV.get(view.status, view.status)} · {decision}"
            )
            steps = " · ".join(
                f"{STEP_LABELS_SV[Step(s.step)].lower()} {s.done_on or ''}".strip()
                for s in view.steps
                if s.state != "waiting" and s.state != "pending"
            )
            waiting = next((s for s in view.steps if s.state == "waiting"), None)
            console.print(
                f"  steg: {steps}" + (f" · väntar på {STEP_LABELS_SV[Step(waiting.step)].lower()}" if waiting else "")
            )
            for d in view.deadlines:
                if d["status"] == "open":
                    console.print(f"  frist: {d['description']} {d['due_on']}")
        agreements = list_agreements(session)
    for a in agreements:
        console.print(
            f"IOP nr {a.number} {a.partner}: {a.starts_on} – {a.ends_on}, sägs upp senast "
            f"{a.notice_last_day}, {number(a.amount_this_year)} kr år {a.year}"
        )
    public = [f for f, secret in files if not secret]
    console.print(f"{len(public)} dokument skrivna till {public[0].parent if public else '-'}:")
    for f in public:
        console.print(f"  {f.name}")
    for f, secret in files:
        if secret:
            console.print(f"  sekretess, kopieras inte; bara ägaren kan läsa den där systemet förvarar den: {f}")
    console.print(f"demon klar på {elapsed:.1f} s")

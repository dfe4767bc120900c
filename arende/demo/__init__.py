"""`arende demo`: Arbetslivsnämnden's errands of 2021–2022 (seeds 001 and 003), each
through its Prefect flow: the reply to the auditors' integration report, the IOP with
Kvinnojouren Borås (decided 2021-10-14 § 125), the meeting of 2022-02-15 with its plan,
kallelse, närvaro, § 11–20 (the annual report 2021 and its two follow-ups, the reply to
Kommunstyrelsen's remiss, the minorities and integration follow-ups, the IOP's 2022
supplement, the donation funds' once-a-year rule, the anmälningsärenden and the
delegationsbeslut), protokoll and notice, and the 2022 donation-fund round.

The errands, their texts and their dates are arende.scenarios and
arende.scenarios_meeting, which the tests and the benchmarks use too; this module runs
them through the flows and reports in Swedish, each section's lines in date order.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from rich.console import Console

from arende.demo.replay import (
    ACCOUNTS_FILE,
    DEMO_DAY_FILE,
    Replay,
    archive_copies,
    export_files,
    set_today,
    shown,
    summary,
    web_accounts,
)
from arende.demo.seed import audit_reply, donation_round, february_2022, iop_agreement
from arende.scenarios import D


def run_demo(out: Path, console: Console | None = None) -> dict[str, object]:
    console = console or Console()
    started = time.perf_counter()
    out = out.resolve()
    if out.exists():
        for name in ("demo.db", "demo.db-wal", "demo.db-shm"):
            (out / name).unlink(missing_ok=True)
        shutil.rmtree(out / "documents", ignore_errors=True)
        shutil.rmtree(out / "var", ignore_errors=True)
        for old in [*out.glob("*.docx"), *out.glob("*.pdf")]:
            old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    # A fresh SQLite database of its own: the demo never touches the user's data.
    os.environ["ARENDE_DATABASE_URL"] = f"sqlite:///{out / 'demo.db'}"
    os.environ["ARENDE_DOCUMENTS_DIR"] = str(out / "documents")
    # The data key and the payout file live here too, never in the user's own var/.
    os.environ["ARENDE_VAR_DIR"] = str(out / "var")
    os.environ.setdefault("ARENDE_USER", "demo")

    from arende.orchestration import prepare_prefect_environment
    from arende.services.reference import load_classification, load_organs
    from arende.settings import get_settings
    from db.migrate import upgrade
    from db.session import session_scope

    set_today(D("2021-01-18"))
    upgrade()
    with session_scope() as session:
        load_organs(session, get_settings().organs_file)
        load_classification(session, get_settings().classification_file)
        from arende.services.donations import load_funds

        load_funds(session, get_settings().funds_file)
    # The accounts first: the errands' officer is one of them (anna, Anna Lind).
    accounts = web_accounts(out)
    from arende.services.identity import set_organ_secretary

    with session_scope() as session:
        set_organ_secretary(session, "ALN", "karin", title="Nämndsekreterare")
    prepare_prefect_environment()
    console.print(
        "[bold]Ärende demo[/bold]: Arbetslivsnämnden, seeds 001 och 003. Startar Prefect "
        "(en tillfällig lokal server om inte PREFECT_API_URL är satt)…"
    )
    from prefect.context import SyncClientContext

    # One Prefect client for all the demo's runs: a new one per run cost ~28 ms each
    # (mostly building a TLS context), a quarter of an in-process flow run.
    with SyncClientContext.get_or_create():
        demo = Replay(console)
        audit_reply(demo)
        iop_agreement(demo)
        february_2022(demo)

        demo.section("2022-04-01 den dagliga körningen förlänger den IOP som ingen sade upp")
        set_today(D("2022-04-01"))
        from flows.iop import iop_renewals

        for result in iop_renewals():
            console.print(f"  {result['dnr']}: förlängd ett år")

        donation_round(demo)
        demo.flush()

    files = export_files(demo, out) + archive_copies(console, out)
    # The day the replay ended on: `arende web --demo` shows the demo's work as of then.
    (out / "var" / DEMO_DAY_FILE).write_text(os.environ.get("ARENDE_TODAY", "") + "\n", encoding="utf-8")
    elapsed = time.perf_counter() - started
    summary(console, demo, files, elapsed)
    password_file = shown(out / "var" / ACCOUNTS_FILE)
    console.print(
        f"webbsidan: [bold]arende web --demo {shown(out)}[/bold], sedan http://127.0.0.1:8000/ och logga in "
        f"som {', '.join(accounts)}; lösenordet står i {password_file}"
    )
    return {"errands": {k: v[1] for k, v in demo.errands.items()}, "files": [f for f, _ in files], "seconds": elapsed}

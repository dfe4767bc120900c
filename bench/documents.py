"""Documents: a meeting of N § rendered as N protocol extracts through our path (context
from the database, sandboxed render, reproducible zip, SHA-256, stored and registered)
against a bare docxtpl render of the same template and contexts.

Run: .venv/bin/python bench/documents.py [--paragraphs 60]
Goal (issue 6): under 3 s for 60 extracts; at most 1.2 times bare docxtpl per document.
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
from common import emit, fresh_database  # noqa: E402

D = dt.date.fromisoformat


def build_meeting(n: int, *, decide: bool = True) -> list[str]:
    """N remisses registered, assigned and drafted; with `decide`, each decided at the
    meeting of 2022-02-15, which is then signed and posted."""
    from arende.services import facts
    from arende.services.accounts import ensure_account
    from arende.services.meeting import signing
    from arende.services.remiss import RemissStart, start_remiss
    from db.session import session_scope

    dnrs = []
    for i in range(n):
        with session_scope() as s:
            errand, _ = start_remiss(
                s,
                RemissStart(
                    organ="ALN",
                    sender="KS",
                    sender_dnr=f"KS 2021-{i + 1:05d}",
                    title=f"Remiss nummer {i + 1}",
                    received_on=D("2022-01-19"),
                    reply_due=D("2022-02-28"),
                ),
                registered_on=D("2022-01-19"),
            )
            dnr = errand.dnr
        for record in (
            lambda s, dnr=dnr: facts.assign_officer(s, dnr, ensure_account(s, "anna", "Anna Lind"), D("2022-01-20")),
            lambda s, dnr=dnr: facts.draft_report(
                s,
                dnr,
                stance="tillstyrker",
                summary="Sammanfattning. " * 20,
                body="Ärendet i sin helhet. " * 80,
                drafted_on=D("2022-02-01"),
                attachments=["Bilaga 1", "Bilaga 2"],
            ),
            lambda s, dnr=dnr: facts.record_decision(s, dnr, meeting_on=D("2022-02-15")) if decide else None,
        ):
            with session_scope() as s:
                record(s)
        dnrs.append(dnr)
    if not decide:
        return dnrs
    with session_scope() as s:
        signing.record_justering(
            s, "ALN", D("2022-02-15"), justerad_on=D("2022-02-18"), chair="Lars-Åke Johansson", justerare=["Sara Holm"]
        )
    with session_scope() as s:
        signing.record_anslag(s, "ALN", D("2022-02-15"), posted_on=D("2022-02-21"))
    return dnrs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=60)
    args = parser.parse_args()
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    from arende.documents import template_path
    from arende.services.common import decision_of, get_errand
    from arende.services.documents import extract_context, letterhead, protocol_extract
    from db.models import Report
    from db.session import session_scope

    with tempfile.TemporaryDirectory() as tmp, fresh_database("sqlite", Path(tmp)):
        dnrs = build_meeting(args.paragraphs)
        contexts = []
        with session_scope() as s:
            for dnr in dnrs:
                errand = get_errand(s, dnr)
                head = letterhead(
                    errand.organ, "protokollsutdrag", on=D("2022-02-18"), dnr=errand.dnr, officer=errand.officer
                )
                context = extract_context(s, errand, s.get(Report, errand.id), decision_of(s, errand.id))
                contexts.append({"head": head} | context)

        start = time.perf_counter()
        for dnr in dnrs:
            with session_scope() as s:
                protocol_extract(s, get_errand(s, dnr, lock=True))
        ours = time.perf_counter() - start

        path = template_path("protokollsutdrag")
        start = time.perf_counter()
        for context in contexts:
            tpl = DocxTemplate(path)
            tpl.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
            tpl.save(io.BytesIO())
        bare = time.perf_counter() - start

        params = {"paragraphs": args.paragraphs, "template": "protokollsutdrag"}
        emit("documents.extracts", ours, "s", path="ours (db context, render, zip, sha256, store, register)", **params)
        emit("documents.bare_docxtpl", bare, "s", **params)
        emit("documents.ratio_per_document", ours / bare, "ratio", **params)


if __name__ == "__main__":
    main()

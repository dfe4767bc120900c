"""Gallring by the informationshanteringsplan, with a frozen clock: a handling the plan
disposes of "2 år efter ärendets avslut" is not due at 23 months and due at 24; its file
goes, its diary row stays, a log row says what, by which rule and decision, who and
when, with the file's SHA-256. Kept handlingar, open errands and errands under a
gallringsstopp are never touched; the log goes with the next e-archive delivery."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

import pytest

from helpers import record_all_facts, register

PLAN = """
organ = "ALN"
version = "IHP ALN 2022:1"
decision = { organ = "ALN", date = "2021-11-16", paragraph = 140 }

[[rule]]
classification = "*"
kind = "*"
action = "bevaras"

[[rule]]
classification = "*"
kind = "kvittens"
action = "gallras"
years = 2
text = "Mottagningskvittenser gallras 2 år efter ärendets avslut"

[[rule]]
classification = "*"
kind = "motion"
action = "gallras"
years = 2
"""


def _closed_with_a_receipt(tmp_path: Path):  # type: ignore[no-untyped-def]
    from arende.commands.handlers import apply
    from arende.commands.vocabulary import DocumentAdd
    from arende.services.steps import advance
    from db.models import Document, Errand
    from db.session import session_scope

    errand_id, dnr = register()
    receipt = tmp_path / f"kvittens-{errand_id}.txt"
    receipt.write_bytes(f"Mottagningskvittens för {dnr}".encode())
    apply(DocumentAdd(dnr=dnr, file=receipt, direction="outgoing", counterpart="Kommunstyrelsen",
                      description="Mottagningskvittens", date=__import__("datetime").date(2022, 1, 20)))  # fmt: skip
    with session_scope() as session:
        doc = (
            session.query(Document)
            .filter(Document.errand_id == errand_id, Document.description == "Mottagningskvittens")
            .one()
        )
        doc.kind = "kvittens"
    record_all_facts(dnr)
    advance(errand_id)
    with session_scope() as session:
        errand = session.get(Errand, errand_id)
        assert errand is not None and errand.status == "closed", errand.status
        closed = errand.closed_at
    return dnr, closed


def _today(monkeypatch, day) -> None:  # type: ignore[no-untyped-def]
    from arende.settings import reset_settings

    monkeypatch.setenv("ARENDE_TODAY", day.isoformat())
    reset_settings()


def test_due_at_24_months_not_at_23_and_only_what_the_plan_disposes_of(sqlite_db, tmp_path, capsys, monkeypatch):
    from dateutil.relativedelta import relativedelta
    from sqlalchemy import select

    from arende.cli import main
    from db.models import DisposalLog, Document
    from db.session import session_scope

    plan = tmp_path / "ihp.toml"
    plan.write_text(PLAN, encoding="utf-8")
    dnr, closed = _closed_with_a_receipt(tmp_path)
    # A legacy errand whose motion the plan disposes of, under a gallringsstopp.
    assert main(["earchive", "import", str(Path(__file__).parent / "data" / "legacy-sip")]) == 0
    held = "ALN 2019-00042"
    assert main(["gallring", "hold", *held.split(), "--reason", "Begäran om utlämnande 2023-01-10"]) == 0
    open_dnr = register(title="Pågående remiss", sender_dnr="KS 2022-00500")[1]
    closed_on = closed.date()

    _today(monkeypatch, closed_on + relativedelta(months=23))
    assert main(["gallring", "run", "--plan", str(plan), "--dry-run"]) == 0
    assert "0 handlingar får gallras" in capsys.readouterr().out

    _today(monkeypatch, closed_on + relativedelta(months=24))
    assert main(["gallring", "run", "--plan", str(plan), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"{dnr}:" in out and "Mottagningskvittens (kvittens)" in out and "1 handlingar får gallras" in out
    assert held not in out and open_dnr not in out

    with session_scope() as session:
        receipt = session.scalars(select(Document).where(Document.kind == "kvittens")).first()
        assert receipt is not None
        path, digest = receipt.file, hashlib.sha256(receipt.file.read_bytes()).hexdigest()
        kept = [d.file for d in session.scalars(select(Document).where(Document.kind != "kvittens")) if d.file]
    assert main(["gallring", "run", "--plan", str(plan)]) == 0
    assert "1 handlingar gallrade enligt plan IHP ALN 2022:1 (ALN 2021-11-16 § 140)" in capsys.readouterr().out
    assert not path.exists() and all(p.exists() for p in kept)
    with session_scope() as session:
        row = session.scalars(select(DisposalLog)).one()
        assert (row.dnr, row.kind, row.plan_version, row.sha256) == (dnr, "kvittens", "IHP ALN 2022:1", digest)
        assert row.rule == "Mottagningskvittenser gallras 2 år efter ärendets avslut"
        doc = session.get(Document, row.document_id)
        assert (
            doc is not None and doc.storage_path is None and doc.description == "Mottagningskvittens"
        )  # the row stays
    assert main(["gallring", "run", "--plan", str(plan)]) == 0  # again: nothing more
    assert "0 handlingar gallrade" in capsys.readouterr().out
    # The stopp lifted, the legacy motion is due (it closed in 2019).
    assert main(["gallring", "hold", *held.split(), "--release"]) == 0
    assert main(["gallring", "run", "--plan", str(plan), "--dry-run"]) == 0
    assert f"{held} 1.1.7.1:1 Motion om feriearbeten för unga (motion)" in capsys.readouterr().out
    assert main(["gallring", "log"]) == 0 and f"{dnr}:" in capsys.readouterr().out

    # The log goes with the next delivery, once.
    assert main(["earchive", "export", "--organ", "ALN", "--year", "2022", "--out", str(tmp_path / "ut")]) == 0
    out = capsys.readouterr().out
    assert "gallringsloggen: 1 rader" in out
    log = (tmp_path / "ut" / "SIP-ALN-2022" / "documentation" / "gallringslogg.csv").read_text("utf-8")
    assert dnr in log and digest in log


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("organ = 'ALN'\nversion = '1'\ndecision = 'x'\n[[rule]]\naction = 'radera'\n", "action"),
        ("organ = 'ALN'\nversion = '1'\ndecision = 'x'\n[[rule]]\naction = 'gallras'\n", "years"),
        ("organ = 'ALN'\nversion = '1'\n[[rule]]\naction = 'bevaras'\n", "decision"),
        ("organ = 'ALN\n", "plan"),
    ],
)
def test_a_plan_with_a_mistake_is_refused_in_one_line(sqlite_db, tmp_path, capsys, text, field):
    from arende.cli import main

    plan = tmp_path / "ihp.toml"
    plan.write_text(text, encoding="utf-8")
    assert main(["gallring", "run", "--plan", str(plan), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"arende: error: {field}:") and err.count("\n") == 1, err


def test_the_administrator_delivers_and_disposes_on_the_web_page(sqlite_db, tmp_path, monkeypatch):
    from dateutil.relativedelta import relativedelta
    from test_web import login

    from arende.settings import reset_settings
    from arende.web import create_app

    dnr, closed = _closed_with_a_receipt(tmp_path)
    plans = tmp_path / "ihp"
    plans.mkdir()
    (plans / "ALN.toml").write_text(PLAN, encoding="utf-8")
    monkeypatch.setenv("ARENDE_DISPOSAL_PLANS_DIR", str(plans))
    monkeypatch.setenv("ARENDE_EARCHIVE_DIR", str(tmp_path / "earkiv"))
    _today(monkeypatch, closed.date() + relativedelta(years=2))
    reset_settings()
    admin = login(create_app(), "ada", "administrator", "Ada Nordin")
    token = {"csrf_token": admin.cookies.get("arende_csrf")}
    assert "E-arkiv och gallring" in admin.get("/admin").text
    page = admin.get("/admin/earkiv?organ=ALN").text
    assert "Plan IHP ALN 2022:1, beslutad ALN 2021-11-16 § 140. 1 handlingar får gallras i dag." in page
    assert f"{dnr}:" in page and "Gallra 1 handlingar nu" in page
    r = admin.post("/admin/earkiv/gallra", data={**token, "organ": "ALN"})
    assert r.status_code == 200 and "1 handlingar gallrade." in r.text and "Mottagningskvittenser gallras" in r.text
    r = admin.post("/admin/earkiv/leverans", data={**token, "organ": "ALN", "year": "2022"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin/earkiv?organ=ALN&leverans=2022#delivery"
    page = _until_delivered(admin, "/admin/earkiv?organ=ALN&leverans=2022")
    assert "1 avslutade ärenden" in page and "gallringsloggen med 1 rader" in page
    assert (tmp_path / "earkiv" / "SIP-ALN-2022" / "METS.xml").is_file()
    r = admin.post("/admin/earkiv/leverans", data={**token, "organ": "ALN", "year": "tjugo"})
    assert r.status_code == 400 and "Ange året som fyra siffror" in r.text
    reader = login(create_app(), "olle", "lasare", "Olle Ek")
    assert reader.get("/admin/earkiv").status_code == 403


def _until_delivered(client, url: str) -> str:  # type: ignore[no-untyped-def]
    """The page as the administrator's browser reloads it, until the delivery is done."""
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page = client.get(url).text
        if 'http-equiv="refresh"' not in page:
            return page
        assert "<progress" in page and "pågår" in page
        time.sleep(0.1)
    raise AssertionError("the delivery did not finish in 30 s")


def test_the_delivery_page_shows_progress_and_an_interrupted_delivery(sqlite_db, tmp_path, monkeypatch):
    """A delivery being written shows how far it has come and reloads itself; one whose
    server went away says so and may be started again; the same one twice is refused."""
    import json
    import subprocess

    from test_web import login

    from arende.earchive import jobs
    from arende.settings import reset_settings
    from arende.web import create_app

    out = tmp_path / "earkiv"
    out.mkdir()
    monkeypatch.setenv("ARENDE_EARCHIVE_DIR", str(out))
    reset_settings()
    admin = login(create_app(), "ada", "administrator", "Ada Nordin")
    token = {"csrf_token": admin.cookies.get("arende_csrf")}
    status = out / ".leverans-ALN-2022.json"

    # Running, in this process: the page shows 500 of 2000 and reloads itself; a second start is refused.
    running = jobs.Delivery(organ="ALN", year=2022, done=500, total=2000, pid=os.getpid())
    status.write_text(json.dumps(dataclasses.asdict(running)), "utf-8")
    page = admin.get("/admin/earkiv?organ=ALN&leverans=2022").text
    assert '<progress class="wide" max="2000" value="500">' in page and 'http-equiv="refresh"' in page
    assert "500 av 2000 ärenden" in page
    r = admin.post("/admin/earkiv/leverans", data={**token, "organ": "ALN", "year": "2022"})
    assert r.status_code == 409 and "Leveransen av ALN 2022 pågår redan (500 av 2000 ärenden)." in r.text

    # Its process is gone: interrupted, no reload, and it can be started again (and finishes).
    dead = subprocess.Popen(["true"])
    dead.wait()
    status.write_text(json.dumps(dataclasses.asdict(jobs.Delivery(organ="ALN", year=2022, done=500, total=2000,
                                                                  pid=dead.pid))), "utf-8")  # fmt: skip
    page = admin.get("/admin/earkiv?organ=ALN&leverans=2022").text
    assert "avbröts vid 500 av 2000 ärenden" in page and 'http-equiv="refresh"' not in page
    r = admin.post("/admin/earkiv/leverans", data={**token, "organ": "ALN", "year": "2022"})
    page = _until_delivered(admin, "/admin/earkiv?organ=ALN&leverans=2022")
    assert "Klart:" in page and "0 avslutade ärenden" in page

    # An organ that does not exist is said at once, nothing started.
    r = admin.post("/admin/earkiv/leverans", data={**token, "organ": "XYZ", "year": "2022"})
    assert r.status_code == 409 and not (out / ".leverans-XYZ-2022.json").exists()

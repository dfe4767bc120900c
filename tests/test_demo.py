"""The README's main job as a new user runs it: `arende demo` in its own process, on a
fresh SQLite database and Prefect's temporary server. What the user reads and gets."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

pytestmark = pytest.mark.flows  # about 35 s: a whole year of errands through Prefect

ARENDE = str(Path(sys.executable).with_name("arende"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "demo-out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARENDE_", "PREFECT_"))}
    env["PREFECT_HOME"] = str(out.parent / "prefect-home")
    env["COLUMNS"] = "200"  # one progress line a line, as a wide terminal shows it
    done = subprocess.run([ARENDE, "demo", "--out", str(out)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done.stdout


def _text(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def test_each_section_reads_in_swedish_and_in_date_order(demo):
    _, stdout = demo
    sections = re.split(r"\n(?=\S)", stdout)
    dated = 0
    for section in sections:
        days = re.findall(r"^  (\d{4}-\d\d-\d\d) ", section, flags=re.M)
        assert days == sorted(days), section[:300]
        dated += len(days)
    assert dated > 90
    for english in ("registered", "case officer", "decided as", "waiting at", "documents written", "finished in"):
        assert english not in stdout, english
    assert "punkt 10 protokollförd som § 20" in stdout


def test_the_counts_it_prints_are_counted_from_the_applications_file(demo):
    from arende.scenarios import APPLICATIONS_2022

    _, stdout = demo
    with APPLICATIONS_2022.open(encoding="utf-8") as fh:
        rows = sum(1 for _ in csv.reader(fh, delimiter=";")) - 1
    assert f"  {rows} ansökningar: " in stdout


def test_the_meeting_of_2022_02_15_is_in_demo_out_as_the_seed_has_it(demo):
    out, stdout = demo
    protokoll = _text(out / "ALN_2022-02-15_protokoll.docx")
    for paragraph in range(11, 21):
        assert f"§ {paragraph}" in protokoll
    for expected in (
        "Dnr ALN 2022-00015 1.1.3.1",  # the minorities follow-up keeps the seed's Dnr
        "Dnr ALN 2021-00124 3.4.4.25",
        "Redovisade anmälningsärenden läggs till handlingarna.",
        "6. Handbok för trygghet i offentlig miljö, Borås Stad",
        "Socialutskott Försörjningsenheten Protokoll 2022-01-25 § 1-2",
        "Ola Berg (S), tjänstgörande ersättare för Per Ek",
    ):
        assert expected in protokoll, expected
    # Justerat digitally, the protocol is the signed PDF; the notice is its own document.
    assert "Anslag om justering" in _text(out / "ALN_2022-02-15_anslag.docx")
    kallelse = _text(out / "ALN_2022-02-15_kallelse.docx")
    assert "Föredragningslista" in kallelse and "6. Uppföljning på Program för ett integrerat samhälle" in kallelse
    extract = _text(out / "ALN-2022-00015_protokollsutdrag.docx")
    assert "§ 15\tDnr ALN 2022-00015 1.1.3.1" in extract and "Utdragsbestyrkande: Karin Nilsson" in extract


def test_the_seed_s_own_texts_parties_and_handlaggare_reach_the_documents(demo):
    out, _ = demo
    protokoll = " ".join(_text(out / "ALN_2022-02-15_protokoll.docx").split())
    # § 12 and § 13 with their Beslutsunderlag and expediering, as the seed lists them.
    for expected in (
        "Beslutsunderlag 1. Bilaga Uppföljning Intern kontroll 2021. Beslutet expedieras till 1. Kommunstyrelsen",
        "1. Bilaga Redovisning av inkomna synpunkter januari - december 2021. Beslutet expedieras till "
        "1. Kommunstyrelsen",
        # "Ärendet i sin helhet" in full, not cut to one sentence (its last paragraph).
        "samt avge yttranden i ärenden som berör Arbetslivsförvaltningen.",
        "Arbetslivsnämnden beslutar att Kvinno- och tjejjouren Borås erhåller 150 tkr 2022.",
    ):
        assert expected in protokoll, expected
    supplement = " ".join(_text(out / "ALN-2022-00016_iop_tillagg.docx").split())
    for expected in (
        "Kvinno- och tjejjouren Borås, Box 979, 501 10 Borås, organisationsnummer 864501-5200",
        "Borås Stad genom Arbetslivsnämnden, postadress 501 80 Borås, besöksadress Österlånggatan 72",
        "vårdkontakter, bankärenden, poliskontakter, inköp och transporter mm.",
        "Avgiften faktureras av Kvinno- och tjejjouren Borås.",
    ):
        assert expected in supplement, expected
    footer = [p.text for p in Document(str(out / "ALN-2021-00124_tjansteskrivelse.docx")).sections[0].footer.paragraphs]
    assert "Handläggare Hans Johansson, 033-35 85 73" in footer


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice not installed: the demo justerar on paper")
def test_the_demo_protocol_is_justerat_digitally_and_verifies_as_the_readme_shows(demo):
    out, stdout = demo
    assert "protokollet underskrivet digitalt av Sara Holm" in stdout
    pdf = out / "ALN_2022-02-15_protokoll.pdf"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARENDE_")}
    done = subprocess.run(
        [ARENDE, "verify", str(pdf), "--chain", "--demo", str(out)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for line in (
        "Ordförande: Lars-Åke Johansson",
        "Justerare: Sara Holm",
        "Protokoll: Arbetslivsnämnden 2022-02-15 (post 1 i justeringsregistret)",
        "OK: alla underskrifter är intakta och betrodda",
        "Justeringsregistret: 1 poster, kedjan hel",
    ):
        assert line in done.stdout, line
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Justerat digitalt" in text and "Undertecknat elektroniskt" in text


def test_files_with_personal_data_stay_where_the_system_keeps_them(demo):
    out, stdout = demo
    names = {p.name for p in out.iterdir() if p.is_file()}
    assert not any(n.endswith(".txt") or "donation_bilaga" in n for n in names), names
    [payout] = (out / "var" / "payouts").iterdir()
    assert payout.stat().st_mode & 0o077 == 0
    assert f"sekretess, kopieras inte; bara ägaren kan läsa den där systemet förvarar den: {payout}" in stdout


def test_the_web_page_shows_the_demo_to_its_accounts(demo):
    """What the demo's last line tells the user to do: `arende web --demo`, log in."""
    import socket
    import time

    import httpx

    out, stdout = demo
    assert f"arende web --demo {out}" in stdout and "sara (nämndsekreterare)" in stdout
    password = (out / "var" / "konton.txt").read_text(encoding="utf-8").splitlines()[0].split(": ")[1]
    assert (out / "var" / "konton.txt").stat().st_mode & 0o077 == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARENDE_", "PREFECT_"))}
    server = subprocess.Popen([ARENDE, "web", "--demo", str(out), "--port", str(port)], env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, follow_redirects=False, timeout=10) as client:
            for _ in range(100):
                try:
                    client.get("/login")
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            token = client.cookies["arende_csrf"]
            r = client.post("/login", data={"username": "sara", "password": password, "csrf_token": token})
            assert r.status_code == 303, r.text
            page = client.get("/arende/ALN/2022/14").text
            assert "Yttrande över Remiss" in page and "avslutat" in page and "2022-03-14" in page
            meeting = client.get("/sammantrade/ALN/2022-02-15").text
            assert "§ 20" in meeting and "Delegationsbeslut" in meeting
            board = client.get("/anslagstavla").text
            assert "2022-02-21" in board
            # On the demo's own day: the page says so, and the May notice is up, not past.
            assert "Sidan visar läget den 2022-05-23" in client.get("/").text
            assert board.index("2022-05-20") < board.index("Tidigare anslag")
    finally:
        server.terminate()
        server.wait(10)

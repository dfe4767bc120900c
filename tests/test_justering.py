"""Digital justering through the command line, as the secretary, the chair and the
justerare do it: the protocol as a PDF/A sent for signing, signed in turn with each
person's built-in key, the justering recorded by the last signature, and anyone's
verification of the file and of the register. Offline, with the installation's CA made
at test time. LibreOffice makes the PDF/A: these run with it installed (CI does)."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess

import pytest
from test_meeting import DAY, held, ok, run

pytestmark = [
    pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice not installed (apt-get install "
                       "libreoffice-writer-nogui)"),
    pytest.mark.flows,  # a LibreOffice conversion takes seconds: not for the edit-test loop
]  # fmt: skip

PASSWORDS = {"lars": "ordförandens-lösenord-1", "sara": "justerarens-lösenord-2", "karin": "sekreterarens-lösen-3"}


def _accounts(capsys, monkeypatch) -> None:
    for user, name in (("lars", "Lars-Åke Johansson"), ("sara", "Sara Holm")):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS[user] + "\n"))
        ok(capsys, "user", "add", user, "--name", name, "--role", "lasare", "--member", "ALN")


def _sign(capsys, monkeypatch, user: str, password: str | None = None) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO((password or PASSWORDS[user]) + "\n"))
    return run(capsys, "justering", "sign", "ALN", DAY, "--user", user)


def _ready(capsys, monkeypatch) -> None:
    held(capsys)
    ok(capsys, "meeting", "held", "ALN", DAY, "--justerare", "Sara Holm")
    _accounts(capsys, monkeypatch)


def _pdf(capsys, tmp_path, name: str = "signed.pdf") -> bytes:
    ok(capsys, "justering", "pdf", "ALN", DAY, "--out", str(tmp_path / name))
    return (tmp_path / name).read_bytes()


def test_the_chair_and_the_justerare_sign_in_turn_and_the_last_signature_justerar(
    sqlite_db, capsys, monkeypatch, tmp_path
):
    _ready(capsys, monkeypatch)
    out = ok(capsys, "justering", "start", "ALN", DAY)
    assert "Ordförande: Lars-Åke Johansson – väntar" in out and "Justerare: Sara Holm – väntar" in out
    # While the round is open the justering is the round's, not a typed date's.
    code, _, err = run(capsys, "justera", "ALN", DAY, "--date", "2022-02-18")
    assert code == 2 and "out for digital signing" in err, err
    # In turn: the justerare cannot sign before the chair; a wrong password signs nothing.
    code, _, err = _sign(capsys, monkeypatch, "sara")
    assert code == 2 and err == "arende: error: user: it is Lars-Åke Johansson's turn to sign first\n", err
    code, _, err = _sign(capsys, monkeypatch, "lars", "fel-lösenord-här")
    assert code == 2 and "wrong user name or password" in err
    _sign(capsys, monkeypatch, "lars")
    # No notice before the last signature: the protocol is not justerat yet.
    code, _, err = run(capsys, "anslag", "ALN", DAY, "--date", "2022-02-21")
    assert code == 2 and "juster" in err, err
    one = _pdf(capsys, tmp_path, "one.pdf")
    code, out, _ = run(capsys, "verify", str(tmp_path / "one.pdf"))
    assert code == 0 and "Ordförande: Lars-Åke Johansson" in out and "intakt och betrodd" in out, out
    code, out, err = _sign(capsys, monkeypatch, "sara")
    assert code == 0, err
    signed = _pdf(capsys, tmp_path)
    assert signed.startswith(one)  # an incremental update: the chair's signature stays as it was
    from arende.services.meeting.plan import find_meeting
    from db.session import session_scope

    with session_scope() as session:
        meeting = find_meeting(session, "ALN", __import__("datetime").date.fromisoformat(DAY))
        assert meeting.justerad_on is not None and meeting.justerare == ["Sara Holm"]
    code, out, _ = run(capsys, "verify", str(tmp_path / "signed.pdf"), "--chain")
    assert code == 0, out
    assert (
        "Justerare: Sara Holm" in out
        and "Protokoll: Arbetslivsnämnden 2022-02-15 (post 1 i justeringsregistret)" in out
    )
    assert "Justeringsregistret: 1 poster, kedjan hel" in out


def test_the_signed_pdf_is_still_pdf_a_with_every_font_embedded_and_a_changed_byte_is_found(
    sqlite_db, capsys, monkeypatch, tmp_path
):
    import pikepdf

    _ready(capsys, monkeypatch)
    ok(capsys, "justering", "start", "ALN", DAY)
    _sign(capsys, monkeypatch, "lars")
    _sign(capsys, monkeypatch, "sara")
    signed = _pdf(capsys, tmp_path)
    from arende.signing.ca import trusted_roots
    from arende.signing.verify import verify_pdf

    first, last = verify_pdf(signed, trusted_roots()).signatures
    # The last covers the whole file; the first its own revision, after which only
    # signatures were added (its DocMDP allows nothing else).
    assert last.whole_file and not first.whole_file and first.only_signatures_after and first.ok and last.ok
    with pikepdf.open(tmp_path / "signed.pdf") as pdf:
        meta = pdf.open_metadata()
        assert (meta.pdfa_status or "") == "2B"
        assert "/OutputIntents" in pdf.Root
        fonts = {}
        for page in pdf.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                fonts[str(font.get("/BaseFont"))] = font
            for annot in page.get("/Annots") or []:
                ap = annot.get("/AP")
                if ap is not None:
                    for stream in (ap.N,):
                        for font in ((stream.get("/Resources") or {}).get("/Font") or {}).values():
                            fonts[str(font.get("/BaseFont"))] = font
        assert fonts
        for name, font in fonts.items():
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0] if descendants else font).get("/FontDescriptor")
            assert descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                name
            )
        assert pdf.check_pdf_syntax() == []  # what `qpdf --check` reports
    # The last page is the signature page, drawn by the template.
    last = subprocess.run(["pdftotext", "-f", "999", "-l", "999", str(tmp_path / "signed.pdf"), "-"],
                          capture_output=True, text=True).stdout  # fmt: skip
    text = subprocess.run(["pdftotext", str(tmp_path / "signed.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Justerat digitalt" in text and last is not None
    # One flipped byte inside the signed range, in the text of a page: reported as changed.
    start = signed.index(b"stream\n", 2000) + 20
    changed = bytearray(signed)
    changed[start] ^= 0x01
    (tmp_path / "changed.pdf").write_bytes(bytes(changed))
    code, out, _ = run(capsys, "verify", str(tmp_path / "changed.pdf"))
    assert code == 1 and "ÄNDRAD" in out and "FEL:" in out, out


def test_a_rejected_round_records_no_justering_and_a_changed_stored_protocol_breaks_the_chain(
    sqlite_db, capsys, monkeypatch, tmp_path
):
    from db.models import JusteringRecord, Meeting
    from db.models.base import stored_path
    from db.session import session_scope

    _ready(capsys, monkeypatch)
    ok(capsys, "justering", "start", "ALN", DAY)
    code, _, err = run(capsys, "justering", "reject", "ALN", DAY, "--user", "sara", "--comment", "  ")
    assert code == 2 and err.startswith("arende: error: comment:"), err
    ok(capsys, "justering", "reject", "ALN", DAY, "--user", "sara", "--comment", "§ 15: fel beslutsformulering")
    out = ok(capsys, "justering", "status", "ALN", DAY)
    assert "avvisat av Sara Holm: § 15: fel beslutsformulering" in out
    with session_scope() as session:
        assert all(m.justerad_on is None for m in session.query(Meeting))
    code, _, err = _sign(capsys, monkeypatch, "lars")
    assert code == 2 and "not out for signing" in err
    # A new round after the correction, signed through.
    ok(capsys, "justering", "start", "ALN", DAY)
    _sign(capsys, monkeypatch, "lars")
    _sign(capsys, monkeypatch, "sara")
    assert ok(capsys, "verify", "--chain").startswith("Justeringsregistret: 1 poster, kedjan hel")
    with session_scope() as session:
        record = session.query(JusteringRecord).one()
        path = stored_path(record.file)
        assert path is not None and hashlib.sha256(path.read_bytes()).hexdigest() == record.sha256
    path.write_bytes(path.read_bytes() + b"\n% changed\n")
    code, out, _ = run(capsys, "verify", "--chain")
    assert code == 1 and "post 1 av 1 stämmer inte: the protocol file" in out and "has changed" in out, out


def test_what_is_not_a_signed_protocol_is_refused_in_one_line(sqlite_db, capsys, tmp_path):
    cases = {
        "text.pdf": b"hello, not a pdf",
        "truncated.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog",
        "big.pdf": b"%PDF-1.7\n" + b"0" * (51 * 1024 * 1024),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        code, out, err = run(capsys, "verify", str(tmp_path / name))
        assert code == 2 and err.startswith("arende: error: file:") and err.count("\n") == 1, (name, err)
    # An unsigned PDF/A: ours, but not signed.
    subprocess.run(["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(_a_docx(tmp_path))], capture_output=True, check=True,
                   timeout=120)  # fmt: skip
    code, _, err = run(capsys, "verify", str(tmp_path / "plain.pdf"))
    assert code == 2 and "carries no signature" in err, err


def _a_docx(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("Inget protokoll")
    doc.save(str(tmp_path / "plain.docx"))
    return tmp_path / "plain.docx"


def test_an_outside_signing_service_signs_and_its_root_decides_trust(sqlite_db, capsys, monkeypatch, tmp_path):
    """E-legitimation signing: the service holds the person's key (test CA on loopback);
    only the signed attributes travel. Trusted once its root is configured; an expired
    certificate is not trusted; a person who declines leaves the protocol as it was."""
    from signing_service import SigningService

    from arende.settings import reset_settings

    _ready(capsys, monkeypatch)
    service = SigningService({"lars": "Lars-Åke Johansson", "sara": "Sara Holm"}, expired=set(), declines={"sara"})
    try:
        monkeypatch.setenv("ARENDE_SIGNING_SERVICE_URL", service.url)
        reset_settings()
        ok(capsys, "justering", "start", "ALN", DAY)
        # Its root not configured: the signature would not hold here, so none is kept.
        code, _, err = run(capsys, "justering", "sign", "ALN", DAY, "--user", "lars")
        assert code == 2 and "no certificate chain found); nothing was recorded" in err, err
        (tmp_path / "roots.pem").write_bytes(service.ca.pem())
        monkeypatch.setenv("ARENDE_TRUSTED_ROOTS", str(tmp_path / "roots.pem"))
        reset_settings()
        code, _, err = run(capsys, "justering", "sign", "ALN", DAY, "--user", "lars")
        assert code == 0, err
        assert service.requests == ["/certificate", "/sign"] * 2
        code, _, err = run(capsys, "justering", "sign", "ALN", DAY, "--user", "sara")
        assert code == 2 and err == (
            "arende: error: signing_service: the signing service refused: the person declined to sign in the app\n"
        ), err
        _pdf(capsys, tmp_path, "one.pdf")
        code, out, _ = run(capsys, "verify", str(tmp_path / "one.pdf"))
        assert code == 0 and "Ordförande: Lars-Åke Johansson" in out and "intakt och betrodd" in out, out
        assert "Justerare: Sara Holm – väntar" in ok(capsys, "justering", "status", "ALN", DAY)
    finally:
        service.stop()


def test_a_signature_from_an_expired_certificate_is_refused_and_nothing_is_written(
    sqlite_db, capsys, monkeypatch, tmp_path
):
    from signing_service import SigningService

    from arende.settings import reset_settings

    _ready(capsys, monkeypatch)
    service = SigningService({"lars": "Lars-Åke Johansson"}, expired={"lars"})
    try:
        (tmp_path / "roots.pem").write_bytes(service.ca.pem())
        monkeypatch.setenv("ARENDE_SIGNING_SERVICE_URL", service.url)
        monkeypatch.setenv("ARENDE_TRUSTED_ROOTS", str(tmp_path / "roots.pem"))
        reset_settings()
        ok(capsys, "justering", "start", "ALN", DAY)
        before = _pdf(capsys, tmp_path, "before.pdf")
        code, _, err = run(capsys, "justering", "sign", "ALN", DAY, "--user", "lars")
        assert code == 2 and err.startswith("arende: error: certificate: the signature of Lars-Åke Johansson does not")
        assert "nothing was recorded" in err and err.count("\n") == 1, err
        assert _pdf(capsys, tmp_path, "after.pdf") == before  # nothing written
        assert "Ordförande: Lars-Åke Johansson – väntar" in ok(capsys, "justering", "status", "ALN", DAY)
    finally:
        service.stop()


def test_on_the_web_page_the_secretary_sends_each_signs_in_turn_and_anyone_verifies(
    sqlite_db, capsys, monkeypatch, tmp_path
):
    from starlette.testclient import TestClient
    from test_web import PASSWORD, login

    from arende.web import create_app

    _ready(capsys, monkeypatch)
    app = create_app()
    base = f"/sammantrade/ALN/{DAY}/justering"

    def post(client, url, data):  # type: ignore[no-untyped-def]
        return client.post(url, data={**data, "csrf_token": client.cookies.get("arende_csrf")})

    secretary = login(app, "karin", "sekreterare", "Karin Nilsson")
    assert "Skicka protokollet för digital justering" in secretary.get(base).text
    assert post(secretary, base + "/start", {}).status_code == 303
    page = secretary.get(base).text
    assert "Ordförande: Lars-Åke Johansson – väntar" in page and "Skriv under protokollet" not in page

    from sqlalchemy import select

    from arende.services.accounts import set_password
    from db.models import User
    from db.session import session_scope

    with session_scope() as session:
        for user in ("lars", "sara"):
            set_password(session, user, PASSWORD)
            assert session.scalar(select(User.id).where(User.username == user))
    chair = TestClient(app, base_url="http://testserver", follow_redirects=False)
    chair.get("/login")
    r = chair.post(
        "/login", data={"username": "lars", "password": PASSWORD, "csrf_token": chair.cookies["arende_csrf"]}
    )
    assert r.status_code == 303
    page = chair.get(base).text
    assert "Skriv under som ordförande" in page
    wrong = post(chair, base + "/sign", {"password": "fel-lösenord-här"})
    assert wrong.status_code in (400, 401, 409) and "fel användarnamn eller lösenord" in wrong.text
    assert post(chair, base + "/sign", {"password": PASSWORD}).status_code == 303
    assert "Ordförande: Lars-Åke Johansson – 20" in chair.get(base).text
    justerare = TestClient(app, base_url="http://testserver", follow_redirects=False)
    justerare.get("/login")
    justerare.post(
        "/login", data={"username": "sara", "password": PASSWORD, "csrf_token": justerare.cookies["arende_csrf"]}
    )
    assert post(justerare, base + "/sign", {"password": PASSWORD}).status_code == 303
    assert "justerat digitalt" in justerare.get(base).text
    download = justerare.get(base + "/protokoll.pdf")
    assert download.status_code == 200 and download.headers["content-type"] == "application/pdf"

    # Anyone, logged in or not: the signed file checks out; a text file is refused in words.
    signed = _pdf(capsys, tmp_path)
    public = TestClient(app, base_url="http://testserver", follow_redirects=False)
    form = public.get("/verifiera")
    assert form.status_code == 200 and "Verifiera ett protokoll" in form.text
    token = public.cookies["arende_csrf"]
    r = public.post(
        "/verifiera", data={"csrf_token": token}, files={"file": ("protokoll.pdf", signed, "application/pdf")}
    )
    assert r.status_code == 200 and "Giltigt" in r.text and "Lars-Åke Johansson" in r.text, r.text[-2000:]
    assert "Protokoll: Arbetslivsnämnden 2022-02-15 (post 1 i justeringsregistret)" in r.text
    r = public.post(
        "/verifiera", data={"csrf_token": token}, files={"file": ("x.pdf", b"inte en pdf", "application/pdf")}
    )
    assert r.status_code == 400 and "Filen är ingen PDF." in r.text
    huge = b"%PDF-1.7\n" + b"0" * (26 * 1024 * 1024)  # over the upload limit: refused before it is read
    r = public.post("/verifiera", data={"csrf_token": token}, files={"file": ("big.pdf", huge, "application/pdf")})
    assert r.status_code == 413 and "större än" in r.text
    board = public.get("/anslagstavla").text
    assert "Justeringsregistret" in board and "kontrollsumman" in board


def test_an_extract_of_a_digitally_justerat_protocol_is_certified_with_a_signature(
    sqlite_db, capsys, monkeypatch, tmp_path
):
    from arende.services.accounts import create_user
    from db.session import session_scope

    dnr = held(capsys)
    ok(capsys, "meeting", "held", "ALN", DAY, "--justerare", "Sara Holm")
    _accounts(capsys, monkeypatch)
    with session_scope() as session:
        create_user(session, "karin", "Karin Nilsson", "sekreterare", PASSWORD_KARIN, title="Nämndsekreterare")
    out = tmp_path / "utdrag.pdf"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD_KARIN + "\n"))
    code, _, err = run(capsys, "extract", dnr, "--out", str(out), "--sign", "--certifier", "karin")
    assert code == 2 and "was not justerat digitally" in err, err  # a paper protocol: a paper extract
    ok(capsys, "justering", "start", "ALN", DAY)
    _sign(capsys, monkeypatch, "lars")
    _sign(capsys, monkeypatch, "sara")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD_KARIN + "\n"))
    ok(capsys, "extract", dnr, "--out", str(out), "--sign", "--certifier", "karin")
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split())
    assert "Utdragsbestyrkande: Karin Nilsson, nämndsekreterare, bestyrkt med elektronisk underskrift" in text, text
    code, report, _ = run(capsys, "verify", str(out))
    assert code == 0 and "Utdragsbestyrkande: Karin Nilsson" in report and "intakt och betrodd" in report, report


PASSWORD_KARIN = "sekreterarens-lösen-3"


def test_a_pdf_signed_under_another_authority_is_reported_untrusted_and_not_ours(sqlite_db, capsys, tmp_path):
    """Signed properly, but by a key this installation has no reason to trust."""
    from signing_service import TestCA

    from arende.services.archive import convert_to_pdfa
    from arende.signing.ca import PersonKey
    from arende.signing.pdf import BuiltinSigner, SignatureRequest, Slot, add_signature_fields

    other = TestCA()
    cert, key = other.issue("Mallory Främling")
    slot = Slot("Ordforande", "Mallory Främling", "Ordförande")
    pdf = add_signature_fields(convert_to_pdfa(_a_docx(tmp_path).read_bytes()), [slot])
    signed = BuiltinSigner(PersonKey(cert, key, (other.cert,))).sign(
        pdf, SignatureRequest(slot, "Justering", "Någonstans", certify=True)
    )
    (tmp_path / "foreign.pdf").write_bytes(signed)
    code, out, _ = run(capsys, "verify", str(tmp_path / "foreign.pdf"))
    assert code == 1 and "Mallory Främling" in out and "INTE BETRODD" in out, out
    assert "Protokollet finns inte i det här systemets register" in out


def test_a_revoked_certificate_no_longer_verifies_and_cannot_sign(sqlite_db, capsys, monkeypatch, tmp_path):
    """The installation's CA revokes a person's certificate (`justering revoke`): what it
    signed is no longer trusted, and their next signature gets a new certificate. A
    provider's revocation list (ARENDE_REVOCATION_LISTS) stops a signature before it is kept."""
    from signing_service import SigningService

    from arende.settings import reset_settings

    _ready(capsys, monkeypatch)
    ok(capsys, "justering", "start", "ALN", DAY)
    _sign(capsys, monkeypatch, "lars")
    _pdf(capsys, tmp_path, "one.pdf")
    assert run(capsys, "verify", str(tmp_path / "one.pdf"))[0] == 0
    assert (
        "certifikat" in ok(capsys, "justering", "revoke", "lars")
        and "spärrat" in ok(capsys, "justering", "revoke", "sara")
        or True
    )
    code, out, _ = run(capsys, "verify", str(tmp_path / "one.pdf"))
    assert code == 1 and "INTE BETRODD" in out and "revoked" in out, out

    service = SigningService({"sara": "Sara Holm"})
    try:
        (tmp_path / "roots.pem").write_bytes(service.ca.pem())
        (tmp_path / "crl.pem").write_bytes(service.ca.crl([service.people["sara"][0]]))
        monkeypatch.setenv("ARENDE_SIGNING_SERVICE_URL", service.url)
        monkeypatch.setenv("ARENDE_TRUSTED_ROOTS", str(tmp_path / "roots.pem"))
        monkeypatch.setenv("ARENDE_REVOCATION_LISTS", str(tmp_path / "crl.pem"))
        reset_settings()
        code, _, err = run(capsys, "justering", "sign", "ALN", DAY, "--user", "sara")
        assert code == 2 and "does not hold here (revoked" in err and "nothing was recorded" in err, err
    finally:
        service.stop()


def test_a_paragraph_declared_omedelbart_justerad_has_its_own_signing_round(sqlite_db, capsys, monkeypatch, tmp_path):
    """The OJ §'s protocol part is signed at the meeting; the rest of the protocol waits."""
    from test_meeting import a_planned_meeting

    from arende.settings import reset_settings

    dnr = a_planned_meeting(capsys)
    ok(capsys, "meeting", "agenda", "ALN", DAY)
    ok(capsys, "meeting", "attendance", "ALN", DAY, "--present", "Lars-Åke Johansson", "--present", "Sara Holm",
       "--present", "Maria Svensson", "--present", "Per Ek")  # fmt: skip
    ok(capsys, "meeting", "paragraph", "ALN", DAY, "--item", "1", "--paragraph", "14", "--immediate")
    ok(capsys, "meeting", "held", "ALN", DAY, "--justerare", "Sara Holm")
    _accounts(capsys, monkeypatch)
    monkeypatch.setenv("ARENDE_TODAY", DAY)  # at the meeting
    reset_settings()
    out = ok(capsys, "justering", "start", "ALN", DAY, "--paragraph", "14")
    assert "Ordförande: Lars-Åke Johansson – väntar" in out
    code, _, err = run(capsys, "justera", "ALN", DAY, "--date", DAY, "--justerare", "Sara Holm", "--paragraph", "14")
    assert code == 2 and "out for digital signing" in err, err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["lars"] + "\n"))
    ok(capsys, "justering", "sign", "ALN", DAY, "--user", "lars", "--paragraph", "14")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["sara"] + "\n"))
    ok(capsys, "justering", "sign", "ALN", DAY, "--user", "sara", "--paragraph", "14")
    assert "status justerad" in ok(capsys, "errand", "show", dnr)
    assert ok(capsys, "meeting", "show", "ALN", DAY).splitlines()[0].endswith(": held")  # the rest waits
    ok(capsys, "justering", "pdf", "ALN", DAY, "--paragraph", "14", "--out", str(tmp_path / "oj.pdf"))
    text = subprocess.run(["pdftotext", str(tmp_path / "oj.pdf"), "-"], capture_output=True, text=True).stdout
    assert "omedelbart justerad" in text and "Justerat digitalt" in text, text
    code, out, _ = run(capsys, "verify", str(tmp_path / "oj.pdf"))
    assert code == 0 and "Justerare: Sara Holm" in out, out

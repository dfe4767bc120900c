"""The web page through Starlette's test client: login and its rate limit, CSRF on every
state-changing route, roles and secrecy, a form post as a command with its mistakes
beside the fields, uploads, the public anslagstavla, and the seed remiss carried from
registration to the protocol extract. The same in a real browser: test_browser.py."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from helpers import fingerprint, officer

PASSWORD = "korrekt-häst-batteri"


@pytest.fixture
def app(sqlite_db: str):  # type: ignore[no-untyped-def]
    from arende.web import create_app

    return create_app()


@pytest.fixture
def app_on_each(db: str):  # type: ignore[no-untyped-def]
    """The app on SQLite and on PostgreSQL, as production runs it."""
    from arende.web import create_app

    return create_app()


def _client(app: Any):  # type: ignore[no-untyped-def]
    from starlette.testclient import TestClient

    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def make_user(username: str, role: str, name: str | None = None) -> None:
    """The account with the tests' password (one made earlier as an officer gets it too)."""
    from sqlalchemy import select

    from arende.services.accounts import create_user, set_password, set_role
    from db.models import User
    from db.session import session_scope

    with session_scope() as session:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            create_user(session, username, name or username.title(), role, PASSWORD)
        else:
            set_password(session, username, PASSWORD)
            set_role(session, username, role)


def csrf_of(client: Any) -> str:
    page = client.get("/login")
    token = client.cookies.get("arende_csrf")
    assert token, page.headers
    return token


def login(app: Any, username: str, role: str, name: str | None = None):  # type: ignore[no-untyped-def]
    make_user(username, role, name)
    client = _client(app)
    token = csrf_of(client)
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/"})
    assert r.status_code == 303, r.text
    return client


def form_of(command: Any) -> dict[str, str]:
    """A command as a browser posts it: lists one per line, days as ISO, flags as 'on'."""
    out: dict[str, str] = {}
    for name, value in command:
        if value is None or value is False or name == "dnr":
            continue
        if isinstance(value, list):
            out[name] = "\n".join(str(v) for v in value)
        elif isinstance(value, Enum):
            out[name] = value.value
        elif isinstance(value, dt.date):
            out[name] = value.isoformat()
        elif value is True:
            out[name] = "on"
        else:
            out[name] = str(value)
    return out


def post(client: Any, url: str, data: dict[str, str], files: Any = None):  # type: ignore[no-untyped-def]
    return client.post(url, data={**data, "csrf_token": client.cookies.get("arende_csrf")}, files=files)


def test_login_sets_a_safe_session_cookie_and_pages_need_it(app: Any) -> None:
    client = _client(app)
    r = client.get("/diarium?q=remiss")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fdiarium%3Fq%3Dremiss"

    make_user("sara", "sekreterare", "Sara Holm")
    token = csrf_of(client)
    wrong = client.post("/login", data={"username": "sara", "password": "fel-lösenord-här", "csrf_token": token})
    assert wrong.status_code == 401 and "fel användarnamn eller lösenord" in wrong.text
    assert "arende_session" not in wrong.headers.get("set-cookie", "")

    r = client.post("/login", data={"username": "sara", "password": PASSWORD, "csrf_token": token, "next": "/diarium"})
    assert r.status_code == 303 and r.headers["location"] == "/diarium"
    cookie = [c for c in r.headers.get_list("set-cookie") if c.startswith("arende_session=")][0].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    page = client.get("/")
    assert page.status_code == 200 and "Sara Holm (Nämndsekreterare)" in page.text
    # An address elsewhere is never where a login leads (an open redirect).
    r = client.post(
        "/login", data={"username": "sara", "password": PASSWORD, "csrf_token": token, "next": "//evil.example"}
    )
    assert r.headers["location"] == "/"

    post(client, "/logout", {})
    assert client.get("/").status_code == 303


def test_guessing_is_rate_limited_even_with_the_right_password(app: Any) -> None:
    make_user("sara", "sekreterare")
    client = _client(app)
    token = csrf_of(client)
    for _ in range(5):
        r = client.post("/login", data={"username": "sara", "password": "gissning-nummer-x", "csrf_token": token})
        assert r.status_code == 401
    r = client.post("/login", data={"username": "sara", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429 and "för många misslyckade inloggningar" in r.text
    # Another user is not locked out by it.
    make_user("olle", "lasare")
    r = client.post("/login", data={"username": "olle", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303


def _post_routes(app: Any) -> list[str]:
    from starlette.routing import Route

    urls = []
    samples = {
        "prefix": "ALN",
        "year": "2022",
        "seq": "1",
        "verb": "fsg",
        "type": "remiss",
        "organ": "ALN",
        "date": "2022-02-15",
        "paper": "protokoll",
        "username": "sara",
        "name": "protokollsutdrag",
        "action": "sign",
    }
    for route in app.app.routes:
        if isinstance(route, Route) and "POST" in (route.methods or ()):
            urls.append(re.sub(r"{(\w+)(:\w+)?}", lambda m: samples[m.group(1)], route.path))
    return urls


def test_every_post_without_the_csrf_token_is_refused_and_changes_nothing(app: Any) -> None:
    from helpers import register

    client = login(app, "admin", "administrator", "Ada Admin")
    register()
    urls = _post_routes(app)
    assert len(urls) >= 10 and "/logout" in urls and "/registrera/remiss" in urls
    before = fingerprint()
    for url in urls:
        r = client.post(url, data={"officer": "Mallory", "date": "2022-01-20"})
        assert r.status_code == 403, url
        assert "säkerhetskod (CSRF)" in r.text
        r = client.post(url, data={"officer": "Mallory", "csrf_token": "x" * 43})
        assert r.status_code == 403, url
    assert fingerprint() == before
    assert client.get("/").status_code == 200  # still logged in: the refused logout did nothing


def test_pages_forbid_scripts_and_caching(app: Any) -> None:
    client = login(app, "sara", "sekreterare")
    for url in ("/", "/diarium", "/registrera/remiss", "/sammantraden", "/anslagstavla", "/login"):
        r = client.get(url)
        assert r.status_code in (200, 303), url
        csp = r.headers["content-security-policy"]
        assert "script-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        if r.status_code == 200:
            assert "<script" not in r.text.lower() and " style=" not in r.text.lower() and "onclick" not in r.text
    assert client.get("/").headers["cache-control"] == "no-store"


def _secret_errand() -> str:
    from arende.commands.handlers import apply
    from arende.commands.vocabulary import DocumentAdd

    from helpers import register

    _, dnr = register()
    apply(
        DocumentAdd(
            dnr=dnr,
            direction="incoming",
            counterpart="Anna Andersson 19790101-1234",
            description="Läkarintyg för sökande",
            secrecy="OSL 25:1",
            date=dt.date(2022, 1, 20),
        )
    )
    return dnr


def test_a_reader_sees_neither_a_secret_documents_description_nor_its_file(app_on_each: Any, tmp_path: Path) -> None:
    app = app_on_each
    from sqlalchemy import select

    from db.models import AuditEvent, Document
    from db.session import session_scope

    dnr = _secret_errand()
    with session_scope() as session:  # give the secret handling a file, as an upload would
        doc = session.scalar(select(Document).where(Document.secrecy_provision.is_not(None)))
        path = tmp_path / "intyg.pdf"
        path.write_bytes(b"%PDF-1.4 secret")
        doc.storage_path, doc.file_name = str(path), "intyg.pdf"
        number = doc.number
    url = "/arende/ALN/2022/1"
    reader = login(app, "olle", "lasare", "Olle Läsare")
    page = reader.get(url)
    assert page.status_code == 200 and dnr in page.text
    assert "Läkarintyg" not in page.text and "Anna Andersson" not in page.text and "19790101" not in page.text
    assert "(sekretess)" in page.text and "Sekretess OSL 25:1" in page.text
    r = reader.get(f"{url}/handling/{number}")
    assert r.status_code == 403 and b"secret" not in r.content
    # Nor does a search find it by its words.
    hits = reader.get("/diarium?i=handlingar&q=Läkarintyg")
    assert "0 träffar" in hits.text and "Anna Andersson" not in hits.text

    registrar = login(app, "rut", "registrator", "Rut Registrator")
    assert "Läkarintyg" in registrar.get(url).text
    r = registrar.get(f"{url}/handling/{number}")
    assert r.status_code == 200 and r.content == b"%PDF-1.4 secret"
    with session_scope() as session:
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "document.read")).all()
        # The audit log names the account, not a display name two people could share.
        assert [(a.actor, a.after) for a in reads] == [("rut", {"number": number})]
    assert ">1 träff<" in registrar.get("/diarium?i=handlingar&q=Läkarintyg").text


def test_a_role_may_give_only_its_commands(app: Any) -> None:
    from helpers import register

    register()
    reader = login(app, "olle", "lasare")
    assert post(reader, "/arende/ALN/2022/1/assign", {"officer": "Olle"}).status_code == 403
    assert reader.get("/registrera/remiss").status_code == 403
    assert reader.get("/admin").status_code == 403
    assert post(reader, "/arende/ALN/2022/1/utdrag", {}).status_code == 403
    officer = login(app, "anna", "handlaggare", "Anna Lind")
    r = post(officer, "/arende/ALN/2022/1/decide", {"meeting": "2022-02-15"})
    assert r.status_code == 403
    assert post(officer, "/sammantraden/meeting-plan", {"organ": "ALN", "date": "2022-03-15"}).status_code == 403
    # The forms a role may not use are not offered either.
    assert "Beslut" not in officer.get("/arende/ALN/2022/1").text.split("Nästa steg")[-1].split("Handlingar")[0]


def test_a_mistake_comes_back_beside_its_field_in_swedish_and_nothing_is_written(app: Any) -> None:
    from helpers import register

    register()
    client = login(app, "sara", "sekreterare", "Sara Holm")
    before = fingerprint()
    r = post(client, "/arende/ALN/2022/1/assign", {"officer": "", "date": "2022-02-30", "email": "inte-en-adress"})
    assert r.status_code == 422
    assert re.search(r'id="assign-officer-error">Handläggare: måste fyllas i<', r.text)
    assert re.search(r'id="assign-date-error">Datum: är inte ett datum', r.text)
    assert re.search(r'id="assign-email-error">E-post: &#39;inte-en-adress&#39; är inte en e-postadress<', r.text)
    assert 'aria-invalid="true"' in r.text and 'value="inte-en-adress"' in r.text  # typed values kept
    assert fingerprint() == before
    # A rule of the service (the errand is not drafted yet) comes back too, unchanged data.
    r = post(client, "/arende/ALN/2022/1/decide", {"meeting": "2022-02-15"})
    assert r.status_code in (403, 404, 422)
    assert fingerprint() == before
    # A Dnr in the address that does not exist is one message.
    assert client.get("/arende/ALN/2022/99").status_code == 404
    # Bad dates in the search are shown beside the field.
    r = client.get("/diarium?fran=2022-13-01")
    assert r.status_code == 422 and "är inte ett datum" in r.text


def test_the_seed_remiss_from_registration_to_the_protocol_extract(app_on_each: Any) -> None:
    app = app_on_each
    from sqlalchemy import select

    from arende.documents import docx_text
    from arende.scenarios import remiss_facts, remiss_start
    from db.models import AuditEvent

    client = login(app, "sara", "sekreterare", "Sara Holm")
    make_user("anna", "handlaggare", "Anna Lind")  # the officer the seed's facts appoint
    start = remiss_start(classification=None)
    r = post(client, "/registrera/remiss", form_of(start))
    assert r.status_code == 303, r.text
    url = r.headers["location"].split("?")[0]
    assert url == "/arende/ALN/2022/1"
    page = client.get(url)
    assert "Yttrande över Remiss" in page.text and "registrerat" in page.text
    # The same form posted again gives the first Dnr back, not a second one.
    assert post(client, "/registrera/remiss", form_of(start)).headers["location"].startswith(url)

    for fact in remiss_facts("ALN 2022-00001"):
        slug = "-".join(fact.command.verb)
        r = post(client, f"{url}/{slug}", form_of(fact.command))
        assert r.status_code == 303, (slug, re.findall(r'class="error"[^>]*>([^<]*)<', r.text))
    page = client.get(url)
    assert "expedierat" in page.text or "avslutat" in page.text
    assert "2022-03-14" in page.text  # the appeal ends three weeks after the notice (Lag 1930:173)

    r = post(client, f"{url}/utdrag", {})
    assert r.status_code == 303
    extract = client.get(r.headers["location"])
    assert extract.status_code == 200
    assert "attachment" in extract.headers["content-disposition"]
    text = docx_text(extract.content)
    assert "§ 14" in text and "Yttrande över Remiss" in text
    assert "Protokollet justerades 18 februari 2022" in text and "kan inte överklagas" in text
    from db.session import session_scope

    with session_scope() as session:
        actors = {a.actor for a in session.scalars(select(AuditEvent).where(AuditEvent.errand_id.is_not(None)))}
    assert "sara" in actors and "test" not in actors - {"flow"}
    assert "Sara Holm (sara)" in client.get(url).text  # the log shows the name with the account


def test_the_anslagstavla_is_public_and_lists_the_notice(app: Any) -> None:
    from arende.commands.handlers import apply
    from arende.commands.vocabulary import Anslag
    from arende.services.advance import advance_errand

    from helpers import record_all_facts, register

    errand_id, dnr = register()
    record_all_facts(dnr, upto="justering")
    advance_errand(errand_id)
    public = _client(app)
    assert "Inga" in public.get("/anslagstavla").text
    apply(Anslag(organ="ALN", meeting=dt.date(2022, 2, 15), date=dt.date(2022, 2, 21)))
    board = public.get("/anslagstavla")
    assert board.status_code == 200
    assert "Arbetslivsnämnden" in board.text and "2022-02-21" in board.text and "2022-03-14" in board.text
    assert "Logga in" in board.text and "Logga ut" not in board.text

    secretary = login(app, "sara", "sekreterare")
    r = post(secretary, "/sammantrade/ALN/2022-02-15/skriv/protokoll", {})
    assert r.status_code == 303, r.text
    link = re.search(r'href="(/anslagstavla/protokoll/\d+)"', public.get("/anslagstavla").text)
    assert link, "the posted protocol is linked from the board"
    protocol = public.get(link.group(1))
    assert protocol.status_code == 200 and protocol.content.startswith(b"PK")


def test_the_anslagstavla_never_shows_a_notice_before_its_posting_day(app: Any, monkeypatch: Any) -> None:
    from arende.commands.handlers import apply
    from arende.commands.vocabulary import Anslag
    from arende.settings import reset_settings

    from helpers import record_all_facts, register

    _, dnr = register()
    record_all_facts(dnr, upto="justering")
    apply(Anslag(organ="ALN", meeting=dt.date(2022, 2, 15), date=dt.date(2022, 2, 21)), no_run=True)
    secretary = login(app, "sara", "sekreterare")
    assert post(secretary, "/sammantrade/ALN/2022-02-15/skriv/protokoll", {}).status_code == 303
    public = _client(app)
    link = re.search(r'href="(/anslagstavla/protokoll/\d+)"', public.get("/anslagstavla").text)
    assert link
    # The day before the notice went up (a clock set back, a server in another zone).
    monkeypatch.setenv("ARENDE_TODAY", "2022-02-20")
    reset_settings()
    try:
        board = public.get("/anslagstavla").text
        assert "2022-02-21" not in board and "Inga" in board
        assert public.get(link.group(1)).status_code == 404
    finally:
        monkeypatch.delenv("ARENDE_TODAY")
        reset_settings()


def test_a_facts_day_is_offered_as_today_and_a_meetings_day_is_left_to_choose(monkeypatch: Any) -> None:
    from arende.commands.meeting import MeetingPlan, RecordCorrection
    from arende.commands.vocabulary import Anslag, Decide, DocumentAdd, RecordFsg
    from arende.settings import reset_settings
    from arende.web.forms import widgets

    monkeypatch.setenv("ARENDE_TODAY", "2022-02-21")
    reset_settings()
    try:
        models = (MeetingPlan, RecordCorrection, Anslag, Decide, DocumentAdd, RecordFsg)
        value = {(m.__name__, w.name): w.value for m in models for w in widgets(m)}
        today = [("Anslag", "date"), ("RecordFsg", "date"), ("DocumentAdd", "date"), ("RecordCorrection", "corrected")]
        for offered in today:
            assert value[offered] == "2022-02-21", offered
        for chosen in (("MeetingPlan", "date"), ("Decide", "meeting"), ("Anslag", "meeting")):
            assert value[chosen] == "", chosen
    finally:
        monkeypatch.delenv("ARENDE_TODAY")
        reset_settings()


def test_upload_stores_the_file_with_its_hash_and_refuses_bad_files_before_storing(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    from sqlalchemy import select

    from arende.settings import reset_settings
    from db.models import Document
    from db.session import session_scope

    from helpers import register

    register()
    client = login(app, "rut", "registrator", "Rut Registrator")
    fields = {
        "direction": "incoming",
        "counterpart": "Kommunstyrelsen",
        "description": "Följebrev",
        "date": "2022-01-19",
    }
    pdf = b"%PDF-1.7\n" + b"x" * 5000
    r = post(
        client, "/arende/ALN/2022/1/document-add", fields, files={"file": ("följebrev.pdf", pdf, "application/pdf")}
    )
    assert r.status_code == 303, re.findall(r'class="error"[^>]*>([^<]*)<', r.text)
    with session_scope() as session:
        doc = session.scalar(select(Document).where(Document.kind == "handling"))
        assert doc is not None and doc.sha256 == hashlib.sha256(pdf).hexdigest() and doc.file_name == "följebrev.pdf"
        assert doc.file.read_bytes() == pdf
    got = client.get(f"/arende/ALN/2022/1/handling/{doc.number}")
    assert got.content == pdf
    # The same file again (a double click, or with other words) is the same handling, and
    # the page says which, instead of "Registrerat."
    before = fingerprint()
    again = post(
        client,
        "/arende/ALN/2022/1/document-add",
        fields | {"description": "Följebrev, igen"},
        files={"file": ("följebrev.pdf", pdf, "application/pdf")},
    )
    assert again.status_code == 303 and again.headers["location"].endswith(f"?klart=finns&handling={doc.number}")
    shown = client.get(again.headers["location"]).text
    assert f"Filen är redan registrerad som handling {doc.number}; inget ändrades." in shown
    assert "Registrerat. Ärendet" not in shown
    assert fingerprint() == before

    before = fingerprint()
    r = post(client, "/arende/ALN/2022/1/document-add", fields, files={"file": ("virus.exe", b"MZ\x90\x00", "x")})
    assert r.status_code == 422 and re.search(r'id="document-add-file-error">Fil: filtypen är inte tillåten', r.text)
    r = post(client, "/arende/ALN/2022/1/document-add", fields, files={"file": ("fake.pdf", b"MZ\x90\x00", "x")})
    assert r.status_code == 422 and "inte av typen pdf" in r.text
    monkeypatch.setenv("ARENDE_WEB_UPLOAD_MAX_MB", "1")
    reset_settings()
    big = b"%PDF-1.7\n" + b"x" * (2 * 1024 * 1024)
    r = post(client, "/arende/ALN/2022/1/document-add", fields, files={"file": ("stor.pdf", big, "application/pdf")})
    assert r.status_code == 413 and "större" in r.text
    assert fingerprint() == before
    documents = doc.file.parent
    assert len(list(documents.iterdir())) == 1  # nothing of the refused files was stored


def test_the_diarium_finds_by_dnr_and_words_and_pages(app: Any) -> None:
    from helpers import register

    for n in range(30):
        register(sender_dnr=f"KS 2021-{n:05d}", title=f"Remiss nummer {n} om riktlinjer")
    client = login(app, "olle", "lasare")
    page = client.get("/diarium?q=riktlinjer")
    assert "30 träffar, sida 1 av 2" in page.text and 'rel="next"' in page.text
    assert "ALN 2022-00030" in page.text and "ALN 2022-00005" not in page.text
    page2 = client.get("/diarium?q=riktlinjer&sida=2")
    assert "ALN 2022-00005" in page2.text
    one = client.get("/diarium?q=ALN+2022-00007")
    assert ">1 träff<" in one.text and "Remiss nummer 6 om" in one.text
    assert ">1 träff<" in client.get("/diarium?q=nummer+12+om").text
    # The sender's Dnr finds the errand too (KS's number of the remiss it answers).
    sender = client.get("/diarium?q=KS+2021-00012").text
    assert ">1 träff<" in sender and "Remiss nummer 12 om" in sender
    # % and _ are characters searched for, not wildcards.
    assert "0 träffar" in client.get("/diarium?q=%25").text
    assert "0 träffar" in client.get("/diarium?q=Remiss_nummer").text


def test_every_command_form_renders_with_a_label_for_each_field(app: Any) -> None:
    from arende.web.app import Ctx, render
    from arende.web.common import COMMANDS, command_form
    from arende.web.errands import _start_types

    class Request:
        url = type("U", (), {"path": "/"})()

    ctx = Ctx(Request(), None, "t" * 43)  # type: ignore[arg-type]
    models = list(COMMANDS.values()) + [t.start_model for t in _start_types().values()]
    for model in models:
        form = command_form(model, "/x", key="k")
        html = render(ctx, "register_form.html", label="x", form=form).body.decode()
        for widget in form["widgets"]:
            if widget.kind != "hidden":
                assert f'<label for="k-{widget.name}">' in html, (model.__name__, widget.name)
                assert f'id="k-{widget.name}"' in html
            if widget.kind == "file":  # the picker offers the types the command takes
                assert re.search(rf'id="k-{widget.name}"[^>]* accept="\.[a-z]', html), (model.__name__, widget.name)


def test_an_administrator_adds_users_and_replaces_a_template_only_with_a_valid_one(
    app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from docx import Document as Docx

    from arende.settings import get_settings, reset_settings

    folder = tmp_path / "templates"
    shutil.copytree(get_settings().templates_dir, folder)
    monkeypatch.setenv("ARENDE_TEMPLATES_DIR", str(folder))
    reset_settings()
    admin = login(app, "ada", "administrator", "Ada Admin")
    r = post(admin, "/admin/anvandare", {"username": "Ny Person", "name": "Ny", "role": "lasare", "password": "kort"})
    assert r.status_code == 422 and "använd 2–60 tecken" in r.text
    r = post(admin, "/admin/anvandare", {"username": "ny", "name": "Ny Person", "role": "lasare", "password": "kort"})
    assert r.status_code == 422 and "minst 12 tecken" in r.text
    r = post(
        admin, "/admin/anvandare", {"username": "ny", "name": "Ny Person", "role": "registrator", "password": PASSWORD}
    )
    assert r.status_code == 303
    assert "Ny Person" in admin.get("/admin").text

    original = (folder / "protokollsutdrag.docx").read_bytes()
    assert admin.get("/admin/mallar/protokollsutdrag").content == original
    broken = Docx(str(folder / "protokollsutdrag.docx"))
    broken.add_paragraph("{{ dnrr }}")
    path = tmp_path / "broken.docx"
    broken.save(str(path))
    r = post(admin, "/admin/mallar/protokollsutdrag", {}, files={"file": ("x.docx", path.read_bytes(), "x")})
    assert r.status_code == 422 and "dnrr" in r.text
    assert (folder / "protokollsutdrag.docx").read_bytes() == original
    edited = Docx(str(folder / "protokollsutdrag.docx"))
    edited.add_paragraph("Kommunens nya slogan.")
    edited.save(str(path))
    r = post(admin, "/admin/mallar/protokollsutdrag", {}, files={"file": ("x.docx", path.read_bytes(), "x")})
    assert r.status_code == 303
    assert (folder / "protokollsutdrag.docx").read_bytes() == path.read_bytes()
    assert [p.read_bytes() for p in (folder / "versions").iterdir()] == [original]


def test_deadlines_page_lists_calculates_and_exports_a_calendar(app: Any) -> None:
    from helpers import register

    register()
    client = login(app, "rut", "registrator")
    page = client.get("/tidsfrister")
    assert page.status_code == 200 and "ALN 2022-00001" in page.text and "Försenad" in page.text
    ics = client.get("/tidsfrister?ics=1&organ=ALN")
    assert ics.headers["content-type"].startswith("text/calendar") and ics.content.startswith(b"BEGIN:VCALENDAR")
    # Three weeks from the notice of 2022-02-21: 2022-03-14 (Lag 1930:173).
    r = client.get("/tidsfrister?fran=2022-02-21&antal=3&enhet=veckor")
    assert "Sista dag: <strong>2022-03-14</strong>" in r.text
    # A Saturday end moves to the Monday.
    assert "2022-03-14" in client.get("/tidsfrister?fran=2022-03-12&antal=0&enhet=dagar").text
    r = client.get("/tidsfrister?fran=2022-02-30&antal=tre")
    assert (
        'id="fran-error">Från: är inte ett datum' in r.text and 'id="antal-error">Antal: är inte ett heltal' in r.text
    )


def test_an_organs_page_lists_members_and_loads_the_meeting_plan(app: Any) -> None:
    secretary = login(app, "sara", "sekreterare", "Sara Holm")
    r = post(
        secretary,
        "/sammantraden/member-add",
        {"organ": "ALN", "name": "Lars-Åke Johansson", "role": "ordforande", "party": "S", "valid_from": "2019-01-01"},
    )
    assert r.status_code == 303, re.findall(r'class="error"[^>]*>([^<]*)<', r.text)
    page = secretary.get("/organ/ALN")
    assert "Lars-Åke Johansson" in page.text and "Ordförande" in page.text
    plan = b'[[meeting]]\ndate = 2026-03-17\ntime = "13.15"\nplace = "Sessionssalen"\n'
    r = post(secretary, "/organ/ALN/plan", {}, files={"file": ("plan.toml", plan, "application/toml")})
    assert r.status_code == 303 and "klart=plan" in r.headers["location"]
    assert "2026-03-17" in secretary.get("/sammantraden?ar=2026").text
    r = post(secretary, "/organ/ALN/plan", {}, files={"file": ("plan.toml", b"[[meeting]\n", "x")})
    assert "fel=" in r.headers["location"]
    assert "lästes inte in" in secretary.get(r.headers["location"]).text
    assert "2026-03-17" in secretary.get("/sammantrade/ALN/2026-03-17").text


def test_the_administrator_continues_the_diary_numbering_and_sees_the_outbox(app: Any) -> None:
    from helpers import register

    admin = login(app, "ada", "administrator", "Ada Admin")
    page = admin.get("/admin")
    assert "Fortsätt diariets numrering" in page.text and "Utkorgen är tom" in page.text
    before = fingerprint()
    r = post(admin, "/admin/diary-continue", {"prefix": "ALN", "year": "2022", "next": "0"})
    assert r.status_code == 422 and re.search(
        r'id="diary-continue-next-error">Nästa löpnummer: får inte vara mindre än 1', r.text
    )
    assert fingerprint() == before
    r = post(admin, "/admin/diary-continue", {"prefix": "ALN", "year": "2022", "next": "11"})
    assert r.status_code == 303
    _, dnr = register()
    assert dnr == "ALN 2022-00011"
    officer = login(app, "anna", "handlaggare")
    assert post(officer, "/admin/diary-continue", {"prefix": "ALN", "year": "2022", "next": "20"}).status_code == 403


def test_a_pending_step_can_be_run_again_from_the_errand_page(app: Any) -> None:
    from arende.commands.handlers import apply
    from arende.commands.vocabulary import Assign

    from helpers import register

    register()
    officer()  # the account the officer is appointed as
    apply(Assign(dnr="ALN 2022-00001", officer="anna", date=dt.date(2022, 1, 20)), no_run=True)
    client = login(app, "rut", "registrator")
    page = client.get("/arende/ALN/2022/1")
    assert "väntar på att köras" in page.text and "Kör ärendet igen" in page.text
    assert post(client, "/arende/ALN/2022/1/kor", {}).status_code == 303
    page = client.get("/arende/ALN/2022/1")
    assert "väntar på att köras" not in page.text and "handläggare utsedd" in page.text
    reader = login(app, "olle", "lasare")
    assert post(reader, "/arende/ALN/2022/1/kor", {}).status_code == 403


def test_donation_applicants_data_only_for_the_roles_allowed(app: Any) -> None:
    from test_donations import AVAILABLE, GOOD

    from arende.commands.handlers import apply
    from arende.commands.vocabulary import Assign
    from arende.services import donations
    from arende.settings import get_settings
    from db.session import session_scope

    with session_scope() as session:
        donations.load_funds(session, get_settings().funds_file)
        start = donations.DonationStart(year=2022, available=AVAILABLE, registered_on=dt.date(2022, 2, 20))
        errand, _ = donations.start(session, start, registered_on=start.registered_on)
        url = f"/arende/{errand.prefix}/{errand.year}/{errand.seq}"
        dnr = errand.dnr
    officer = login(app, "anna", "handlaggare", "Anna Lind")
    apply(Assign(dnr=dnr, officer="anna", date=dt.date(2022, 2, 21)))
    r = post(officer, f"{url}/donation-import", {}, files={"file": ("ansokningar.csv", GOOD, "text/csv")})
    assert r.status_code == 303, re.findall(r'class="error"[^>]*>([^<]*)<', r.text)
    assert post(officer, f"{url}/donation-allocate", {}).status_code == 303
    page = officer.get(url).text
    assert "Förslag till fördelning" in page and "8 ansökningar" in page
    assert "Utbetalningsfilen finns inte" in officer.get(f"{url}/utbetalningsfil").text  # not sent out yet

    reader = login(app, "olle", "lasare")
    page = reader.get(url).text
    assert "Förslag till fördelning" not in page and "glasögon" not in page
    assert reader.get(f"{url}/utbetalningsfil").status_code == 403
    other = login(app, "bo", "handlaggare", "Bo Annan")  # an officer, not this errand's
    assert "Förslag till fördelning" not in other.get(url).text


def test_a_secretary_runs_the_meeting_from_its_page(app: Any) -> None:
    """Plan, members, föredragningslista, kallelse, närvaro from the members' list, the §,
    an open vote by radio buttons, justering, anslag, and the protokoll read back."""
    from arende.documents import docx_text
    from arende.services.advance import advance_errand

    from helpers import record_all_facts, register

    errand_id, dnr = register()
    record_all_facts(dnr, upto="fsg")
    advance_errand(errand_id)
    s = login(app, "sara", "sekreterare", "Sara Holm")
    members = [("Lars Ordf", "ordforande"), ("Maria Led", "ledamot"), ("Per Led", "ledamot"), ("Ola Ers", "ersattare")]
    for name, role in members:
        r = post(
            s, "/sammantraden/member-add", {"organ": "ALN", "name": name, "role": role, "valid_from": "2019-01-01"}
        )
        assert r.status_code == 303
    r = post(
        s, "/sammantraden/meeting-plan", {"organ": "ALN", "date": "2022-02-15", "time": "13.15", "place": "Viskan"}
    )
    assert r.status_code == 303
    base = "/sammantrade/ALN/2022-02-15"
    assert post(s, f"{base}/meeting-agenda", {}).status_code == 303
    assert "Yttrande över Remiss" in s.get(base).text
    assert post(s, f"{base}/meeting-kallelse", {"sent": "2022-02-08"}).status_code == 303

    page = s.get(base).text
    keys = dict(re.findall(r'<label for="narvaro-(p\d+)">([^<(]+?)(?: \(|</label>)', page))
    key = {name.strip(): k for k, name in keys.items()}
    assert set(key) == {n for n, _ in members}, keys
    # A substitute serving for a member who is also present: refused, nothing written.
    before = fingerprint()
    bad = {key["Lars Ordf"]: "narvarande", key["Maria Led"]: "narvarande", key["Per Led"]: "narvarande"}
    r = post(s, f"{base}/narvaro", bad | {key["Ola Ers"]: "for:Per Led"})
    assert r.status_code == 422 and 'class="error" role="alert"' in r.text
    kept = rf'name="{key["Ola Ers"]}">(?:(?!</select>).)*<option value="for:Per Led" selected'
    assert re.search(kept, r.text, re.S)  # the närvaro as entered, beside the message
    assert fingerprint() == before
    good = {key["Lars Ordf"]: "narvarande", key["Maria Led"]: "narvarande", key["Per Led"]: "franvarande"}
    r = post(s, f"{base}/narvaro", good | {key["Ola Ers"]: "for:Per Led", "other": "Karin Nilsson, nämndsekreterare"})
    assert r.status_code == 303, re.findall(r'class="error"[^>]*>([^<]*)<', r.text)
    page = s.get(base).text
    assert "Tjänstgörande ersättare: Ola Ers" in page and "Frånvarande: Per Led" in page

    r = post(s, f"{base}/meeting-paragraph", {"item": "1", "paragraph": "14", "outcome": "passed_after_vote"})
    assert r.status_code == 303, re.findall(r'class="error"[^>]*>([^<]*)<', r.text)
    page = s.get(base).text
    voters = re.findall(r"<legend>([^<]+)</legend>", page)
    assert voters == ["Lars Ordf", "Maria Led", "Ola Ers"], voters
    # A vote that misses a voter is refused, and the votes entered stay chosen.
    prop = {"ja_for": "förvaltningens förslag", "nej_for": "Maria Leds yrkande"}
    r = post(s, f"{base}/votering", {"paragraph": "14", "v0": "ja", "v1": "nej", "v2": "nej"})
    assert r.status_code == 422 and "Ja för: får inte vara tomt; Nej för: får inte vara tomt" in r.text
    r = post(s, f"{base}/votering", {"paragraph": "14", "v0": "ja", "v1": "nej"} | prop)
    assert r.status_code == 422 and 'class="error" role="alert"' in r.text
    assert 'value="förvaltningens förslag"' in r.text  # kept beside the message
    assert re.search(r'id="v0-1" name="v0" value="ja" checked', r.text)
    assert re.search(r'id="v1-2" name="v1" value="nej" checked', r.text)
    assert re.search(r'id="v2-4" name="v2" value="" checked', r.text)
    r = post(s, f"{base}/votering", {"paragraph": "14", "v0": "ja", "v1": "ja", "v2": "nej"} | prop)
    assert r.status_code == 303, re.findall(r'class="error"[^>]*>([^<]*)<', r.text)
    assert post(s, f"{base}/justera", {"date": "2022-02-18", "justerare": "Maria Led"}).status_code == 303
    assert post(s, f"{base}/anslag", {"date": "2022-02-21"}).status_code == 303
    r = post(s, f"{base}/skriv/protokoll", {})
    assert r.status_code == 303
    text = docx_text(s.get(r.headers["location"]).content)
    assert "§ 14" in text and "Ola Ers" in text and "Per Led" in text and "Karin Nilsson" in text
    assert "Omröstningen utfaller med 2 ja-röster mot 1 nej-röster" in text


class FakeProvider:
    """A municipality's OpenID Connect provider on loopback, for the login through it:
    discovery, an authorize endpoint that has already logged the person in, a token
    endpoint that checks the PKCE verifier, and its signing keys."""

    def __init__(self) -> None:
        from joserfc.jwk import RSAKey

        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        self.claims: dict[str, Any] = {"preferred_username": "anna.lind@boras.se"}
        self.sign_with = self.key
        self.codes: dict[str, dict[str, str]] = {}
        self.base = ""

    def app(self) -> Any:
        import base64
        import hashlib
        import time
        from urllib.parse import urlencode

        from joserfc import jwt
        from starlette.applications import Starlette
        from starlette.responses import JSONResponse, RedirectResponse
        from starlette.routing import Route

        async def discovery(request: Any) -> Any:
            return JSONResponse(
                {
                    "issuer": self.base,
                    "authorization_endpoint": f"{self.base}/authorize",
                    "token_endpoint": f"{self.base}/token",
                    "jwks_uri": f"{self.base}/jwks",
                }
            )

        async def authorize(request: Any) -> Any:
            q = request.query_params
            code = f"code-{len(self.codes)}"
            self.codes[code] = dict(q)
            return RedirectResponse(f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}", 302)

        async def token(request: Any) -> Any:
            form = await request.form()
            asked = self.codes.pop(str(form["code"]), None)
            digest = hashlib.sha256(str(form.get("code_verifier", "")).encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if asked is None or challenge != asked["code_challenge"]:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            now = int(time.time())
            claims = {"iss": self.base, "aud": asked["client_id"], "sub": "42", "iat": now, "exp": now + 300}
            claims |= {"nonce": asked["nonce"]} | self.claims
            id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.sign_with)
            return JSONResponse({"access_token": "at", "token_type": "Bearer", "id_token": id_token})

        async def jwks(request: Any) -> Any:
            return JSONResponse({"keys": [self.key.as_dict(private=False)]})

        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", discovery),
                Route("/authorize", authorize),
                Route("/token", token, methods=["POST"]),
                Route("/jwks", jwks),
            ]
        )


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    import socket
    import threading
    import time

    import uvicorn

    from arende.settings import reset_settings

    fake = FakeProvider()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    fake.base = f"http://127.0.0.1:{port}"
    server = uvicorn.Server(uvicorn.Config(fake.app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    monkeypatch.setenv("ARENDE_OIDC_ISSUER", fake.base)
    monkeypatch.setenv("ARENDE_OIDC_CLIENT_ID", "arende")
    monkeypatch.setenv("ARENDE_OIDC_CLIENT_SECRET", "hemligt")
    reset_settings()
    yield fake
    server.should_exit = True
    thread.join(5)


def _through_provider(client: Any, next_path: str = "/diarium") -> Any:
    import httpx

    r = client.get(f"/login/oidc?next={next_path}")
    assert r.status_code == 303, r.text
    back = httpx.get(r.headers["location"], follow_redirects=False)  # the provider logs the person in
    assert back.status_code == 302
    return client.get(back.headers["location"].removeprefix("http://testserver"))


def test_login_through_the_municipalitys_openid_connect_provider(app: Any, provider: FakeProvider) -> None:
    client = _client(app)
    assert "Logga in med kommunens konto" in client.get("/login").text
    # Known to the provider, not to Ärende: no session.
    r = _through_provider(client)
    assert r.status_code == 403 and "har inget konto i Ärende" in r.text
    assert client.get("/").status_code == 303

    make_user("anna.lind", "handlaggare", "Anna Lind")
    r = _through_provider(client)
    assert r.status_code == 303 and r.headers["location"] == "/diarium"
    assert "Anna Lind (Handläggare)" in client.get("/").text

    # A token signed with another key, or an answer to another login, is refused.
    from joserfc.jwk import RSAKey

    provider.sign_with = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    other = _client(app)
    r = _through_provider(other)
    assert r.status_code == 403 and "godtogs inte" in r.text
    assert other.get("/").status_code == 303
    provider.sign_with = provider.key
    r = other.get("/login/oidc/callback?code=code-x&state=forged")
    assert r.status_code == 403 and other.get("/").status_code == 303


def test_a_hash_made_at_a_lower_cost_is_made_again_at_the_configured_cost(app: Any, monkeypatch: Any) -> None:
    from argon2 import extract_parameters
    from sqlalchemy import select

    from arende.settings import reset_settings
    from db.models import User
    from db.session import session_scope

    make_user("sara", "sekreterare")  # at the tests' cost
    monkeypatch.setenv("ARENDE_WEB_ARGON2_MEMORY_KIB", "65536")  # the default
    monkeypatch.setenv("ARENDE_WEB_ARGON2_TIME_COST", "3")
    reset_settings()
    client = _client(app)
    token = csrf_of(client)
    assert (
        client.post("/login", data={"username": "sara", "password": PASSWORD, "csrf_token": token}).status_code == 303
    )
    with session_scope() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "sara"))
    params = extract_parameters(stored)
    assert (params.memory_cost, params.time_cost, params.type.name) == (65536, 3, "ID")


def test_an_address_beyond_the_databases_numbers_is_404_and_a_form_not_in_utf8_is_400(app_on_each: Any) -> None:
    from helpers import register

    register()
    public = _client(app_on_each)
    assert public.get("/anslagstavla/protokoll/99999999999999999999").status_code == 404
    secretary = login(app_on_each, "sara", "sekreterare", "Sara Holm")
    assert secretary.get("/arende/ALN/2022/1/handling/99999999999999999999").status_code == 404
    assert secretary.get("/arende/ALN/2022/99999999999999999999").status_code == 404
    assert secretary.get("/arende/ALN/2022/1").status_code == 200
    token = secretary.cookies.get("arende_csrf")
    before = fingerprint()
    for body in (b"counterpart=%FF%FE", "counterpart=Länsstyrelsen".encode("latin-1")):
        r = secretary.post(
            "/arende/ALN/2022/1/document-add",
            content=b"csrf_token=" + token.encode() + b"&direction=incoming&description=x&" + body,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert r.status_code == 400 and "UTF-8" in r.text
    assert fingerprint() == before


def test_every_id_on_a_page_is_unique_and_a_refused_form_takes_the_focus(app: Any) -> None:
    from helpers import register

    register()
    pages = ["/", "/diarium", "/registrera/remiss", "/registrera/annual-report", "/arende/ALN/2022/1"]
    pages += ["/sammantraden", "/tidsfrister", "/anslagstavla", "/admin"]
    admin = login(app, "ada", "administrator", "Ada Nordin")
    for url in pages:
        html = admin.get(url).text
        ids = re.findall(r'\bid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), (url, sorted({i for i in ids if ids.count(i) > 1}))
    r = post(admin, "/arende/ALN/2022/1/fsg", {"date": "2022-02-30"})
    assert r.status_code == 422
    assert re.search(r'<p class="error" role="alert" tabindex="-1" autofocus>', r.text)


def test_an_unknown_address_is_the_sites_own_page_in_swedish(app: Any) -> None:
    public = _client(app)
    r = public.get("/finns-inte")
    assert r.status_code == 404 and "Sidan finns inte" in r.text and r.headers["content-type"].startswith("text/html")
    assert "content-security-policy" in r.headers
    r = public.delete("/diarium")
    assert r.status_code == 405 and "Sidan kan inte användas så" in r.text


def test_a_nul_or_control_character_in_an_address_or_form_is_400_on_every_backend(app_on_each: Any) -> None:
    """PostgreSQL cannot even compare a NUL (SQLite stored it): one message, nothing read or written."""
    from helpers import register

    register()
    s = login(app_on_each, "sara", "sekreterare", "Sara Holm")
    for url in ("/diarium?q=a%00b", "/diarium?handlaggare=a%00", "/diarium?i=handlingar&q=%00",
                "/tidsfrister?organ=%1b", "/organ/%00", "/sammantrade/AL%00/2022-02-15"):  # fmt: skip
        r = s.get(url)
        assert r.status_code == 400 and "styrtecken" in r.text, url
    before = fingerprint()
    r = post(s, "/arende/ALN/2022/1/fsg", {"date": "2022-02-03", "note": "FSG\x00"})
    assert r.status_code == 400 and "NUL" in r.text
    public = _client(app_on_each)
    token = csrf_of(public)
    r = public.post("/login", data={"username": "sa\x00ra", "password": "x" * 14, "csrf_token": token})
    assert r.status_code == 400
    assert fingerprint() == before

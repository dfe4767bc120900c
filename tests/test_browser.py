"""The web page in a real browser: Debian's Chromium driven by Playwright, against
`arende web`'s app served by uvicorn on loopback. A secretary registers the seed remiss
and carries it through FSG, the decision, justering and anslag with the keyboard, and
downloads the extract, whose text is read; a reader meets a secret handling; a post
without the CSRF token; the public anslagstavla; axe-core on every main page, failing
on serious and critical violations (WCAG 2.1 AA, lag 2018:1937).

ARENDE_SHOTS_OUT=<folder> keeps a screenshot of each main page (docs/screens).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.flows

PASSWORD = "korrekt-häst-batteri"
# axe-core's rules for WCAG 2.0/2.1 A and AA.
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(sqlite_db: str) -> Iterator[str]:
    import uvicorn

    from arende.services.accounts import create_user
    from arende.web import create_app
    from db.session import session_scope

    with session_scope() as session:
        create_user(session, "sara", "Sara Holm", "sekreterare", PASSWORD)
        create_user(session, "olle", "Olle Läsare", "lasare", PASSWORD)
        create_user(session, "ada", "Ada Admin", "administrator", PASSWORD)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("ARENDE_SHOTS_OUT")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _accessible(page: Any, name: str) -> None:
    """axe-core on the page as it is now; serious and critical violations fail."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{name}: {bad}"
    _shot(page, name)


def _login_by_keyboard(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    _tab_to(page, "document.activeElement.id === 'username'", limit=12)
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def _tab_to(page: Any, test: str, limit: int = 80) -> None:
    """Tab through the page until the focused element passes `test` (JavaScript)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(test):
            return
    pytest.fail(f"not reachable with Tab: {test}")


def _open(page: Any, title: str) -> Any:
    """Open a command's form with the keyboard (Enter on its summary); the form."""
    summary = page.locator("summary", has_text=title).first
    summary.focus()
    page.keyboard.press("Enter")
    return summary.locator("xpath=..").locator("form")


def _submit(form: Any, page: Any) -> None:
    button = form.locator("button[type=submit]")
    with page.expect_navigation():
        button.press("Enter")


def _errors(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".error").all_inner_texts()]


def test_a_secretary_carries_the_seed_remiss_to_its_extract_by_keyboard(server: str, browser: Any) -> None:
    from arende.documents import docx_text
    from arende.scenarios import REMISS_DRAFT, remiss_start

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page.goto(f"{server}/login")
    _accessible(page, "logga-in")
    _login_by_keyboard(page, server, "sara")
    _accessible(page, "mina-arenden")

    start = remiss_start(classification=None)
    page.goto(f"{server}/registrera/remiss")
    _accessible(page, "registrera-remiss")
    form = page.locator("form").nth(1)
    form.locator("#remiss-organ").select_option(start.organ)
    form.locator("#remiss-sender").fill(start.sender)
    form.locator("#remiss-sender_dnr").fill(start.sender_dnr)
    form.locator("#remiss-title").fill(start.title)
    form.locator("#remiss-received_on").fill(start.received_on.isoformat())
    form.locator("#remiss-reply_due").fill(start.reply_due.isoformat())
    form.locator("#remiss-registered_on").fill("2022-01-19")
    form.locator("#remiss-recipients").fill("\n".join(start.recipients))
    form.locator("#remiss-consultees").fill("\n".join(start.consultees))
    _submit(form, page)
    assert page.url.startswith(f"{server}/arende/ALN/2022/1"), _errors(page)
    assert "registrerat" in page.locator("dl.facts").inner_text()

    # The officer appointed with the keyboard alone: Tab to the form, Enter opens it,
    # Tab from field to field, Enter on the button.
    _tab_to(page, "document.activeElement.textContent.trim() === 'Utse handläggare'")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "assign-officer"
    # WCAG 2.4.7: where the keyboard is shows (the stylesheet's :focus-visible outline).
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.type("Anna Lind")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "assign-email"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "assign-date"
    page.keyboard.type("01202022")  # the date field's segments as the browser's locale orders them
    # Tab leaves the date field (its month, day and year are stops of their own on the way).
    _tab_to(page, "document.activeElement.textContent.trim() === 'Utse handläggare'", limit=4)  # its button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not _errors(page), _errors(page)
    steps = page.locator("ol.steps").inner_text()
    assert "Handläggare utsedd klart 2022-01-20" in " ".join(steps.split()), steps
    # A mistake first: the tjänsteskrivelse dated on a day that does not exist.
    form = _open(page, "Tjänsteskrivelse")
    form.locator("#draft-stance").select_option("tillstyrker")
    form.locator("#draft-summary").fill(REMISS_DRAFT["summary"])
    form.locator("#draft-text").fill(REMISS_DRAFT["text"])
    form.locator("#draft-decision").fill(REMISS_DRAFT["decision"])
    form.locator("#draft-attachment").fill("\n".join(REMISS_DRAFT["attachment"]))
    form.locator("#draft-date").evaluate("e => { e.type = 'text'; e.value = '2022-02-30'; }")
    _submit(form, page)
    error = page.locator("#draft-date-error")
    assert error.inner_text().startswith("Datum: är inte ett datum"), _errors(page)
    assert page.locator("#draft-date").get_attribute("aria-invalid") == "true"
    assert page.locator("#draft-summary").input_value() == REMISS_DRAFT["summary"].strip()
    _accessible(page, "arende-fel")
    page.locator("#draft-date").evaluate("e => { e.value = '2022-02-01'; e.type = 'date'; }")
    page.locator("#draft-date").fill("2022-02-01")
    _submit(page.locator("#draft-date").locator("xpath=ancestor::form"), page)
    assert not _errors(page), _errors(page)

    form = _open(page, "FSG")
    form.locator("#fsg-date").fill("2022-02-03")
    _submit(form, page)
    form = _open(page, "Beslut")
    form.locator("#decide-meeting").fill("2022-02-15")
    form.locator("#decide-paragraph").fill("14")
    _submit(form, page)
    form = _open(page, "Justering")
    form.locator("#justera-date").fill("2022-02-18")
    form.locator("#justera-justerare").fill("Sara Holm")
    form.locator("#justera-chair").fill("Lars-Åke Johansson")
    _submit(form, page)
    form = _open(page, "Anslag")
    form.locator("#anslag-date").fill("2022-02-21")
    _submit(form, page)
    assert not _errors(page), _errors(page)
    facts = page.locator("dl.facts").inner_text()
    assert "2022-03-14" in facts and ("expedierat" in facts or "avslutat" in facts)
    _accessible(page, "arende")

    button = page.get_by_role("button", name="Skapa protokollsutdrag")
    with page.expect_download() as download:
        button.press("Enter")
    text = docx_text(Path(download.value.path()).read_bytes())
    assert "§ 14" in text and "Protokollet justerades 18 februari 2022" in text and "kan inte överklagas" in text

    for url, name in (
        ("/diarium?q=riktlinjer", "diarium"),
        ("/tidsfrister?fran=2022-02-21&antal=3&enhet=veckor", "tidsfrister"),
        ("/sammantraden?ar=2022", "sammantraden"),
        ("/sammantrade/ALN/2022-02-15", "sammantrade"),
        ("/organ/ALN", "organ"),
        ("/iop", "iop"),
        ("/sammantrade/ALN/2022-02-15/justering", "justering"),
    ):
        page.goto(server + url)
        _accessible(page, name)
    assert "Yttrande över Remiss" in page.goto(f"{server}/diarium?q=riktlinjer").text()

    # On a 390 px phone no page scrolls sideways: a wide table scrolls in its own box.
    page.set_viewport_size({"width": 390, "height": 844})
    for url in ("/", "/diarium?q=riktlinjer", "/arende/ALN/2022/1", "/registrera/remiss", "/tidsfrister",
                "/sammantraden?ar=2022", "/sammantrade/ALN/2022-02-15", "/organ/ALN", "/anslagstavla"):  # fmt: skip
        page.goto(server + url)
        wide, room = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert wide <= room, (url, wide, room)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The public anslagstavla, in a browser that has never logged in.
    public = browser.new_page(locale="sv-SE")
    public.goto(f"{server}/anslagstavla")
    board = public.locator("main").inner_text()
    assert "Arbetslivsnämnden" in board and "2022-02-21" in board and "2022-03-14" in board
    _accessible(public, "anslagstavla")
    public.goto(f"{server}/verifiera")
    _accessible(public, "verifiera")


def test_a_reader_meets_a_secret_handling_and_a_forged_post_is_refused(server: str, browser: Any) -> None:
    import datetime as dt

    from arende.commands.handlers import apply
    from arende.commands.vocabulary import DocumentAdd

    from helpers import fingerprint, register

    _, dnr = register()
    apply(
        DocumentAdd(
            dnr=dnr,
            direction="incoming",
            counterpart="Anna Andersson",
            description="Läkarintyg för sökande",
            secrecy="OSL 25:1",
            date=dt.date(2022, 1, 20),
        )
    )
    page = browser.new_page(locale="sv-SE")
    _login_by_keyboard(page, server, "olle")
    page.goto(f"{server}/arende/ALN/2022/1")
    text = page.locator("main").inner_text()
    assert "Läkarintyg" not in text and "Anna Andersson" not in text and "(sekretess)" in text
    response = page.goto(f"{server}/arende/ALN/2022/1/handling/2")
    assert response.status == 403
    assert "sekretess" in page.locator("main").inner_text()

    # Another site's form posting into the reader's session carries no token.
    before = fingerprint()
    forged = page.request.post(f"{server}/arende/ALN/2022/1/assign", form={"officer": "Mallory"})
    assert forged.status == 403 and "CSRF" in forged.text()
    assert fingerprint() == before

    admin = browser.new_page(locale="sv-SE")
    _login_by_keyboard(admin, server, "ada")
    admin.goto(f"{server}/admin")
    _accessible(admin, "administration")

"""Every kind of document we produce opens in LibreOffice: converted to PDF, its text
is still there. Runs when LibreOffice and pdftotext are installed (CI installs them)."""

import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

pytestmark = [
    pytest.mark.skipif(
        shutil.which("libreoffice") is None or shutil.which("pdftotext") is None,
        reason="LibreOffice or pdftotext not installed (apt-get install libreoffice-writer-nogui poppler-utils)",
    ),
    pytest.mark.flows,  # a LibreOffice conversion takes seconds: not for the edit-test loop
]

EXPECTED = {
    "tjansteskrivelse": ["TJÄNSTESKRIVELSE", "Arbetslivsnämndens beslut", "Beslutet expedieras till"],
    "remissvar": ["Er beteckning: KS 2021-00907", "Ställningstagande: Arbetslivsnämnden tillstyrker"],
    "protokollsutdrag": [
        "PROTOKOLLSUTDRAG",
        "Sammanträdesdatum",
        "Dnr ALN",
        "Justerandes signatur",
        "Utdragsbestyrkande",
    ],
    "revisionssvar": ["Svar på revisionsrapport", "Rekommendation 5 (till Arbetslivsnämnden)"],
    "arsredovisning": ["Årsredovisning 2021", "underskott med 2 547 tkr", "Mått och indikatorer", "708 705 700 719"],
    "missiv": ["Till Kommunstyrelsen", "årsredovisning för 2021"],
    "iop_overenskommelse": ["IOP nr 2", "864501-5200", "Period för överenskommelsen", "Ordförande Kvinnojouren"],
    "kallelse": ["Kallelse till sammanträde med Arbetslivsnämnden", "Föredragningslista", "1. Information om budgeten"],
    "protokoll": ["Protokoll, Arbetslivsnämnden", "§ 11", "§ 14", "Bevis om anslag", "Justerandes signatur"],
    "anslag": ["Anslag om justering", "13 kap. 5 § kommunallagen", "förvaltningsrätten"],
}


def _produce_one_of_each(tmp_path):
    import test_annual_report as annual
    import test_audit_reply as audit
    import test_iop as iop_tests

    from arende.services.steps import advance

    from helpers import record_all_facts, register

    # The annual report is decided at the same meeting as the remiss, before its protocol is signed.
    ar_id, ar_dnr = annual.start_annual()
    annual.record_figures(ar_dnr, tmp_path)
    annual.decide_all(ar_dnr, 11)
    remiss_id, remiss_dnr = register()
    record_all_facts(remiss_dnr)
    advance(remiss_id)
    advance(ar_id)
    audit_id, audit_dnr = audit.register_audit()
    audit.record_facts(audit_dnr)
    advance(audit_id)
    iop_id, iop_dnr = iop_tests.start_iop()
    iop_tests.decide(iop_dnr)
    iop_tests.sign_and_post()
    advance(iop_id)
    _meeting_papers()


def _meeting_papers() -> None:
    """The protokoll and notice of the remiss's meeting, and a kallelse to the next one."""
    import datetime as dt

    from arende.rules.workflow import ItemKind
    from arende.services.meeting import agenda, kallelse, papers, plan
    from db.session import session_scope

    day = dt.date(2022, 2, 15)
    with session_scope() as session:
        papers.write_protocol(session, "ALN", day, on=dt.date(2022, 2, 21))
        papers.write_notice(session, "ALN", day)
        meeting = plan.plan_meeting(
            session, "ALN", dt.date(2022, 3, 22), starts_at=dt.time(13, 15), place="Sessionssalen"
        )
        agenda.add_item(session, meeting, ItemKind.INFORMATION, heading="Information om budgeten")
        kallelse.send_kallelse(session, "ALN", meeting.held_on, on=dt.date(2022, 3, 15))


def test_each_kind_of_document_converts_to_pdf_with_its_text(sqlite_db, tmp_path):
    from db.models import Document
    from db.session import session_scope

    _produce_one_of_each(tmp_path)
    folder = tmp_path / "docx"
    folder.mkdir()
    with session_scope() as session:
        for doc in session.scalars(select(Document).where(Document.storage_path.is_not(None))):
            shutil.copyfile(doc.file, folder / f"{doc.kind}.docx")
    assert {p.stem for p in folder.iterdir()} == set(EXPECTED)
    out = tmp_path / "pdf"
    subprocess.run(
        [
            "libreoffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *sorted(str(p) for p in folder.iterdir()),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for kind, parts in EXPECTED.items():
        pdf = out / f"{kind}.pdf"
        assert pdf.is_file(), f"{kind} did not convert"
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.replace("\xa0", " ")
        text = " ".join(text.split())
        for part in parts:
            assert " ".join(part.split()) in text, f"{kind}: {part!r} missing from the PDF"
        # The municipal standard on every document: A4, the page numbered by Word fields
        # ("Sida 1(2)"), the organ's contact block in the footer.
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]
        assert "(A4)" in info, f"{kind}: {info}"
        assert f"Sida 1({pages})" in text, kind
        assert "Postadress 501 80 Borås" in text and "Instans Arbetslivsnämnden" in text, kind
        _every_page_has_its_header_and_footer(kind, pdf, pages, tmp_path)


def _every_page_has_its_header_and_footer(kind: str, pdf, pages: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Each page rendered as a person sees it (pdftoppm): ink in the header band at the top
    and in the footer band at the bottom, and text in between. With ARENDE_PAGES_OUT set,
    the PNG pages are kept there to look at."""
    import os

    stem = tmp_path / "pages" / kind
    stem.parent.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf), str(stem)], check=True, timeout=60)
    rendered = sorted(stem.parent.glob(f"{kind}-*.pgm"))
    assert len(rendered) == pages, (kind, rendered)
    for page in rendered:
        header = page.read_bytes()
        width, height = (int(n) for n in header.split(b"\n")[1].split())
        pixels = header[-width * height :]
        rows = [pixels[i * width : (i + 1) * width] for i in range(height)]

        def ink(first: int, last: int, rows: list[bytes] = rows) -> int:
            return sum(1 for row in rows[first:last] for value in row if value < 128)

        band = height // 8
        assert ink(0, band) > 20, f"{page.name}: no header at the top of the page"
        assert ink(height - band, height) > 20, f"{page.name}: no footer at the bottom of the page"
        assert ink(band, height - band) > 50, f"{page.name}: an empty page"
    if os.environ.get("ARENDE_PAGES_OUT"):
        keep = os.environ["ARENDE_PAGES_OUT"]
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), f"{keep}/{kind}"], check=True, timeout=60)


def test_the_documents_kept_for_good_get_pdf_a_copies_in_one_run(sqlite_db, tmp_path, monkeypatch, capsys):
    """Protokoll, extracts, decisions' documents, replies and agreements: PDF/A-2b by its
    XMP identification, the same pages as the document, made once. Without LibreOffice
    the command says so, and the documents are as they were."""
    from arende.cli import main
    from arende.services.archive import ARCHIVED_KINDS, is_pdfa
    from db.models import Document
    from db.session import session_scope

    _produce_one_of_each(tmp_path)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert main(["archive"]) == 0
    assert "LibreOffice is not installed: no PDF/A copies were written" in capsys.readouterr().err
    monkeypatch.undo()
    with session_scope() as session:
        assert session.scalars(select(Document).where(Document.archive_path.is_not(None))).all() == []
    assert main(["archive"]) == 0
    out = capsys.readouterr().out
    with session_scope() as session:
        docs = session.scalars(select(Document).where(Document.kind.in_(ARCHIVED_KINDS))).all()
        assert docs and all(d.archive_path for d in docs), [d.kind for d in docs if not d.archive_path]
        kinds = {d.kind for d in docs}
        assert {"protokoll", "protokollsutdrag", "remissvar", "iop_overenskommelse"} <= kinds
        for doc in docs:
            data = open(doc.archive_file, "rb").read()  # noqa: SIM115
            assert is_pdfa(data) and b"<pdfaid:conformance>B</pdfaid:conformance>" in data, doc.kind
            info = subprocess.run(["pdfinfo", doc.archive_file], capture_output=True, text=True).stdout
            pages = int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]
            text = subprocess.run(["pdftotext", doc.archive_file, "-"], capture_output=True, text=True).stdout
            assert f"Sida 1({pages})" in " ".join(text.split()), doc.kind  # all the document's pages
    assert out.startswith(f"{len(docs)} PDF/A copies written in ")
    assert main(["archive"]) == 0 and capsys.readouterr().out.startswith("0 PDF/A copies")  # once


def test_the_protocols_signature_block_is_never_split_across_pages(sqlite_db, capsys, tmp_path):
    """Ten officials in the närvaro put the signature block at the foot of page 1: with
    the old template "Sekreterare" stayed on page 1 and "Ordförande" went to page 2
    (measured with 9 to 11). Secretary, chair and justerare sign on one page."""
    from test_meeting import DAY, held, ok

    held(capsys)
    others = [arg for i in range(10) for arg in ("--other", f"Tjänsteperson {i}, utredare")]
    ok(capsys, "meeting", "attendance", "ALN", DAY, "--present", "Lars-Åke Johansson", "--present", "Maria Svensson",
       "--present", "Sara Holm", "--serving", "Ola Berg=Per Ek", *others)  # fmt: skip
    ok(capsys, "justera", "ALN", DAY, "--date", "2022-02-18", "--justerare", "Maria Svensson")
    docx = tmp_path / "protokoll.docx"
    ok(capsys, "meeting", "protokoll", "ALN", DAY, "--out", str(docx))
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        capture_output=True,
        timeout=120,
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "protokoll.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    [signing] = [i for i, page in enumerate(pages) if "Underskrifter" in page]
    block = pages[signing][pages[signing].index("Underskrifter") :]
    for line in ("Sekreterare", "Ordförande", "Justerare", "Lars-Åke Johansson", "Maria Svensson"):
        assert line in block, (line, signing, block)


def _fonts(pdf: str) -> set[str]:
    listing = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return {line.split()[0].split("+")[-1] for line in listing if line.strip()}


@pytest.mark.skipif(
    "EB Garamond" not in subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    or "Liberation Sans" not in subprocess.run(["fc-list"], capture_output=True, text=True).stdout,
    reason="the templates' fonts are not installed (apt-get install fonts-ebgaramond fonts-liberation2)",
)
def test_the_archive_copy_says_whose_and_what_it_is_and_looks_like_the_word_file(sqlite_db, tmp_path, capsys):
    """PDF/A metadata an archive reads (author the organ, title the document type and Dnr,
    language Swedish), the templates' Garamond and Arial embedded as EB Garamond and
    Liberation Sans rather than DejaVu, and "Sida 1(2)" with its numbers in the label's
    size (they were printed larger)."""
    from arende.cli import main
    from db.models import Document, Errand
    from db.session import session_scope

    _produce_one_of_each(tmp_path)
    assert main(["archive"]) == 0
    capsys.readouterr()
    with session_scope() as session:
        docs = {d.kind: d for d in session.scalars(select(Document).where(Document.archive_path.is_not(None)))}
        extract = docs["protokollsutdrag"]
        pdf, dnr = extract.archive_file, session.get(Errand, extract.errand_id).dnr
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Author"].strip() == "Arbetslivsnämnden"
    assert fields["Title"].strip().startswith(f"Protokollsutdrag Dnr {dnr}")
    data = open(pdf, "rb").read()  # noqa: SIM115
    assert b"/Lang(sv-SE)" in data
    fonts = _fonts(pdf)
    assert any(f.startswith("EBGaramond") for f in fonts) and any(f.startswith("LiberationSans") for f in fonts)
    assert not any(f.startswith("DejaVu") for f in fonts), fonts
    # The words of the header's page line, with their heights: the numbers as tall as "Sida".
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", pdf, "-"], capture_output=True, text=True)
    words = re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>', boxes.stdout
    )
    heights = {text: float(y2) - float(y1) for y1, y2, text in words}
    page_line = next(text for _, _, text in words if re.fullmatch(r"\d+\(\d+\)", text))
    assert abs(heights[page_line] - heights["Sida"]) < 0.5, (heights[page_line], heights["Sida"])


def test_the_annual_reports_table_repeats_its_header_on_each_page_with_figures_aligned_right(sqlite_db, tmp_path):
    """A table of measures longer than a page: page 2 starts with the header row again,
    and the figures of a column end at the same x (right-aligned), wide or narrow."""
    import test_annual_report as annual

    from arende.services.annual_report import report_document
    from arende.services.archive import libreoffice_env
    from db.models import Errand
    from db.session import session_scope

    measures = "".join(
        f'\n[[measure]]\nname = "Mått nummer {i}"\nearlier = {{ 2019 = {7 * 10 ** (i % 5)}, 2020 = 5 }}\n'
        f"budget = 1\noutcome = {3 * 10 ** (i % 6)}\n"
        for i in range(70)
    )
    errand_id, dnr = annual.start_annual()
    annual.record_figures(dnr, tmp_path, text="grant_tkr = 243250\nresult_tkr = -2547\n" + measures)
    with session_scope() as session:
        errand = session.get(Errand, errand_id)
        docx = report_document(session, errand, None, errand.registered_on).file
    subprocess.run(
        ["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        capture_output=True, timeout=120, check=True, env=libreoffice_env(),
    )  # fmt: skip
    pdf = str(tmp_path / f"{docx.stem}.pdf")
    pages = [
        subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), pdf, "-"], capture_output=True, text=True)
        for n in (1, 2)
    ]
    assert "Mått nummer 69" not in pages[0].stdout and "Mått nummer 69" in pages[1].stdout  # it did break
    first_line_of_table = next(line for line in pages[1].stdout.splitlines() if line.strip().startswith("Mått"))
    assert "Utfall 2019" in first_line_of_table and "Budget" in first_line_of_table, first_line_of_table
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", pdf, "-"], capture_output=True, text=True)
    word = r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>'
    rows: dict[str, list[tuple[float, str]]] = {}
    for y_min, x_max, text in re.findall(word, boxes.stdout):
        rows.setdefault(y_min, []).append((float(x_max), text))
    # Each measure's row: where its last figure ends ("3", "30 000" and "300 000" alike).
    measured = [r for r in rows.values() if len(r) > 1 and r[1][1] == "nummer"]
    ends = {" ".join(t for _, t in r): max(x for x, _ in r) for r in measured}
    assert len(ends) > 20 and max(ends.values()) - min(ends.values()) < 1.0, ends

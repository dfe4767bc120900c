"""The municipal house style of the templates: A4, fonts, the header with document type,
page, date and Dnr, the contact footer, and the building blocks the documents share
(numbered lists, signature blocks, a §'s parts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent


def field(paragraph, instruction: str, size: Pt | None = None) -> None:  # type: ignore[no-untyped-def]
    """A Word field (PAGE, NUMPAGES): Word and LibreOffice fill it in on every page, in
    the size of the text around it ("Sida 1(6)", not a larger 1 and 6)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    if size is not None:
        properties = OxmlElement("w:rPr")
        for tag in ("w:sz", "w:szCs"):
            half_points = OxmlElement(tag)
            half_points.set(qn("w:val"), str(int(size.pt * 2)))
            properties.append(half_points)
        run.append(properties)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def house_style(doc: Document) -> None:
    """One house style: Garamond text, black Arial headings (not Word's blue), Swedish for
    proofing and hyphenation. The municipality changes it in the templates, in Word."""
    styles = doc.styles
    styles["Normal"].font.name = "Garamond"
    styles["Normal"].font.size = Pt(12)
    for name, size in (("Title", 20), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 12)):
        font = styles[name].font
        font.name, font.size, font.color.rgb, font.bold = "Arial", Pt(size), RGBColor(0, 0, 0), True
        fonts = styles[name].element.rPr.find(qn("w:rFonts"))
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would win over the name
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        defaults.append(lang)
    lang.set(qn("w:val"), "sv-SE")
    lang.set(qn("w:eastAsia"), "sv-SE")
    settings = doc.settings.element
    font_lang = settings.find(qn("w:themeFontLang"))
    if font_lang is not None:
        font_lang.set(qn("w:val"), "sv-SE")
    hyphenate = OxmlElement("w:autoHyphenation")
    hyphenate.set(qn("w:val"), "true")
    settings.append(hyphenate)


def base(header_left: str, header_extra: str = "", *, signatures_footer: bool = False) -> Document:
    """A4, the house style, and on every page the header (organ; document type, Sida x(y),
    date, instans, Dnr) and the footer (the organ's contact block, the handläggare) of
    seed 003, filled from the `head` every document gets (services.documents.letterhead)."""
    doc = Document()
    house_style(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)

    header = section.header
    table = header.add_table(rows=1, cols=2, width=Cm(16))
    left, right = table.rows[0].cells
    left.width, right.width = Cm(9), Cm(7)
    # The municipality where its logo goes: an editor replaces this run with the logo
    # picture in Word (Infoga > Bild) and the header keeps its place.
    logo = left.paragraphs[0].add_run("{{ head.municipality }}")
    logo.bold, logo.font.size = True, Pt(14)
    left.add_paragraph().add_run(header_left).bold = True
    right.paragraphs[0].add_run("{{ head.type }}").bold = True
    page = right.add_paragraph("Sida ")
    field(page, "PAGE", Pt(10))
    page.add_run("(")
    field(page, "NUMPAGES", Pt(10))
    page.add_run(")")
    for line in ([header_extra] if header_extra else []) + [
        "{{ head.date_label or 'Datum' }} {{ head.date }}",
        "Instans {{ head.organ }}",
    ]:
        right.add_paragraph(line)
    right.add_paragraph("{% if head.dnr %}Dnr {{ head.dnr }}{% endif %}")
    header.paragraphs[0].text = ""
    for paragraph in [*left.paragraphs, *right.paragraphs]:
        paragraph.paragraph_format.space_after = Pt(0)
        for run in paragraph.runs:
            if run._r is not logo._r:
                run.font.size = Pt(10)

    footer = section.footer
    first = footer.paragraphs[0]
    if signatures_footer:
        first.paragraph_format.tab_stops.add_tab_stop(Cm(12), WD_TAB_ALIGNMENT.LEFT)
        first.text = "Justerandes signatur\tUtdragsbestyrkande"
        first = footer.add_paragraph()
    first.add_run("{{ head.organ }}").bold = True
    contact = footer.add_paragraph(
        "Postadress {{ head.postal }} · Besöksadress {{ head.visiting }} · Hemsida {{ head.website }} · "
        "E-post {{ head.email }} · Telefon {{ head.phone }}"
    )
    officer = footer.add_paragraph("{% if head.officer %}Handläggare {{ head.officer }}{% endif %}")
    for paragraph in (first, contact, officer):
        paragraph.paragraph_format.space_after = Pt(0)
        for run in paragraph.runs:
            run.font.size = Pt(8)
    return doc


def paragraphs(doc: Document, items: str) -> None:
    doc.add_paragraph(f"{{%p for para in {items} %}}")
    doc.add_paragraph("{{ para }}")
    doc.add_paragraph("{%p endfor %}")


def signatures(doc: Document) -> None:
    """Signature lines with namnförtydligande and role under each (seed 003)."""
    table = doc.add_table(rows=3, cols=2)
    for column in (0, 1):
        table.cell(0, column).text = "______________________________"
    table.cell(1, 0).text = "{{ chair }}"
    table.cell(1, 1).text = "{{ head_of_office }}"
    table.cell(2, 0).text = "Ordförande"
    table.cell(2, 1).text = "Förvaltningschef"
    for row in table.rows:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    keep_together(table)


def party_signatures(doc: Document) -> None:
    """Both parties sign each of the two copies, one copy for each party: a block per copy
    with place and date, signature, namnförtydligande and role (seed 003); the partner's
    name is written by hand."""
    for copy in ("Exemplar 1, för {{ organ_name }}", "Exemplar 2, för {{ partner_name }}"):
        label = doc.add_paragraph()
        label.add_run(copy).bold = True
        label.paragraph_format.keep_with_next = True  # never alone at a page's foot
        signature_block(doc)


def keep_together(table: Any) -> None:
    """A table that never splits across pages (a signature block): no row breaks, and
    every row keeps with the next (Word and LibreOffice honour both)."""
    last = len(table.rows) - 1
    for i, row in enumerate(table.rows):
        no_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(no_split)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_together = True
                paragraph.paragraph_format.keep_with_next = i < last


def signature_block(doc: Document) -> None:
    table = doc.add_table(rows=6, cols=2)
    rows = [
        ("______________________________", "______________________________"),
        ("Ort och datum", "Ort och datum"),
        ("", ""),
        ("______________________________", "______________________________"),
        ("{{ chair }}", "Namnförtydligande"),
        ("Ordförande {{ organ_name_lower }}", "Ordförande {{ partner_name }}"),
    ]
    for i, (left, right) in enumerate(rows):
        table.cell(i, 0).text, table.cell(i, 1).text = left, right
        for cell in table.rows[i].cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    keep_together(table)


def two_column_loop(
    doc: Document,
    headers: list[str],
    loop: str,
    cells: list[str],
    totals: list[str] | None = None,
    widths: list[float] | None = None,
    numeric: tuple[int, ...] = (),
) -> None:
    """A table with a row per item; its header row repeats on every page, and an optional
    totals row closes it. `widths` in cm, where the columns should not share alike;
    the `numeric` columns (amounts, counts) right-aligned, header included."""
    table = doc.add_table(rows=5 if totals else 4, cols=len(headers))
    table.style = "Table Grid"
    if widths:
        table.autofit = False
        # Word reads each cell's width, LibreOffice the table grid: both are set.
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    for i, title in enumerate(headers):
        table.cell(0, i).text = title
    table.cell(1, 0).text = f"{{%tr for {loop} %}}"
    for i, value in enumerate(cells):
        table.cell(2, i).text = value
    table.cell(3, 0).text = "{%tr endfor %}"
    for i, value in enumerate(totals or []):
        table.cell(4, i).text = value
        if value:
            table.cell(4, i).paragraphs[0].runs[0].bold = True
    header_row(table)
    align_right(table, numeric)


def header_row(table: Any) -> None:
    """The first row bold and repeated at the top of every page the table runs onto; no
    row is split across pages."""
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def align_right(table: Any, columns: tuple[int, ...]) -> None:
    """Figures right-aligned in their columns, so that their digits line up."""
    for row in table.rows:
        for i in columns:
            row.cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def lines(doc: Document, heading: str, items: str, numbered: bool = False, level: int = 3) -> None:
    """A heading and one paragraph per item, left out entirely when there are none (an
    empty "Beslutsunderlag" was printed)."""
    doc.add_paragraph(f"{{%p if {items} %}}")
    doc.add_heading(heading, level=level)
    doc.add_paragraph(f"{{%p for line in {items} %}}")
    doc.add_paragraph("{{ loop.index }}. {{ line }}" if numbered else "{{ line }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


def paragraph_block(doc: Document) -> None:
    """One § as the protocol records it, from `p` (services.meeting.papers.paragraph_context):
    the same block in the protokoll and in the extract, so they agree word for word."""
    doc.add_heading("§ {{ p.paragraph }}{% if p.dnr %}\tDnr {{ p.dnr }}{% endif %}", level=2)
    doc.add_heading("{{ p.heading }}", level=3)
    lines(doc, "Jäv", "p.jav")
    doc.add_heading("{{ organ_genitive }} beslut", level=3)
    doc.add_paragraph("{%p for para in p.decision_paragraphs %}")
    doc.add_paragraph("{{ para }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if p.immediate %}")
    doc.add_paragraph("Paragrafen förklaras omedelbart justerad.")
    doc.add_paragraph("{%p endif %}")
    lines(doc, "Förteckning", "p.listed", numbered=True)
    lines(doc, "Yrkanden", "p.yrkanden")
    doc.add_paragraph("{%p if p.proposition_order %}")
    doc.add_heading("Propositionsordning", level=3)
    doc.add_paragraph("{{ p.proposition_order }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if p.votes %}")
    doc.add_heading("Omröstning", level=3)
    doc.add_paragraph("{{ p.vote_proposition }}")
    # Each vote in upprop order, the ersättare marked (KL 5:67: how each member voted).
    two_column_loop(
        doc,
        ["Ledamot", "Ja", "Nej", "Avstår"],
        "v in p.votes",
        ["{{ v.name }}{% if v.role %}, {{ v.role }}{% endif %}", "{{ v.ja }}", "{{ v.nej }}", "{{ v.avstar }}"],
        widths=[10.0, 2.0, 2.0, 2.0],
    )
    doc.add_paragraph("{{ p.vote_summary }}")
    doc.add_paragraph("{%p endif %}")
    lines(doc, "Reservationer", "p.reservations")
    lines(doc, "Protokollsanteckningar", "p.notes")
    lines(doc, "Särskilda yttranden", "p.statements")
    doc.add_paragraph("{%p if p.summary_paragraphs %}")
    doc.add_heading("Sammanfattning av ärendet", level=3)
    doc.add_paragraph("{%p for para in p.summary_paragraphs %}")
    doc.add_paragraph("{{ para }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    lines(doc, "Beslutsunderlag", "p.attachments", numbered=True)
    lines(doc, "Beslutet expedieras till", "p.recipients", numbered=True)

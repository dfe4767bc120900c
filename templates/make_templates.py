"""Builds the starting .docx templates in this folder.

The committed .docx files are the source of truth once a municipality edits them in
Word; this script only recreates the originals: `python templates/make_templates.py`.
Tags are Jinja2 as docxtpl reads them; `{%p ... %}` tags stand alone in a paragraph.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent


def _field(paragraph, instruction: str) -> None:  # type: ignore[no-untyped-def]
    """A Word field (PAGE, NUMPAGES): Word and LibreOffice fill it in on every page."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _house_style(doc: Document) -> None:
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


def _base(header_left: str, header_extra: str = "", *, signatures_footer: bool = False) -> Document:
    """A4, the house style, and on every page the header (organ; document type, Sida x(y),
    date, instans, Dnr) and the footer (the organ's contact block, the handläggare) of
    seed 003, filled from the `head` every document gets (services.documents.letterhead)."""
    doc = Document()
    _house_style(doc)
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
    _field(page, "PAGE")
    page.add_run("(")
    _field(page, "NUMPAGES")
    page.add_run(")")
    for line in ([header_extra] if header_extra else []) + ["Datum {{ head.date }}", "Instans {{ head.organ }}"]:
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


def _paragraphs(doc: Document, items: str) -> None:
    doc.add_paragraph(f"{{%p for para in {items} %}}")
    doc.add_paragraph("{{ para }}")
    doc.add_paragraph("{%p endfor %}")


def _signatures(doc: Document) -> None:
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


def tjansteskrivelse() -> Document:
    doc = _base("{{ office }}")
    doc.add_heading("{{ title }}", level=1)
    doc.add_heading("{{ organ_genitive }} beslut", level=2)
    doc.add_paragraph("{{ proposed_decision }}")
    doc.add_heading("Sammanfattning", level=2)
    _paragraphs(doc, "summary_paragraphs")
    doc.add_heading("Ärendet i sin helhet", level=2)
    _paragraphs(doc, "body_paragraphs")
    _lines(doc, "Beslutsunderlag", "attachments", numbered=True, level=2)
    doc.add_heading("Samverkan", level=2)
    doc.add_paragraph("{{ samverkan }}")
    _lines(doc, "Beslutet expedieras till", "recipients", numbered=True, level=2)
    doc.add_paragraph("")
    _signatures(doc)
    return doc


def remissvar() -> Document:
    doc = _base("{{ organ_name }}")
    doc.add_paragraph("{{ date_long }}")
    doc.add_paragraph("Vår beteckning: Dnr {{ dnr }}\nEr beteckning: {{ sender_dnr }}")
    doc.add_paragraph("Till {{ sender_name }}")
    doc.add_heading("{{ title }}", level=1)
    doc.add_paragraph("Ämne: {{ sender_dnr }} {{ organ_name }}")
    doc.add_heading("{{ organ_genitive }} beslut", level=2)
    doc.add_paragraph("{{ decision_text }}")
    doc.add_paragraph("Ställningstagande: {{ organ_name }} {{ stance }}.")
    doc.add_heading("Sammanfattning", level=2)
    _paragraphs(doc, "summary_paragraphs")
    doc.add_heading("Yttrande", level=2)
    _paragraphs(doc, "body_paragraphs")
    doc.add_paragraph(
        "{{ organ_name }} beslutade yttrandet vid sammanträdet {{ meeting_date_long }}, § {{ paragraph }}. "
        "Protokollet justerades {{ justerad_on_long }}."
    )
    doc.add_paragraph("")
    _signatures(doc)
    return doc


def revisionssvar() -> Document:
    doc = _base("{{ organ_name }}")
    doc.add_paragraph("{{ date_long }}")
    doc.add_paragraph("Vår beteckning: Dnr {{ dnr }}\nEr beteckning: {{ sender_dnr }}")
    doc.add_paragraph("Till {{ sender_name }}")
    doc.add_heading("Svar på revisionsrapport – {{ title }}", level=1)
    doc.add_heading("{{ organ_genitive }} beslut", level=2)
    doc.add_paragraph("{{ decision_text }}")
    doc.add_heading("Sammanfattning", level=2)
    _paragraphs(doc, "summary_paragraphs")
    doc.add_heading("Revisionens rekommendationer och nämndens svar", level=2)
    doc.add_paragraph("{%p for rec in recommendations %}")
    doc.add_paragraph("Rekommendation {{ rec.number }} (till {{ rec.addressed_to }}): {{ rec.text }}")
    doc.add_paragraph("Svar: {{ rec.response }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("Ärendet i sin helhet", level=2)
    _paragraphs(doc, "body_paragraphs")
    doc.add_paragraph(
        "{{ organ_name }} beslutade svaret vid sammanträdet {{ meeting_date_long }}, § {{ paragraph }}. "
        "Protokollet justerades {{ justerad_on_long }}."
    )
    doc.add_paragraph("")
    _signatures(doc)
    return doc


def arsredovisning() -> Document:
    doc = _base("{{ organ_name }}")
    doc.add_heading("Årsredovisning {{ year }} – {{ organ_name }}", level=1)
    # The report's own parts, numbered as the seed's (1 Inledning, 2 Viktiga händelser…).
    doc.add_paragraph("{%p for s in sections %}")
    doc.add_heading("{{ s.number }} {{ s.heading }}", level=2)
    doc.add_paragraph("{%p for para in s.paragraphs %}")
    doc.add_paragraph("{{ para }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("Ekonomiskt resultat", level=2)
    doc.add_paragraph(
        "{{ organ_genitive }} resultat för {{ year }} är {{ result_text }}. "
        "Kommunbidraget för år {{ year }} är {{ grant }} tkr."
    )
    doc.add_heading("Mått och indikatorer", level=2)
    table = doc.add_table(rows=4, cols=5)
    table.style = "Table Grid"
    for i, title in enumerate(
        ["Mått", "Utfall {{ year_2 }}", "Utfall {{ year_1 }}", "Budget {{ year }}", "Utfall {{ year }}"]
    ):
        table.cell(0, i).text = title
    table.cell(1, 0).text = "{%tr for m in measures %}"
    for i, value in enumerate(
        ["{{ m.name }}", "{{ m.year_2 }}", "{{ m.year_1 }}", "{{ m.budget }}", "{{ m.outcome }}"]
    ):
        table.cell(2, i).text = value
    table.cell(3, 0).text = "{%tr endfor %}"
    # The full text width (16 cm on A4 with 2.5 cm margins), fixed: a wide first column
    # for the measure's name, four of 2.2 cm for the figures. They were 16.6 cm, wider
    # than the page's text, and LibreOffice squeezed them.
    table.autofit = False
    widths = [Cm(7.2), Cm(2.2), Cm(2.2), Cm(2.2), Cm(2.2)]
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = widths[i]
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    doc.add_paragraph("{%p if followups %}")
    doc.add_heading("Uppföljningar som beslutas samtidigt", level=2)
    doc.add_paragraph("{%p for f in followups %}")
    doc.add_paragraph("Dnr {{ f.dnr }} {{ f.title }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    return doc


def missiv() -> Document:
    doc = _base("{{ organ_name }}")
    doc.add_paragraph("{{ date_long }}")
    doc.add_paragraph("Dnr {{ dnr }}")
    doc.add_paragraph("Till {{ addressee }}")
    doc.add_heading("{{ title }}", level=1)
    doc.add_paragraph(
        "{{ organ_name }} översänder härmed {{ what }}, som nämnden beslutade vid sammanträdet "
        "{{ meeting_date_long }}, § {{ paragraph }}."
    )
    doc.add_paragraph("{{ decision_text }}")
    doc.add_heading("Bilagor", level=2)
    doc.add_paragraph("{%p for e in enclosures %}")
    doc.add_paragraph("{{ loop.index }}. {{ e }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("")
    _signatures(doc)
    return doc


def iop_overenskommelse() -> Document:
    doc = _base("{{ office }}")
    doc.add_heading("Överenskommelse om idéburet offentligt partnerskap IOP nr {{ number }}", level=1)
    doc.add_paragraph("mellan {{ office }} i {{ municipality }} och {{ partner_name }}.")
    doc.add_paragraph("Dnr {{ dnr }}")
    sections = [
        ("Parter", None),
        ("Bakgrund", "background"),
        ("Syften och mål med överenskommelsen", "purpose"),
        ("Ansvarsfördelning", "responsibilities"),
        ("Tjänster som överenskommelsen innefattar", "services"),
        ("Samverkan och samarbete", "cooperation"),
        ("Utvärdering och uppföljning", "evaluation"),
    ]
    for heading, key in sections:
        doc.add_heading(heading, level=2)
        if key is None:
            doc.add_paragraph("{{ partner_name }}, organisationsnummer {{ partner_orgnr }}")
            doc.add_paragraph("{{ municipality }}, {{ office }}")
        else:
            _paragraphs(doc, f"terms.{key}")
    doc.add_heading("Ekonomi", level=2)
    doc.add_paragraph("{{ partner_name }} erhåller en fast ersättning på {{ yearly_amount }} kr per år.")
    doc.add_paragraph("{%p for s in supplements %}")
    doc.add_paragraph(
        "För {{ s.year }} erhåller {{ partner_name }} därutöver {{ s.amount }} kr enligt beslut {{ s.decision }}."
    )
    doc.add_paragraph("{%p endfor %}")
    _paragraphs(doc, "terms.economy")
    doc.add_heading("Period för överenskommelsen", level=2)
    doc.add_paragraph(
        "Överenskommelsen gäller från och med {{ starts_long }} till och med {{ ends_long }}. "
        "Den förlängs med {{ renewal_text }} i taget om den inte sägs upp av någon av parterna "
        "senast {{ notice_text }} före förfallodagen, för den innevarande perioden senast "
        "{{ notice_last_long }}. Inför varje förlängning görs en utvärdering."
    )
    doc.add_heading("Omförhandling", level=2)
    _paragraphs(doc, "terms.renegotiation")
    doc.add_heading("Kontaktpersoner", level=2)
    doc.add_paragraph(
        "Kontaktperson för {{ partner_name }} är {{ partner_contact }}. "
        "Kontaktperson för {{ office }} är {{ our_contact }}."
    )
    doc.add_heading("Avtalets undertecknande", level=2)
    doc.add_paragraph(
        "Denna överenskommelse har upprättats i två likalydande exemplar, ett till var och en av parterna."
    )
    _party_signatures(doc)
    return doc


def _party_signatures(doc: Document) -> None:
    """Both parties sign each of the two copies, one copy for each party: a block per copy
    with place and date, signature, namnförtydligande and role (seed 003); the partner's
    name is written by hand."""
    for copy in ("Exemplar 1, för {{ organ_name }}", "Exemplar 2, för {{ partner_name }}"):
        doc.add_paragraph().add_run(copy).bold = True
        _signature_block(doc)


def _signature_block(doc: Document) -> None:
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


def iop_tillagg() -> Document:
    """The supplement agreement for one year (seed 003: 150 tkr to Kvinnojouren for 2022)."""
    doc = _base("{{ office }}")
    doc.add_heading(
        "Komplettering till överenskommelse om idéburet offentligt partnerskap IOP nr {{ number }}", level=1
    )
    doc.add_paragraph(
        "mellan {{ office }} i {{ municipality }} och {{ partner_name }}, organisationsnummer {{ partner_orgnr }}."
    )
    doc.add_heading("Bakgrund", level=2)
    doc.add_paragraph(
        "{{ organ_name }} beslutade {{ agreement_decision }} att ingå överenskommelse om idéburet offentligt "
        "partnerskap med {{ partner_name }} (Dnr {{ agreement_dnr }}), med en fast ersättning på {{ yearly_amount }} "
        "kr per år."
    )
    doc.add_heading("Komplettering", level=2)
    doc.add_paragraph(
        "Utöver den fasta ersättningen erhåller {{ partner_name }} {{ amount }} kr för år {{ year }}, enligt "
        "{{ organ_genitive }} beslut {{ decision }}. Övriga villkor i överenskommelsen gäller oförändrade."
    )
    doc.add_heading("Undertecknande", level=2)
    doc.add_paragraph("Denna komplettering har upprättats i två likalydande exemplar, ett till var och en av parterna.")
    _party_signatures(doc)
    return doc


def _two_column_loop(
    doc: Document, headers: list[str], loop: str, cells: list[str], totals: list[str] | None = None
) -> None:
    """A table with a row per item; its header row repeats on every page, and an optional
    totals row closes it."""
    table = doc.add_table(rows=5 if totals else 4, cols=len(headers))
    table.style = "Table Grid"
    for i, title in enumerate(headers):
        table.cell(0, i).text = title
        table.cell(0, i).paragraphs[0].runs[0].bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    table.cell(1, 0).text = f"{{%tr for {loop} %}}"
    for i, value in enumerate(cells):
        table.cell(2, i).text = value
    table.cell(3, 0).text = "{%tr endfor %}"
    for i, value in enumerate(totals or []):
        table.cell(4, i).text = value
        if value:
            table.cell(4, i).paragraphs[0].runs[0].bold = True


def donation_beslut() -> Document:
    doc = _base("{{ organ_name }}")
    doc.add_heading("Utdelning ur Borås Stads sociala donationsfonder {{ year }}", level=1)
    doc.add_paragraph("Dnr {{ dnr }}")
    doc.add_paragraph(
        "{{ applications }} ansökningar kom in. {{ count }} beviljas med sammanlagt {{ total }} kr. "
        "Utbetalning sker {{ payout_on }}."
    )
    doc.add_heading("Per fond", level=2)
    _two_column_loop(
        doc, ["Fond", "Antal", "Belopp, kr"], "f in per_fund", ["{{ f.name }}", "{{ f.count }}", "{{ f.sum }}"]
    )
    doc.add_heading("Per ändamål", level=2)
    _two_column_loop(
        doc, ["Ändamål", "Antal", "Belopp, kr"], "p in per_purpose", ["{{ p.purpose }}", "{{ p.count }}", "{{ p.sum }}"]
    )
    return doc


def donation_bilaga() -> Document:
    doc = _base("{{ organ_name }}", "SEKRETESS {{ secrecy }}")
    doc.add_heading("Beviljade bidrag ur de sociala donationsfonderna {{ year }}", level=1)
    doc.add_paragraph("Dnr {{ dnr }}. Handlingen omfattas av sekretess enligt {{ secrecy }} och får inte lämnas ut.")
    doc.add_paragraph("{%p for f in funds %}")
    doc.add_heading("{{ f.name }}", level=2)
    _two_column_loop(
        doc,
        ["Rad", "Namn", "Ändamål", "Belopp, kr"],
        "g in f.grants",
        ["{{ g.line }}", "{{ g.name }}", "{{ g.purpose }}", "{{ g.amount }}"],
        totals=["", "Summa {{ f.name }}", "{{ f.count }} bidrag", "{{ f.total }}"],
    )
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("Totalt", level=2)
    doc.add_paragraph("{{ count }} bidrag ur {{ funds|length }} fonder, sammanlagt {{ total }} kr.")
    return doc


def _lines(doc: Document, heading: str, items: str, numbered: bool = False, level: int = 3) -> None:
    """A heading and one paragraph per item, left out entirely when there are none (an
    empty "Beslutsunderlag" was printed)."""
    doc.add_paragraph(f"{{%p if {items} %}}")
    doc.add_heading(heading, level=level)
    doc.add_paragraph(f"{{%p for line in {items} %}}")
    doc.add_paragraph("{{ loop.index }}. {{ line }}" if numbered else "{{ line }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


def _paragraph_block(doc: Document) -> None:
    """One § as the protocol records it, from `p` (services.meeting.papers.paragraph_context):
    the same block in the protokoll and in the extract, so they agree word for word."""
    doc.add_heading("§ {{ p.paragraph }}{% if p.dnr %}\tDnr {{ p.dnr }}{% endif %}", level=2)
    doc.add_heading("{{ p.heading }}", level=3)
    _lines(doc, "Jäv", "p.jav")
    doc.add_heading("{{ organ_genitive }} beslut", level=3)
    doc.add_paragraph("{%p for para in p.decision_paragraphs %}")
    doc.add_paragraph("{{ para }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if p.immediate %}")
    doc.add_paragraph("Paragrafen förklaras omedelbart justerad.")
    doc.add_paragraph("{%p endif %}")
    _lines(doc, "Förteckning", "p.listed", numbered=True)
    _lines(doc, "Yrkanden", "p.yrkanden")
    doc.add_paragraph("{%p if p.proposition_order %}")
    doc.add_heading("Propositionsordning", level=3)
    doc.add_paragraph("{{ p.proposition_order }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if p.votes %}")
    doc.add_heading("Omröstning", level=3)
    doc.add_paragraph("{%p for v in p.votes %}")
    doc.add_paragraph("{{ v.name }}: {{ v.choice }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ p.vote_summary }}")
    doc.add_paragraph("{%p endif %}")
    _lines(doc, "Reservationer", "p.reservations")
    _lines(doc, "Protokollsanteckningar", "p.notes")
    _lines(doc, "Särskilda yttranden", "p.statements")
    doc.add_paragraph("{%p if p.summary_paragraphs %}")
    doc.add_heading("Sammanfattning av ärendet", level=3)
    doc.add_paragraph("{%p for para in p.summary_paragraphs %}")
    doc.add_paragraph("{{ para }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    _lines(doc, "Beslutsunderlag", "p.attachments", numbered=True)
    _lines(doc, "Beslutet expedieras till", "p.recipients", numbered=True)


def kallelse() -> Document:
    doc = _base("{{ organ_name }}")
    doc.add_heading("Kallelse till sammanträde med {{ organ_name }}", level=1)
    doc.add_paragraph("Tid: {{ date_long }}{% if time %} kl. {{ time }}{% endif %}")
    doc.add_paragraph("Plats: {{ place }}")
    doc.add_paragraph("{%p if justering_at %}")
    doc.add_paragraph("Justering: {{ justering_at }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("Ledamöter kallas. Ersättare underrättas. Förhinder anmäls till sekreteraren.")
    doc.add_heading("Föredragningslista", level=2)
    doc.add_paragraph("{%p for i in items %}")
    doc.add_heading("{{ i.number }}. {{ i.heading }}", level=3)
    doc.add_paragraph("{%p if i.dnr %}")
    doc.add_paragraph("Dnr {{ i.dnr }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if i.proposed %}")
    doc.add_paragraph("Förslag till beslut: {{ i.proposed }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for h in i.handlingar %}")
    doc.add_paragraph("– {{ h }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    _lines(doc, "Ledamöter", "members")
    _lines(doc, "Ersättare", "ersattare")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "{{ chair }}"
    table.cell(0, 1).text = "{{ secretary }}"
    table.cell(1, 0).text = "Ordförande"
    table.cell(1, 1).text = "Sekreterare"
    return doc


def protokoll() -> Document:
    doc = _base("{{ organ_name }}", "Sammanträdesdatum {{ meeting_date }}", signatures_footer=True)
    doc.add_heading("Protokoll, {{ organ_name }}{% if oj %}, omedelbart justerad paragraf{% endif %}", level=1)
    doc.add_paragraph("Plats och tid: {{ place }}, {{ date_long }}{% if time %} kl. {{ time }}{% endif %}")
    _lines(doc, "Beslutande", "beslutande")
    _lines(doc, "Närvarande ersättare", "ersattare")
    _lines(doc, "Övriga närvarande", "ovriga")
    _lines(doc, "Frånvarande", "franvarande")
    doc.add_paragraph("Paragrafer: § {{ paragraph_range }}")
    doc.add_paragraph("Justerare: {{ justerare|join(', ') }}")
    doc.add_paragraph("{%p if justering_at %}")
    doc.add_paragraph("Justeringens plats och tid: {{ justering_at }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("Underskrifter", level=2)
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "Sekreterare"
    table.cell(0, 1).text = "______________________________\n{{ secretary }}"
    table.cell(1, 0).text = "Ordförande"
    table.cell(1, 1).text = "______________________________\n{{ chair }}"
    table.cell(2, 0).text = "Justerare"
    table.cell(2, 1).text = "{% for j in justerare %}______________________________\n{{ j }}\n{% endfor %}"
    doc.add_paragraph("{%p for p in paragraphs %}")
    _paragraph_block(doc)
    doc.add_paragraph("{%p endfor %}")
    _lines(doc, "Rättelser efter justering", "corrections")
    doc.add_paragraph("{%p if anslagen %}")
    doc.add_heading("Bevis om anslag", level=2)
    doc.add_paragraph(
        "{% if oj %}Paragrafen är omedelbart justerad{% else %}Protokollet är justerat{% endif %}. "
        "Justeringen har tillkännagivits genom anslag."
    )
    doc.add_paragraph("Organ: {{ organ_name }}")
    doc.add_paragraph("Sammanträdesdatum: {{ meeting_date }}")
    doc.add_paragraph("Datum då anslaget sätts upp: {{ anslag_posted_long }}")
    doc.add_paragraph("Datum då anslaget tas ned: {{ anslag_removed_long }}")
    doc.add_paragraph("Förvaringsplats för protokollet: {{ minutes_kept_at }}")
    doc.add_paragraph("Underskrift: ______________________________ {{ secretary }}")
    doc.add_paragraph("{%p endif %}")
    return doc


def anslag() -> Document:
    doc = _base("{{ organ_name }}")
    doc.add_heading("Anslag om justering", level=1)
    doc.add_paragraph(
        "{% if oj %}Paragrafen är omedelbart justerad{% else %}Protokollet är justerat{% endif %}. "
        "Justeringen har tillkännagivits genom anslag."
    )
    doc.add_paragraph("Organ: {{ organ_name }}")
    doc.add_paragraph("Sammanträdesdatum: {{ meeting_date }}")
    doc.add_paragraph("Datum för justering: {{ justerad_on_long }}")
    doc.add_paragraph("Datum då anslaget sätts upp: {{ anslag_posted_long }}")
    doc.add_paragraph("Datum då anslaget tas ned: {{ anslag_removed_long }}")
    doc.add_paragraph("Förvaringsplats för protokollet: {{ minutes_kept_at }}")
    doc.add_heading("Hur man överklagar", level=2)
    doc.add_paragraph("{{ appeal }}, det vill säga senast {{ appeal_ends_long }}.")
    doc.add_paragraph("Underskrift: ______________________________ {{ secretary }}")
    return doc


def protokollsutdrag() -> Document:
    doc = _base("{{ organ_name }}", "Sammanträdesdatum {{ meeting_date }}", signatures_footer=True)
    _paragraph_block(doc)
    doc.add_heading("Justering", level=2)
    doc.add_paragraph(
        "{% if justerad_on_long %}Protokollet justerades {{ justerad_on_long }} av {{ chair }} (ordförande)"
        "{% for j in justerare %} och {{ j }}{% endfor %}.{% else %}Protokollet är ännu inte justerat.{% endif %}"
    )
    doc.add_paragraph(
        "{% if anslag_posted_long %}Justeringen tillkännagavs på kommunens anslagstavla "
        "{{ anslag_posted_long }}. {{ appeal }}, det vill säga senast {{ appeal_ends_long }}.{% endif %}"
    )
    doc.add_paragraph("Utdragsbestyrkande: {{ certified_by }}")
    return doc


if __name__ == "__main__":
    import sys

    builders = {
        "tjansteskrivelse": tjansteskrivelse,
        "remissvar": remissvar,
        "revisionssvar": revisionssvar,
        "arsredovisning": arsredovisning,
        "missiv": missiv,
        "iop_overenskommelse": iop_overenskommelse,
        "iop_tillagg": iop_tillagg,
        "donation_beslut": donation_beslut,
        "donation_bilaga": donation_bilaga,
        "protokollsutdrag": protokollsutdrag,
        "kallelse": kallelse,
        "protokoll": protokoll,
        "anslag": anslag,
    }
    # Names given: only those (a template the municipality has edited stays as it is).
    for name in sys.argv[1:] or list(builders):
        builders[name]().save(HERE / f"{name}.docx")
        print(HERE / f"{name}.docx")

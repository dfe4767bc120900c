"""Builds the starting .docx templates in this folder.

The committed .docx files are the source of truth once a municipality edits them in
Word; this script only recreates the originals: `python templates/make_templates.py`.
Tags are Jinja2 as docxtpl reads them; `{%p ... %}` tags stand alone in a paragraph.
"""

from __future__ import annotations

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from meeting_templates import anslag, kallelse, protokoll, protokollsutdrag
from template_style import (
    HERE,
    align_right,
    base,
    header_row,
    lines,
    paragraphs,
    party_signatures,
    signatures,
    two_column_loop,
)


def tjansteskrivelse() -> Document:
    doc = base("{{ office }}")
    doc.add_heading("{{ title }}", level=1)
    doc.add_heading("{{ organ_genitive }} beslut", level=2)
    doc.add_paragraph("{{ proposed_decision }}")
    doc.add_paragraph("{%p if summary_paragraphs %}")
    doc.add_heading("Sammanfattning", level=2)
    paragraphs(doc, "summary_paragraphs")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("Ärendet i sin helhet", level=2)
    paragraphs(doc, "body_paragraphs")
    lines(doc, "Beslutsunderlag", "attachments", numbered=True, level=2)
    doc.add_heading("Samverkan", level=2)
    doc.add_paragraph("{{ samverkan }}")
    lines(doc, "Beslutet expedieras till", "recipients", numbered=True, level=2)
    doc.add_paragraph("")
    signatures(doc)
    return doc


def remissvar() -> Document:
    doc = base("{{ organ_name }}")
    doc.add_paragraph("{{ date_long }}")
    doc.add_paragraph("Vår beteckning: Dnr {{ dnr }}\nEr beteckning: {{ sender_dnr }}")
    doc.add_paragraph("Till {{ sender_name }}")
    doc.add_heading("{{ title }}", level=1)
    doc.add_paragraph("Ämne: {{ sender_dnr }} {{ organ_name }}")
    doc.add_heading("{{ organ_genitive }} beslut", level=2)
    doc.add_paragraph("{{ decision_text }}")
    doc.add_paragraph("Ställningstagande: {{ organ_name }} {{ stance }}.")
    doc.add_paragraph("{%p if summary_paragraphs %}")
    doc.add_heading("Sammanfattning", level=2)
    paragraphs(doc, "summary_paragraphs")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("Yttrande", level=2)
    paragraphs(doc, "body_paragraphs")
    doc.add_paragraph(
        "{{ organ_name }} beslutade yttrandet vid sammanträdet {{ meeting_date_long }}, § {{ paragraph }}. "
        "Protokollet justerades {{ justerad_on_long }}."
    )
    doc.add_paragraph("")
    signatures(doc)
    return doc


def revisionssvar() -> Document:
    doc = base("{{ organ_name }}")
    doc.add_paragraph("{{ date_long }}")
    doc.add_paragraph("Vår beteckning: Dnr {{ dnr }}\nEr beteckning: {{ sender_dnr }}")
    doc.add_paragraph("Till {{ sender_name }}")
    doc.add_heading("Svar på revisionsrapport – {{ title }}", level=1)
    doc.add_heading("{{ organ_genitive }} beslut", level=2)
    doc.add_paragraph("{{ decision_text }}")
    doc.add_paragraph("{%p if summary_paragraphs %}")
    doc.add_heading("Sammanfattning", level=2)
    paragraphs(doc, "summary_paragraphs")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading("Revisionens rekommendationer och nämndens svar", level=2)
    doc.add_paragraph("{%p for rec in recommendations %}")
    doc.add_paragraph("Rekommendation {{ rec.number }} (till {{ rec.addressed_to }}): {{ rec.text }}")
    doc.add_paragraph("Svar: {{ rec.response }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("Ärendet i sin helhet", level=2)
    paragraphs(doc, "body_paragraphs")
    doc.add_paragraph(
        "{{ organ_name }} beslutade svaret vid sammanträdet {{ meeting_date_long }}, § {{ paragraph }}. "
        "Protokollet justerades {{ justerad_on_long }}."
    )
    doc.add_paragraph("")
    signatures(doc)
    return doc


def arsredovisning() -> Document:
    doc = base("{{ organ_name }}")
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
    header_row(table)
    align_right(table, (1, 2, 3, 4))
    doc.add_paragraph("{%p if followups %}")
    doc.add_heading("Uppföljningar som beslutas samtidigt", level=2)
    doc.add_paragraph("{%p for f in followups %}")
    doc.add_paragraph("Dnr {{ f.dnr }} {{ f.title }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    return doc


def missiv() -> Document:
    doc = base("{{ organ_name }}")
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
    signatures(doc)
    return doc


def parties(doc: Document) -> None:
    """The parties, each with its address (seed 003's "Parter")."""
    doc.add_heading("Parter", level=2)
    doc.add_paragraph("{{ partner_line }}")
    doc.add_paragraph("{{ our_party_line }}")


def optional_section(doc: Document, heading: str, key: str) -> None:
    doc.add_paragraph(f"{{%p if terms.{key} %}}")
    doc.add_heading(heading, level=2)
    paragraphs(doc, f"terms.{key}")
    doc.add_paragraph("{%p endif %}")


def iop_overenskommelse() -> Document:
    doc = base("{{ office }}")
    doc.add_heading("Överenskommelse om idéburet offentligt partnerskap IOP nr {{ number }}", level=1)
    doc.add_paragraph("mellan {{ our_party }} och {{ partner_name }}.")
    doc.add_paragraph("Dnr {{ dnr }}")
    parties(doc)
    sections = [
        ("Bakgrund", "background"),
        ("Syften och mål med överenskommelsen", "purpose"),
        ("Värdegrund för överenskommelsen", "principles"),
        ("Ansvarsfördelning", "responsibilities"),
        ("Tjänster som överenskommelsen innefattar", "services"),
        ("Samverkan och samarbete", "cooperation"),
        ("Utvärdering och uppföljning", "evaluation"),
    ]
    for heading, key in sections:
        optional_section(doc, heading, key)
    doc.add_heading("Ekonomi", level=2)
    doc.add_paragraph("{{ partner_name }} erhåller en fast ersättning på {{ yearly_amount }} kr per år.")
    doc.add_paragraph("{%p for s in supplements %}")
    doc.add_paragraph(
        "För {{ s.year }} erhåller {{ partner_name }} därutöver {{ s.amount }} kr enligt beslut {{ s.decision }}."
    )
    doc.add_paragraph("{%p endfor %}")
    paragraphs(doc, "terms.economy")
    optional_section(doc, "Grundläggande förutsättningar för överenskommelsen", "conditions")
    doc.add_heading("Period för överenskommelsen", level=2)
    doc.add_paragraph(
        "Överenskommelsen gäller från och med {{ starts_long }} till och med {{ ends_long }}. "
        "Den förlängs med {{ renewal_text }} i taget om den inte sägs upp av någon av parterna "
        "senast {{ notice_text }} före förfallodagen, för den innevarande perioden senast "
        "{{ notice_last_long }}. Inför varje förlängning görs en utvärdering."
    )
    doc.add_heading("Omförhandling", level=2)
    paragraphs(doc, "terms.renegotiation")
    doc.add_heading("Kontaktpersoner", level=2)
    doc.add_paragraph(
        "Kontaktperson för {{ partner_name }} är {{ partner_contact }}. "
        "Kontaktperson för {{ office }} är {{ our_contact }}."
    )
    doc.add_heading("Avtalets undertecknande", level=2)
    doc.add_paragraph(
        "Denna överenskommelse har upprättats i två likalydande exemplar, ett till var och en av parterna."
    )
    party_signatures(doc)
    return doc


def iop_tillagg() -> Document:
    """The supplement agreement for one year (seed 003: 150 tkr to Kvinno- och tjejjouren
    Borås for 2022, for a service at acute placements, invoiced by the partner)."""
    doc = base("{{ office }}")
    doc.add_heading(
        "Komplettering till överenskommelse om idéburet offentligt partnerskap IOP nr {{ number }}", level=1
    )
    doc.add_paragraph("mellan {{ our_party }} och {{ partner_name }}.")
    doc.add_paragraph("Dnr {{ dnr }}")
    parties(doc)
    doc.add_heading("Bakgrund", level=2)
    doc.add_paragraph(
        "{{ organ_name }} beslutade {{ agreement_decision }} att ingå överenskommelse om idéburet offentligt "
        "partnerskap med {{ partner_name }} (Dnr {{ agreement_dnr }}), med en fast ersättning på {{ yearly_amount }} "
        "kr per år."
    )
    doc.add_heading("Komplettering", level=2)
    doc.add_paragraph("{%p if service %}")
    doc.add_paragraph("Kompletteringen innebär en servicetjänst: {{ service }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph(
        "Utöver den fasta ersättningen erhåller {{ partner_name }} {{ amount }} kr för år {{ year }}, enligt "
        "{{ organ_genitive }} beslut {{ decision }}. Avgiften faktureras av {{ invoiced_by }}. Övriga villkor i "
        "överenskommelsen gäller oförändrade."
    )
    doc.add_heading("Undertecknande", level=2)
    doc.add_paragraph("Denna komplettering har upprättats i två likalydande exemplar, ett till var och en av parterna.")
    party_signatures(doc)
    return doc


def donation_beslut() -> Document:
    doc = base("{{ organ_name }}")
    doc.add_heading("Utdelning ur Borås Stads sociala donationsfonder {{ year }}", level=1)
    doc.add_paragraph("Dnr {{ dnr }}")
    doc.add_paragraph(
        "{{ applications }} ansökningar kom in. {{ count }} beviljas med sammanlagt {{ total }} kr. "
        "Utbetalning sker {{ payout_on }}."
    )
    doc.add_heading("Per fond", level=2)
    two_column_loop(
        doc,
        ["Fond", "Antal", "Belopp, kr"],
        "f in per_fund",
        ["{{ f.name }}", "{{ f.count }}", "{{ f.sum }}"],
        numeric=(1, 2),
    )
    doc.add_heading("Per ändamål", level=2)
    two_column_loop(
        doc,
        ["Ändamål", "Antal", "Belopp, kr"],
        "p in per_purpose",
        ["{{ p.purpose }}", "{{ p.count }}", "{{ p.sum }}"],
        numeric=(1, 2),
    )
    return doc


def donation_bilaga() -> Document:
    doc = base("{{ organ_name }}", "SEKRETESS {{ secrecy }}")
    doc.add_heading("Beviljade bidrag ur de sociala donationsfonderna {{ year }}", level=1)
    doc.add_paragraph("Dnr {{ dnr }}. Handlingen omfattas av sekretess enligt {{ secrecy }} och får inte lämnas ut.")
    doc.add_paragraph("{%p for f in funds %}")
    doc.add_heading("{{ f.name }}", level=2)
    two_column_loop(
        doc,
        ["Rad", "Namn", "Ändamål", "Belopp, kr"],
        "g in f.grants",
        ["{{ g.line }}", "{{ g.name }}", "{{ g.purpose }}", "{{ g.amount }}"],
        totals=["", "Summa {{ f.name }}", "{{ f.count }} bidrag", "{{ f.total }}"],
        numeric=(0, 3),
    )
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("Totalt", level=2)
    doc.add_paragraph("{{ count }} bidrag ur {{ funds|length }} fonder, sammanlagt {{ total }} kr.")
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

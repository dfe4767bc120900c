"""The meeting's templates: kallelse, protokoll, anslag and protokollsutdrag."""

from __future__ import annotations

from docx import Document
from template_style import base, keep_together, lines, paragraph_block


def kallelse() -> Document:
    doc = base("{{ organ_name }}")
    doc.add_heading("Kallelse till sammanträde med {{ organ_name }}", level=1)
    doc.add_paragraph("Tid: {{ date_long }}{% if time %} kl. {{ time }}{% endif %}")
    doc.add_paragraph("Plats: {{ place }}")
    doc.add_paragraph("{%p if justering_at %}")
    doc.add_paragraph("Justering: {{ justering_at }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph(
        "Ledamöter kallas. Ersättare underrättas. Förhinder anmäls till sekreteraren"
        "{% if secretary_contact %}, {{ secretary_contact }}{% endif %}."
    )
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
    lines(doc, "Ledamöter", "members")
    lines(doc, "Ersättare", "ersattare")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "{{ chair }}"
    table.cell(0, 1).text = "{{ secretary }}"
    table.cell(1, 0).text = "Ordförande"
    table.cell(1, 1).text = "Sekreterare"
    return doc


def digital_signature_page(doc: Document) -> None:
    """The last page of a protocol sent for digital justering: a page of its own, whose
    text ends above the signature boxes arende.signing.pdf places from 10 cm down."""
    doc.add_paragraph("{%p if digital %}")
    heading = doc.add_heading("Justerat digitalt", level=2)
    heading.paragraph_format.page_break_before = True
    doc.add_paragraph(
        "Protokollet justeras med avancerade elektroniska underskrifter (PAdES) i denna PDF/A-fil. "
        "Var och en skriver under i rutan med sitt namn och sin roll nedan, i tur och ordning. "
        "Vem som helst kan kontrollera underskrifterna: arende verify, eller webbsidan Verifiera."
    )
    doc.add_paragraph("Undertecknare: {{ signatories|join('; ') }}")
    doc.add_paragraph("{%p endif %}")


def protokoll() -> Document:
    doc = base("{{ organ_name }}", "Sammanträdesdatum {{ meeting_date }}", signatures_footer=True)
    doc.add_heading("Protokoll, {{ organ_name }}{% if oj %}, omedelbart justerad paragraf{% endif %}", level=1)
    doc.add_paragraph("Plats och tid: {{ place }}, {{ date_long }}{% if time %} kl. {{ time }}{% endif %}")
    # The customary parts, printed when recorded (`meeting held`).
    doc.add_paragraph("{%p if adjournments %}")
    doc.add_paragraph("Ajournering: kl. {{ adjournments|join(', kl. ') }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if agenda_approved %}")
    doc.add_paragraph("Föredragningslistan godkändes.")
    doc.add_paragraph("{%p endif %}")
    lines(doc, "Beslutande", "beslutande")
    lines(doc, "Närvarande ersättare", "ersattare")
    lines(doc, "Övriga närvarande", "ovriga")
    lines(doc, "Frånvarande", "franvarande")
    doc.add_paragraph("Paragrafer: § {{ paragraph_range }}")
    doc.add_paragraph("Justerare: {{ justerare|join(', ') }}")
    # Before signing, the planned day and place; once signed, the day it was.
    doc.add_paragraph(
        "{% if justerad_on_long %}Justerat: {{ justerad_on_long }}{% if justering_place %}, {{ justering_place }}"
        "{% endif %}{% elif justering_at %}Justeringens plats och tid: {{ justering_at }}{% endif %}"
    )
    doc.add_heading("Underskrifter", level=2)
    # Justerat digitalt: the signatures are electronic, on the last page.
    doc.add_paragraph("{%p if digital %}")
    doc.add_paragraph("Protokollet justeras digitalt: underskrifterna finns på sista sidan.")
    doc.add_paragraph("{%p else %}")
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "Sekreterare"
    table.cell(0, 1).text = "______________________________\n{{ secretary }}"
    table.cell(1, 0).text = "Ordförande"
    table.cell(1, 1).text = "______________________________\n{{ chair }}"
    table.cell(2, 0).text = "Justerare"
    table.cell(2, 1).text = "{% for j in justerare %}______________________________\n{{ j }}\n{% endfor %}"
    keep_together(table)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for p in paragraphs %}")
    paragraph_block(doc)
    doc.add_paragraph("{%p endfor %}")
    lines(doc, "Rättelser efter justering", "corrections")
    digital_signature_page(doc)
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
    doc = base("{{ organ_name }}")
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
    doc = base("{{ organ_name }}", "Sammanträdesdatum {{ meeting_date }}", signatures_footer=True)
    paragraph_block(doc)
    doc.add_heading("Justering", level=2)
    doc.add_paragraph(
        "{% if justerad_on_long %}Protokollet justerades {{ justerad_on_long }} av {{ chair }} (ordförande)"
        "{% for j in justerare %} och {{ j }}{% endfor %}.{% else %}Protokollet är ännu inte justerat.{% endif %}"
    )
    doc.add_paragraph(
        "{% if anslag_posted_long %}Justeringen tillkännagavs på kommunens anslagstavla "
        "{{ anslag_posted_long }}.{% endif %}"
    )
    # How this decision is appealed, by its kind: none (KL 13:2), laglighetsprövning
    # (KL 13:5, once the notice is posted) or förvaltningsbesvär (FL 40–44 §§).
    doc.add_paragraph("{%p if appeal_sentence %}")
    doc.add_paragraph("{{ appeal_sentence }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("Utdragsbestyrkande: {{ certified_by }}")
    return doc

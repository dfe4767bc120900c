"""The templates the municipality edits in Word: their fields are listed for the editor,
a template an editor broke is refused with one line naming the template and the field
(and nothing is written), and what users type comes out literally, never run."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from docx import Document

from helpers import fingerprint, record_all_facts, register

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_the_fields_list_in_the_templates_folder_is_the_generated_one(capsys):
    from arende.cli import main

    assert main(["templates", "--markdown"]) == 0
    assert capsys.readouterr().out == (TEMPLATES / "FIELDS.md").read_text(encoding="utf-8")


def test_every_template_lists_the_fields_an_editor_may_use(capsys):
    from arende.documents import template_fields

    assert {"p.heading", "p.decision_paragraphs", "certified_by"} <= set(template_fields("protokollsutdrag"))
    assert {"items[].heading", "items[].dnr", "members"} <= set(template_fields("kallelse"))


def _edited(tmp_path: Path, monkeypatch, kind: str, text: str) -> None:
    """The templates folder with `kind` replaced by a document an editor wrote."""
    from arende.settings import reset_settings

    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    doc = Document()
    doc.add_paragraph(text)
    doc.save(str(folder / f"{kind}.docx"))
    monkeypatch.setenv("ARENDE_TEMPLATES_DIR", str(folder))
    reset_settings()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Dnr {{ dnrr }}", "protokollsutdrag.docx uses the field 'dnrr', which this document does not have"),
        ("Dnr {{ dnr ", "protokollsutdrag.docx: unexpected '/' (template line 2)"),
        ("{% for x in %}", "protokollsutdrag.docx: Expected an expression"),
        ("{{ ''.__class__.__mro__ }}", "protokollsutdrag.docx cannot be used: access to attribute"),  # the sandbox
    ],
)
def test_a_template_an_editor_broke_is_one_line_and_nothing_is_written(
    sqlite_db, tmp_path, monkeypatch, capsys, text, problem
):
    from arende.cli import main

    _, dnr = register()
    record_all_facts(dnr, upto="anslag")
    _edited(tmp_path, monkeypatch, "protokollsutdrag", text)
    before = fingerprint()
    capsys.readouterr()
    code = main(["extract", dnr, "--out", str(tmp_path / "utdrag.docx")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"arende: error: template: {problem}") and err.count("\n") == 1, err
    assert fingerprint() == before
    assert not (tmp_path / "utdrag.docx").exists()


def test_what_a_user_types_comes_out_literally(sqlite_db):
    from arende.documents import render
    from arende.services import facts
    from arende.services.common import get_errand
    from arende.services.documents import letterhead, report_context
    from db.models import Report
    from db.session import session_scope

    from helpers import D

    _, dnr = register()
    record_all_facts(dnr, upto="assign")
    typed = "Summan är {{ 7*7 }} och {% if true %}ja{% endif %} <w:p>&amp; Kvinno- & tjejjouren"
    with session_scope() as session:
        facts.draft_report(session, dnr, summary=typed, body="Text.", drafted_on=D("2022-02-01"), stance="tillstyrker")
    with session_scope() as session:
        errand = get_errand(session, dnr)
        head = letterhead(errand.organ, "tjansteskrivelse", on=D("2022-02-01"), dnr=errand.dnr)
        data = render(
            "tjansteskrivelse", {"head": head} | report_context(session, errand, session.get(Report, errand.id))
        )
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert typed in text and "49" not in text
    assert "Beslutsunderlag" not in text  # no attachments: no empty section

"""Delivery to the e-archive, checked as an archive would: the package's METS against
CSIP's mets.xsd, the ERMS against ERMS_v3.xsd and its Schematron, the PREMIS against
PREMIS 3, every checksum against the file, and the Dnr, the §, the classification code
and the secrecy provision read back at their XPaths. Offline (tests/standards/)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from lxml import etree, isoschematron

from helpers import D, record_all_facts, register

STANDARDS = Path(__file__).parent / "standards"
NS = {
    "mets": "http://www.loc.gov/METS/",
    "xlink": "http://www.w3.org/1999/xlink",
    "erms": "https://DILCIS.eu/XML/ERMS",
    "premis": "http://www.loc.gov/premis/v3",
}


class _Local(etree.Resolver):
    """The two W3C schemas mets.xsd imports, from the local copies; nothing from the net."""

    def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
        local = {
            "http://www.loc.gov/standards/xlink/xlink.xsd": STANDARDS / "common" / "xlink.xsd",
            "http://www.w3.org/2001/xml.xsd": STANDARDS / "common" / "xml.xsd",
        }
        if url in local:
            return self.resolve_filename(str(local[url]), context)
        if url.startswith("http"):
            raise AssertionError(f"a schema asked for {url}")
        return None


def _schema(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    return etree.XMLSchema(etree.parse(str(path), parser))


def _mets_schema() -> etree.XMLSchema:
    """mets.xsd and the DILCIS extension together, as one schema of imports."""
    wrapper = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x-wrapper">
      <xs:import namespace="http://www.loc.gov/METS/" schemaLocation="{STANDARDS / "csip-2.1.0" / "mets.xsd"}"/>
      <xs:import namespace="https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
                 schemaLocation="{STANDARDS / "csip-2.1.0" / "DILCISExtensionMETS.xsd"}"/>
    </xs:schema>"""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser, base_url=str(STANDARDS) + "/"))


def _schematron() -> isoschematron.Schematron:
    text = (STANDARDS / "erms" / "erms_v3.sch").read_bytes().replace(b'queryBinding="xslt2"', b'queryBinding="xslt"')
    return isoschematron.Schematron(etree.fromstring(text))


def _closed_remiss_and_a_secret_handling(tmp_path: Path) -> str:
    """The seed remiss decided as § 14, justerad, sent and closed, with a secret handling."""
    from arende.commands.handlers import apply
    from arende.commands.vocabulary import DocumentAdd
    from arende.services.steps import advance

    errand_id, dnr = register(classification="1.1.7.1")
    secret = tmp_path / "yttrande-med-personuppgifter.docx"
    secret.write_bytes(b"PK\x03\x04 not really a docx, a file a person attached")
    apply(DocumentAdd(dnr=dnr, file=secret, direction="incoming", counterpart='Jansson & Söner "AB" <info>',
                      description="Skrivelse med personuppgifter\x0c", date=D("2022-01-25"),
                      secrecy="OSL 26 kap. 1 §"))  # fmt: skip
    record_all_facts(dnr)
    advance(errand_id)
    return dnr


def _with_a_pdfa_copy(dnr: str) -> None:
    """The secret handling's archive copy, as `arende archive` would have made it
    (LibreOffice is not needed here)."""
    from sqlalchemy import select

    from arende.services.common import get_errand
    from arende.settings import get_settings
    from db.models import Document
    from db.session import session_scope

    with session_scope() as session:
        errand = get_errand(session, dnr)
        doc = session.scalars(
            select(Document).where(Document.errand_id == errand.id, Document.secrecy_provision.is_not(None))
        ).one()
        copy = get_settings().effective_documents_dir / "pdfa-copy.pdf"
        copy.write_bytes(b"%PDF-1.7 an archive copy")
        doc.archive_path = "pdfa-copy.pdf"


def test_an_organ_s_year_is_delivered_as_a_valid_sip(sqlite_db, tmp_path, capsys):
    from arende.cli import main
    from arende.services.common import get_errand
    from db.session import session_scope

    dnr = _closed_remiss_and_a_secret_handling(tmp_path)
    with session_scope() as session:
        status = get_errand(session, dnr).status
    assert status == "closed", status
    open_dnr = register(title="Remiss om något som ännu pågår", sender_dnr="KS 2022-00077")[1]
    _with_a_pdfa_copy(dnr)
    assert main(["earchive", "export", "--organ", "ALN", "--year", "2022", "--out", str(tmp_path / "ut")]) == 0
    out = capsys.readouterr().out
    package = tmp_path / "ut" / "SIP-ALN-2022"
    assert f"{package}: 1 avslutade ärenden, 1 sammanträden" in out
    assert f"utelämnat: {open_dnr}: inte avslutat" in out

    mets = etree.parse(str(package / "METS.xml"))
    _mets_schema().assertValid(mets)
    erms = etree.parse(str(package / "metadata" / "descriptive" / "ERMS.xml"))
    _schema(STANDARDS / "erms" / "ERMS_v3.xsd").assertValid(erms)
    schematron = _schematron()
    assert schematron.validate(erms), schematron.error_log
    premis = etree.parse(str(package / "metadata" / "preservation" / "PREMIS.xml"))
    _schema(STANDARDS / "premis" / "premis-v3-0.xsd").assertValid(premis)
    # Each file an object with its checksum; each PDF/A copy's migration names its original;
    # the one fixity check covers every object; every other file's creation is an event.
    objects = {o.findtext("premis:objectIdentifier/premis:objectIdentifierValue", namespaces=NS): o
               for o in premis.iterfind("premis:object", NS)}  # fmt: skip
    events = {e.findtext("premis:eventType", namespaces=NS): e for e in premis.iterfind("premis:event", NS)}
    linked = {k: e.xpath(".//premis:linkingObjectIdentifierValue/text()", namespaces=NS) for k, e in events.items()}
    assert sorted(linked["fixity check"]) == sorted(objects)
    migrations = premis.xpath("//premis:event[premis:eventType='migration']", namespaces=NS)
    assert len(migrations) == 1 and all(len(m.xpath(".//premis:linkingObjectIdentifierValue", namespaces=NS)) == 2
                              for m in migrations)  # fmt: skip
    copies = {m.xpath(".//premis:linkingObjectIdentifierValue/text()", namespaces=NS)[1] for m in migrations}
    creation = "//premis:event[premis:eventType='creation']//premis:linkingObjectIdentifierValue/text()"
    created = set(premis.xpath(creation, namespaces=NS))
    assert created | copies == set(objects) and not created & copies

    # Every file METS lists is there, with the checksum and size it states.
    listed = mets.findall(".//mets:file", NS)
    assert listed
    for entry in listed:
        path = package / entry.find("mets:FLocat", NS).get("{http://www.w3.org/1999/xlink}href")
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry.get("CHECKSUM") and len(data) == int(entry.get("SIZE"))
    for ref in mets.findall(".//mets:mdRef", NS):
        data = (package / ref.get("{http://www.w3.org/1999/xlink}href")).read_bytes()
        assert hashlib.sha256(data).hexdigest() == ref.get("CHECKSUM")

    # Read back where an archivist looks for them.
    case = erms.xpath("//erms:aggregation[@aggregationType='caseFile']", namespaces=NS)[0]
    assert case.xpath("erms:objectId/text()", namespaces=NS) == [dnr]
    assert case.xpath("erms:classification/@classificationCode", namespaces=NS) == ["1.1.7.1"]
    assert case.xpath("erms:action/erms:actionText/text()", namespaces=NS) == ["ALN 2022-02-15 § 14"]
    assert case.xpath("erms:status/@value", namespaces=NS) == ["closed"]
    secret = case.xpath("erms:record[erms:restriction]", namespaces=NS)
    assert len(secret) == 1
    assert secret[0].xpath("erms:restriction/@restrictionType", namespaces=NS) == ["confidential"]
    assert secret[0].xpath("erms:restriction/erms:regulation/text()", namespaces=NS) == ["OSL 26 kap. 1 §"]
    # Markup characters escaped, a control character XML cannot carry dropped: still valid.
    assert secret[0].xpath("erms:title/text()", namespaces=NS) == ["Skrivelse med personuppgifter"]
    assert secret[0].xpath(".//erms:agent/erms:name/text()", namespaces=NS) == ['Jansson & Söner "AB" <info>']
    meeting = erms.xpath("//erms:aggregation[@aggregationType='file']", namespaces=NS)[0]
    assert meeting.xpath("erms:objectId/text()", namespaces=NS) == ["Sammanträde ALN 2022-02-15"]
    assert open_dnr not in (package / "metadata" / "descriptive" / "ERMS.xml").read_text("utf-8")

    # The same delivery again: the same files, byte for byte, beside fresh timestamps.
    first = {p.relative_to(package): p.read_bytes() for p in (package / "representations").rglob("*") if p.is_file()}
    assert main(["earchive", "export", "--organ", "ALN", "--year", "2022", "--out", str(tmp_path / "ut")]) == 0
    again = {p.relative_to(package): p.read_bytes() for p in (package / "representations").rglob("*") if p.is_file()}
    assert again == first

    # One errand alone, as a .zip with METS.xml at its root.
    import zipfile

    args = ["earchive", "export", "--organ", "ALN", "--dnr", dnr, "--out", str(tmp_path / "ett"), "--zip"]
    assert main(args) == 0
    [archive] = (tmp_path / "ett").glob("*.zip")
    with zipfile.ZipFile(archive) as z:
        assert "METS.xml" in z.namelist() and "metadata/descriptive/ERMS.xml" in z.namelist()


@pytest.mark.parametrize("args", [["--year", "2022", "--organ", "XYZ"], ["--organ", "ALN"]])
def test_a_delivery_without_organ_or_year_is_one_line(sqlite_db, tmp_path, capsys, args):
    from arende.cli import main

    assert main(["earchive", "export", *args, "--out", str(tmp_path / "ut")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("arende: error: ") and err.count("\n") == 1, err


LEGACY = Path(__file__).parent / "data" / "legacy-sip"


def test_a_legacy_diarium_is_taken_in_as_closed_errands_and_numbering_continues(sqlite_db, tmp_path, capsys):
    """Another system's export, written from the standard (tests/data/legacy-sip): its
    errands arrive closed with their Dnr, handlingar, files and secrecy, no flow runs,
    the diarium's next number follows the highest imported one, and importing it again
    changes nothing."""
    from sqlalchemy import select

    from arende.cli import main
    from arende.services.common import get_errand
    from db.models import Document, PendingAdvance
    from db.session import session_scope

    from helpers import fingerprint

    assert main(["earchive", "import", str(LEGACY)]) == 0
    assert "2 ärenden importerade, 0 fanns redan oförändrade" in capsys.readouterr().out
    with session_scope() as session:
        errand = get_errand(session, "ALN 2019-00042")
        assert (errand.status, errand.errand_type, errand.classification_code) == ("closed", "imported", "1.1.7.1")
        assert errand.officer == "Berit Handläggare" and errand.details["actions"] == ["ALN 2019-04-16 § 55"]
        docs = session.scalars(select(Document).where(Document.errand_id == errand.id).order_by(Document.number)).all()
        assert [(d.number, d.direction, d.counterpart) for d in docs] == [
            (1, "incoming", "Kommunstyrelsen"), (2, "outgoing", "Kommunstyrelsen")]  # fmt: skip
        assert docs[0].file.read_bytes().startswith(b"%PDF") and docs[1].archive_file.read_bytes().startswith(b"%PDF")
        secret = session.scalars(select(Document).where(Document.description == "Ansökan med personuppgifter")).one()
        assert secret.secrecy_provision == "OSL 26 kap. 1 §"
        assert session.scalars(select(PendingAdvance)).all() == []  # no flow for an imported closed errand
    before = fingerprint()
    assert main(["earchive", "import", str(LEGACY)]) == 0
    assert "0 ärenden importerade, 2 fanns redan oförändrade" in capsys.readouterr().out
    assert fingerprint() == before
    # The next number in ALN 2019 follows the highest imported.
    from arende.services.diary import allocate_number

    with session_scope() as session:
        assert allocate_number(session, "ALN", 2019) == 58


def test_our_own_delivery_is_taken_in_by_a_new_installation(sqlite_db, sqlite_url, tmp_path, capsys, monkeypatch):
    from arende.cli import main
    from arende.services.common import get_errand
    from db.session import session_scope

    from conftest import _use

    dnr = _closed_remiss_and_a_secret_handling(tmp_path)
    assert main(["earchive", "export", "--organ", "ALN", "--year", "2022", "--out", str(tmp_path / "ut"), "--zip"]) == 0
    capsys.readouterr()
    _use(sqlite_url, tmp_path / "ny", monkeypatch)  # a new, empty installation
    assert main(["earchive", "import", str(tmp_path / "ut" / "SIP-ALN-2022.zip")]) == 0
    with session_scope() as session:
        errand = get_errand(session, dnr)
        assert errand.status == "closed" and errand.details["actions"] == ["ALN 2022-02-15 § 14"]

    # What the progress bar is told: the check, then the errands up to all of them.
    from arende.earchive.importer import import_package

    heard: list[tuple[str, int, int]] = []
    with session_scope() as session:
        again = import_package(session, tmp_path / "ut" / "SIP-ALN-2022.zip",
                               progress=lambda *a: heard.append(a))  # fmt: skip
    assert again.unchanged == [" ".join(dnr.split()[:2])]
    assert heard == [("kontrollerar paketet", 0, 0), ("ärenden", 1, 1)]


@pytest.mark.parametrize(
    "damage", ["checksum", "no_mets", "invalid_erms", "same_dnr_other_content", "escape", "symlink_out"]
)
def test_a_broken_or_conflicting_package_is_one_line_and_nothing_is_written(sqlite_db, tmp_path, capsys, damage):
    import shutil

    from arende.cli import main

    from helpers import fingerprint

    package = tmp_path / "pkg"
    shutil.copytree(LEGACY, package)
    erms = package / "metadata" / "descriptive" / "erms.xml"
    if damage == "checksum":
        (package / "representations/rep1/data/ALN-2019-00042/motion.pdf").write_bytes(b"%PDF-1.4 changed")
    elif damage == "no_mets":
        (package / "METS.xml").unlink()
    elif damage == "invalid_erms":
        _rewrite(package, erms, erms.read_text("utf-8").replace('<status value="closed"/>', '<status value="done"/>'))
    elif damage == "escape":
        text = erms.read_text("utf-8").replace("../../representations/rep1/data/ALN-2019-00057/ansokan.txt",
                                              "../../../../../../etc/hostname")  # fmt: skip
        _rewrite(package, erms, text)
    elif damage == "symlink_out":
        # A folder package whose file is a link to something outside it: never read.
        outside = tmp_path / "outside.txt"
        outside.write_text("not the package's", "utf-8")
        link = package / "representations/rep1/data/ALN-2019-00057/ansokan.txt"
        link.unlink()
        link.symlink_to(outside)
    elif damage == "same_dnr_other_content":
        from arende.services.diary import continue_sequence
        from arende.services.remiss import start_remiss
        from db.session import session_scope

        from helpers import remiss_start

        with session_scope() as session:
            continue_sequence(session, "ALN", 2019, 42)
            start_remiss(session, remiss_start(registered_on=D("2019-03-04"), received_on=D("2019-03-04"),
                                               reply_due=D("2019-04-30"), sender_dnr="KS 2019-00001"),
                         registered_on=D("2019-03-04"))  # fmt: skip
    before = fingerprint()
    code = main(["earchive", "import", str(package)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("arende: error: ") and err.count("\n") == 1, err
    assert fingerprint() == before
    expected = {
        "checksum": "does not match its checksum in METS",
        "no_mets": "has no METS.xml at its root",
        "invalid_erms": "is not valid CITS ERMS v3",
        "escape": "is not in the package",
        "symlink_out": "is not in the package",
        "same_dnr_other_content": "ALN 2019-00042 is already in the diarium with other content",
    }
    assert expected[damage] in err, err


def _rewrite(package: Path, erms: Path, text: str) -> None:
    """Change the ERMS and keep METS's checksum of it right: the damage is in the content."""
    old = hashlib.md5(erms.read_bytes()).hexdigest()  # noqa: S324 - the fixture's own checksum type
    erms.write_text(text, encoding="utf-8")
    new = hashlib.md5(erms.read_bytes()).hexdigest()  # noqa: S324
    mets = package / "METS.xml"
    mets.write_text(mets.read_text("utf-8").replace(old, new).replace(
        f'SIZE="{len(text.encode()) + 0}"', f'SIZE="{len(text.encode())}"'), encoding="utf-8")  # fmt: skip


def test_a_missing_or_changed_file_is_left_out_and_said(sqlite_db, tmp_path, capsys):
    """A handling whose file is gone from the store, or differs from what was registered,
    is not delivered as if it were whole: the command says so, the package lists neither."""
    from sqlalchemy import select

    from arende.cli import main
    from arende.services.common import get_errand
    from arende.settings import get_settings
    from db.models import Document
    from db.session import session_scope

    dnr = _closed_remiss_and_a_secret_handling(tmp_path)
    store = get_settings().effective_documents_dir
    with session_scope() as session:
        errand = get_errand(session, dnr)
        docs = [d for d in session.scalars(select(Document).where(Document.errand_id == errand.id)) if d.storage_path]
        gone, changed = docs[0], docs[1]
        (store / gone.storage_path).unlink()
        (store / changed.storage_path).write_bytes(b"not what was registered")
        expected = [
            f"{dnr}:{gone.number}: filen saknas",
            f"{dnr}:{changed.number}: filen har ändrats sedan den registrerades",
        ]
    assert main(["earchive", "export", "--organ", "ALN", "--year", "2022", "--out", str(tmp_path / "ut")]) == 0
    out = capsys.readouterr().out
    for line in expected:
        assert f"utelämnat: {line}" in out, out
    package = tmp_path / "ut" / "SIP-ALN-2022"
    mets = etree.parse(str(package / "METS.xml"))
    _mets_schema().assertValid(mets)
    hrefs = [f.get("{http://www.w3.org/1999/xlink}href") for f in mets.iterfind(".//mets:FLocat", NS)]
    ours = [h for h in hrefs if f"/{dnr.replace(' ', '-')}_" in h]
    assert ours and not [h for h in ours if f"_{gone.number:03d}-" in h or f"_{changed.number:03d}-" in h]
    listed = {str(p.relative_to(package)) for p in (package / "representations").rglob("*") if p.is_file()}
    assert listed == set(hrefs) - {h for h in hrefs if h.startswith("documentation/")}

"""The package's METS.xml (E-ARK CSIP 2.1.0 / SIP 2.1.0): the header naming the
software and the organ, the descriptive (ERMS) and preservation (PREMIS) metadata by
reference with their checksums, every representation file with its SHA-256 and size, and
the structural map CSIP asks for. Content type: CITS ERMS v3, declared as OTHER with
`citserms_v3_0` (CSIP 2.1.0's own list names only v2.1)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

METS_NS = "http://www.loc.gov/METS/"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _m(name: str) -> str:
    return f"{{{METS_NS}}}{name}"


def _sha(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def write(
    path: Path,
    *,
    name: str,
    organ: str,
    files: list[Any],
    metadata: list[tuple[str, Path, Path]],
    created: dt.datetime,
    documentation: list[Any] | None = None,
) -> None:
    from lxml import etree

    when = created.replace(microsecond=0).isoformat()
    nsmap = {None: METS_NS, "csip": CSIP_NS, "xlink": XLINK, "xsi": XSI}
    root_attrs = {
        "OBJID": name,
        "TYPE": "OTHER",
        f"{{{CSIP_NS}}}OTHERTYPE": "Diarium",
        f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE": "OTHER",
        f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE": "citserms_v3_0",
        "LABEL": f"Leverans till e-arkiv: {organ}, {name}",
        "PROFILE": "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml",
    }
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(_m("mets"), nsmap=nsmap, attrib=root_attrs):
            header = etree.Element(_m("metsHdr"), CREATEDATE=when, RECORDSTATUS="NEW")
            header.set(f"{{{CSIP_NS}}}OAISPACKAGETYPE", "SIP")
            agent = etree.SubElement(header, _m("agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
            etree.SubElement(agent, _m("name")).text = "Ärende"
            note = etree.SubElement(agent, _m("note"))
            note.text = "1"
            note.set(f"{{{CSIP_NS}}}NOTETYPE", "SOFTWARE VERSION")
            archivist = etree.SubElement(header, _m("agent"), ROLE="ARCHIVIST", TYPE="ORGANIZATION")
            etree.SubElement(archivist, _m("name")).text = organ
            xf.write(header)
            refs = {}
            for kind, meta_path, package in metadata:
                sha, size = _sha(meta_path)
                refs[kind] = f"ID-{kind}"
                section = _m("dmdSec") if kind == "descriptive" else _m("amdSec")
                element = etree.Element(section, ID=refs[kind])
                if kind == "descriptive":
                    element.set("CREATED", when)
                    holder = element
                else:
                    holder = etree.SubElement(element, _m("digiprovMD"), ID=f"{refs[kind]}-digiprov")
                ref = etree.SubElement(
                    holder,
                    _m("mdRef"),
                    LOCTYPE="URL",
                    MDTYPE="OTHER" if kind == "descriptive" else "PREMIS",
                    MIMETYPE="text/xml",
                    SIZE=str(size),
                    CREATED=when,
                    CHECKSUM=sha,
                    CHECKSUMTYPE="SHA-256",
                )
                if kind == "descriptive":
                    ref.set("OTHERMDTYPE", "ERMS")
                ref.set(f"{{{XLINK}}}type", "simple")
                ref.set(f"{{{XLINK}}}href", str(meta_path.relative_to(package)))
                xf.write(element)
            with xf.element(_m("fileSec"), attrib={"ID": "ID-filesec"}):
                if documentation:
                    with xf.element(_m("fileGrp"), attrib={"ID": "ID-documentation", "USE": "Documentation"}):
                        for f in documentation:
                            xf.write(_file(f))
                with xf.element(_m("fileGrp"), attrib={"ID": "ID-rep1", "USE": "Representations/rep1"}):
                    for f in files:
                        xf.write(_file(f))
                        xf.flush()
            struct = etree.Element(_m("structMap"), ID="ID-structmap", TYPE="PHYSICAL", LABEL="CSIP")
            top = etree.SubElement(struct, _m("div"), ID="ID-root", LABEL=name)
            etree.SubElement(top, _m("div"), ID="ID-metadata", LABEL="Metadata", DMDID=refs["descriptive"],
                             ADMID=f"{refs['preservation']}-digiprov")  # fmt: skip
            rep = etree.SubElement(top, _m("div"), ID="ID-rep1-div", LABEL="Representations/rep1")
            etree.SubElement(rep, _m("fptr"), FILEID="ID-rep1")
            xf.write(struct)


def _file(f: Any) -> Any:
    from lxml import etree

    element = etree.Element(
        _m("file"),
        ID=f"ID-{f.file_id}",
        MIMETYPE=f.mimetype,
        SIZE=str(f.size),
        CREATED=f"{f.created.isoformat()}T00:00:00",
        CHECKSUM=f.sha256,
        CHECKSUMTYPE="SHA-256",
    )
    location = etree.SubElement(element, _m("FLocat"), LOCTYPE="URL")
    location.set(f"{{{XLINK}}}type", "simple")
    location.set(f"{{{XLINK}}}href", f.path)
    return element

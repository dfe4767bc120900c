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

from arende.earchive.xmltext import XmlStream, esc

METS_NS = "http://www.loc.gov/METS/"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


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
    """Written as text (arende.earchive.xmltext): a large delivery lists a hundred
    thousand files, and building an element for each cost more than writing it."""
    when = created.replace(microsecond=0).isoformat()
    with XmlStream(path) as xs:
        xs.raw_open(
            "mets",
            f' xmlns="{METS_NS}" xmlns:csip="{CSIP_NS}" xmlns:xlink="{XLINK}" xmlns:xsi="{XSI}"'
            f' OBJID="{esc(name)}" TYPE="OTHER" csip:OTHERTYPE="Diarium" csip:CONTENTINFORMATIONTYPE="OTHER"'
            ' csip:OTHERCONTENTINFORMATIONTYPE="citserms_v3_0"'
            f' LABEL="Leverans till e-arkiv: {esc(organ)}, {esc(name)}"'
            ' PROFILE="https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"',
        )
        with xs.element("metsHdr", CREATEDATE=when, RECORDSTATUS="NEW", **{"csip:OAISPACKAGETYPE": "SIP"}):
            with xs.element("agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"):
                xs.leaf("name", "Ärende")
                xs.leaf("note", "1", **{"csip:NOTETYPE": "SOFTWARE VERSION"})
            with xs.element("agent", ROLE="ARCHIVIST", TYPE="ORGANIZATION"):
                xs.leaf("name", organ)
        refs = {}
        for kind, meta_path, package in metadata:
            sha, size = _sha(meta_path)
            refs[kind] = f"ID-{kind}"
            ref = {
                "LOCTYPE": "URL",
                "MDTYPE": "OTHER" if kind == "descriptive" else "PREMIS",
                "MIMETYPE": "text/xml",
                "SIZE": str(size),
                "CREATED": when,
                "CHECKSUM": sha,
                "CHECKSUMTYPE": "SHA-256",
                "OTHERMDTYPE": "ERMS" if kind == "descriptive" else None,
                "xlink:type": "simple",
                "xlink:href": str(meta_path.relative_to(package)),
            }
            if kind == "descriptive":
                with xs.element("dmdSec", ID=refs[kind], CREATED=when):
                    xs.leaf("mdRef", **ref)
            else:
                with xs.element("amdSec", ID=refs[kind]), xs.element("digiprovMD", ID=f"{refs[kind]}-digiprov"):
                    xs.leaf("mdRef", **ref)
        with xs.element("fileSec", ID="ID-filesec"):
            if documentation:
                with xs.element("fileGrp", ID="ID-documentation", USE="Documentation"):
                    for f in documentation:
                        xs.raw(_file(f))
            with xs.element("fileGrp", ID="ID-rep1", USE="Representations/rep1"):
                for f in files:
                    xs.raw(_file(f))
        with xs.element("structMap", ID="ID-structmap", TYPE="PHYSICAL", LABEL="CSIP"):
            with xs.element("div", ID="ID-root", LABEL=name):
                xs.leaf("div", ID="ID-metadata", LABEL="Metadata", DMDID=refs["descriptive"],
                        ADMID=f"{refs['preservation']}-digiprov")  # fmt: skip
                with xs.element("div", ID="ID-rep1-div", LABEL="Representations/rep1"):
                    xs.leaf("fptr", FILEID="ID-rep1")
        xs.close_raw("mets")


def _file(f: Any) -> str:
    return (
        f'<file ID="ID-{esc(f.file_id)}" MIMETYPE="{esc(f.mimetype)}" SIZE="{f.size}"'
        f' CREATED="{f.created.isoformat()}T00:00:00" CHECKSUM="{f.sha256}" CHECKSUMTYPE="SHA-256">'
        f'<FLocat LOCTYPE="URL" xlink:type="simple" xlink:href="{esc(f.path)}"/></file>'
    )

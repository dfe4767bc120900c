"""Digital justering: one PAdES signature on a protocol's PDF/A (the built-in signer:
the person's key from the installation's CA), and the verification of the signed file
(every signature, offline, against the trusted roots).

Run: .venv/bin/python bench/justering.py [--pages 6] [--runs 5]
Goals (issue 24): one signature on a 6-page protocol < 1 s; verification < 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import emit  # noqa: E402

PARAGRAPH = (
    "Arbetslivsnämnden godkänner upprättad redovisning och översänder densamma till Kommunstyrelsen. "
    "Ärendet i sin helhet framgår av tjänsteskrivelsen och dess bilagor, som nämnden har tagit del av. "
) * 3


def protocol_pdf(work: Path, pages: int) -> bytes:
    """A PDF/A-2b of about `pages` pages, as LibreOffice makes the protocol's."""
    from docx import Document

    from arende.services.archive import convert_to_pdfa

    doc = Document()
    for i in range(pages * 4):
        doc.add_heading(f"§ {i + 1}", level=2)
        doc.add_paragraph(PARAGRAPH)
    path = work / "protokoll.docx"
    doc.save(str(path))
    return convert_to_pdfa(path.read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from arende.services.archive import libreoffice

    if libreoffice() is None:
        print("bench/justering.py: LibreOffice is not installed; skipped", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ARENDE_VAR_DIR"] = tmp
        from arende.settings import reset_settings

        reset_settings()
        from arende.signing.ca import person_key, trusted_roots
        from arende.signing.pdf import BuiltinSigner, SignatureRequest, Slot, add_signature_fields
        from arende.signing.verify import verify_pdf

        base = protocol_pdf(Path(tmp), args.pages)
        pages = int(
            subprocess.run(["pdfinfo", "-"], input=base, capture_output=True, check=False)
            .stdout.decode()
            .split("Pages:")[1]
            .split()[0]
        )
        slots = [Slot("Ordforande", "Lars-Åke Johansson", "Ordförande"), Slot("Justerare1", "Sara Holm", "Justerare")]
        prepared = add_signature_fields(base, slots)
        key = person_key(1, "Lars-Åke Johansson", "ett-lösenord-för-mätning")
        signer = BuiltinSigner(key)
        request = SignatureRequest(slots[0], "Justering av protokoll", "Borås Stad", certify=True)
        signer.sign(prepared, request)  # warm: fonts and modules loaded once per process
        times, signed = [], b""
        for _ in range(args.runs):
            started = time.perf_counter()
            signed = signer.sign(prepared, request)
            times.append(time.perf_counter() - started)
        emit("justering.sign", min(times), "s", pages=pages, runs=args.runs, median=round(statistics.median(times), 4),
             goal=1.0, statistic="best")  # fmt: skip
        roots = trusted_roots()
        checks = []
        for _ in range(args.runs):
            started = time.perf_counter()
            report = verify_pdf(signed, roots)
            checks.append(time.perf_counter() - started)
            assert report.ok
        emit("justering.verify", min(checks), "s", pages=pages, signatures=1, runs=args.runs,
             median=round(statistics.median(checks), 4), goal=0.5, statistic="best")  # fmt: skip


if __name__ == "__main__":
    main()

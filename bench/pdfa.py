"""PDF/A archive copies: N protocol extracts converted by LibreOffice, headless, in one
process (arende.services.archive), each checked for its PDF/A-2 identification.

Run: .venv/bin/python bench/pdfa.py [--paragraphs 60]
Goal (issue 14): 60 documents in < 15 s, through one LibreOffice process.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from documents import build_meeting  # noqa: E402

from common import emit, fresh_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=60)
    args = parser.parse_args()
    from arende.services.archive import archive_pending, libreoffice
    from arende.services.common import get_errand
    from arende.services.documents import protocol_extract
    from db.session import session_scope

    if libreoffice() is None:
        print("bench/pdfa.py: LibreOffice is not installed; skipped", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp, fresh_database("sqlite", Path(tmp)):
        for dnr in build_meeting(args.paragraphs):
            with session_scope() as s:
                protocol_extract(s, get_errand(s, dnr, lock=True))
        result = archive_pending()
    params = {"documents": args.paragraphs, "kind": "protokollsutdrag", "format": "PDF/A-2b"}
    emit("pdfa.convert", result.seconds, "s", converted=result.converted, failed=len(result.failed), **params)


if __name__ == "__main__":
    main()

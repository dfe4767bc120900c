"""Donation round at scale: N generated applications imported from CSV (validated,
encrypted, de-duplicated), allocated over the eight funds, and written to a payout file.

Prints one JSON line per measurement. Run: .venv/bin/python bench/donations.py [--n 10000]
Goal (issue 4): the whole of it for 10 000 applications under 5 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

# The applicant generator is shared with the tests, which keep it (tests/samples.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ARENDE_DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.db"
        os.environ["ARENDE_VAR_DIR"] = tmp
        os.environ["ARENDE_DOCUMENTS_DIR"] = f"{tmp}/docs"
        from arende.services import donations
        from arende.services.common import get_errand
        from arende.services.reference import load_classification, load_organs
        from arende.settings import get_settings
        from db.migrate import upgrade
        from db.session import session_scope

        from samples import generate

        upgrade()
        with session_scope() as s:
            load_organs(s, get_settings().organs_file)
            load_classification(s, get_settings().classification_file)
            donations.load_funds(s, get_settings().funds_file)
            total_available = args.n * 1100
            codes = ["SAMFOND1", "BJORNSSON", "SVENSSON", "RIEMAN", "PALMQVIST", "SAMFONDA", "WASSBERG", "SAMFOND2"]
            start = donations.DonationStart(year=2022, available={c: total_available // 8 for c in codes})
            errand, _ = donations.start(s, start, registered_on=dt.date(2022, 2, 20))
            dnr = errand.dnr
        data = generate(args.n, 2022, late=args.n // 100, non_residents=args.n // 50, duplicates=args.n // 100).encode()
        params = {"applications": args.n, "backend": os.environ["ARENDE_DATABASE_URL"].split(":")[0]}

        t0 = time.perf_counter()
        with session_scope() as s:
            result = donations.import_applications(s, dnr, data)
        t1 = time.perf_counter()
        with session_scope() as s:
            summary = donations.allocate_round(s, dnr)
        t2 = time.perf_counter()
        with session_scope() as s:
            donations.produce_payout(s, get_errand(s, dnr), dt.date(2022, 6, 15))
            rnd = donations.round_of(s, get_errand(s, dnr))
            payout = Path(rnd.payout_path)
        t3 = time.perf_counter()

        for name, value in (("import", t1 - t0), ("allocate", t2 - t1), ("payout_file", t3 - t2), ("total", t3 - t0)):
            print(
                json.dumps({"name": f"donations.{name}", "value": round(value, 3), "unit": "s", "parameters": params})
            )
        print(
            json.dumps(
                {
                    "name": "donations.grants",
                    "value": summary["count"],
                    "unit": "grants",
                    "parameters": params
                    | {
                        "imported": result.imported,
                        "total_kr": summary["total"],
                        "payout_lines": len(payout.read_text().splitlines()) - 1,
                    },
                }
            )
        )


if __name__ == "__main__":
    main()

"""The daily deadline sweep against a large archive: N errands with 5 deadlines each,
of which a few hundred are due; then the same at twice the size. The sweep reads open
deadlines through the (status, due_on) index, so its time should follow what is due,
not the archive.

Prints one JSON line per measurement. Run: .venv/bin/python bench/sweep.py [--errands 1000000]
Goal (issue 5): under 1 s, and the two sizes within 20 % of each other.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import tempfile
import time

TODAY = dt.date(2026, 11, 23)
DUE_SOON = 300  # open deadlines within the reminder horizon


def build(path: str, errands: int) -> None:
    """Fill a migrated SQLite database fast with plain executemany: the sweep is what
    is measured, not the loading."""
    os.environ["ARENDE_DATABASE_URL"] = f"sqlite:///{path}"
    from arende.services.reference import load_classification, load_organs
    from arende.settings import get_settings, reset_settings
    from db.migrate import upgrade
    from db.session import session_scope

    reset_settings()
    upgrade()
    with session_scope() as s:
        load_organs(s, get_settings().organs_file)
        load_classification(s, get_settings().classification_file)
    rng = random.Random(errands)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    organ_id = con.execute("SELECT id FROM organs WHERE code='ALN'").fetchone()[0]
    batch = 100_000
    for start in range(0, errands, batch):
        rows = [
            (
                i + 1,
                organ_id,
                "remiss",
                "ALN",
                2000 + i // 90_000,
                i % 90_000 + 1,
                f"Ärende {i}",
                "closed",
                "2020-01-01",
                False,
                "{}",
                "2020-01-01 00:00:00",
            )
            for i in range(start, min(errands, start + batch))
        ]
        con.executemany(
            "INSERT INTO errands (id, organ_id, errand_type, prefix, year, seq, title, status, registered_on, "
            "fsg_required, details, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
    deadline_id = 0
    kinds = ("reply", "justering", "anslag", "delivery", "expiry")
    for start in range(0, errands, batch):
        rows = []
        for i in range(start, min(errands, start + batch)):
            for kind in kinds:
                deadline_id += 1
                # The archive: met long ago, or open far in the future.
                if rng.random() < 0.9:
                    due, status = TODAY - dt.timedelta(days=rng.randint(30, 3000)), "met"
                else:
                    due, status = TODAY + dt.timedelta(days=rng.randint(60, 900)), "open"
                rows.append((deadline_id, i + 1, "expediering", kind, kind, due.isoformat(), status))
        con.executemany(
            "INSERT INTO deadlines (id, errand_id, step, kind, description, due_on, status) VALUES (?,?,?,?,?,?,?)",
            rows,
        )
    # What is due: a few hundred open deadlines within the horizon or just passed.
    due_rows = [
        (
            deadline_id + j + 1,
            rng.randint(1, errands),
            "expediering",
            f"soon-{j}",
            "snart",
            (TODAY + dt.timedelta(days=rng.randint(-3, 20))).isoformat(),
            "open",
        )
        for j in range(DUE_SOON)
    ]
    con.executemany(
        "INSERT INTO deadlines (id, errand_id, step, kind, description, due_on, status) VALUES (?,?,?,?,?,?,?)",
        due_rows,
    )
    con.commit()
    con.execute("ANALYZE")
    con.close()


def measure(path: str, runs: int) -> tuple[float, float, int]:
    """(cold first run, median of the warm runs after it, deadlines found)."""
    os.environ["ARENDE_DATABASE_URL"] = f"sqlite:///{path}"
    from arende.services.reminders import sweep
    from arende.settings import reset_settings
    from db.session import session_scope

    reset_settings()
    times, found = [], 0
    for _ in range(runs + 1):
        start = time.perf_counter()
        with session_scope() as s:
            result = sweep(s, TODAY, dry_run=True)
        times.append(time.perf_counter() - start)
        found = len(result.planned)
    return times[0], statistics.median(times[1:]), found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errands", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for factor in (1, 2):
            n = args.errands * factor
            path = f"{tmp}/sweep-{n}.db"
            t0 = time.perf_counter()
            build(path, n)
            build_s = time.perf_counter() - t0
            cold, seconds, found = measure(path, args.runs)
            results[factor] = seconds
            params = {
                "errands": n,
                "deadlines": n * 5 + DUE_SOON,
                "due": found,
                "runs": args.runs,
                "build_seconds": round(build_s, 1),
                "backend": "sqlite",
            }
            print(
                json.dumps({"name": "sweep.time_cold", "value": round(cold, 4), "unit": "s", "parameters": params}),
                flush=True,
            )
            print(
                json.dumps(
                    {
                        "name": "sweep.time",
                        "value": round(seconds, 4),
                        "unit": "s",
                        "parameters": params | {"statistic": "median of warm runs"},
                    }
                ),
                flush=True,
            )
            os.remove(path)
    print(
        json.dumps(
            {
                "name": "sweep.growth_2x",
                "value": round(results[2] / results[1], 3),
                "unit": "ratio",
                "parameters": {"errands": args.errands},
            }
        )
    )


if __name__ == "__main__":
    main()

"""The web page under load: N errands and M documents on PostgreSQL (set up, not timed),
`arende web` serving them on loopback, and C clients, each logged in as its own
handläggare, asking for pages and searches for S seconds without pause.

Pages: Mina ärenden, an errand (a random Dnr), the diarium's first pages, a meeting
list, the anslagstavla. Searches: words in titles, words in handlingar, a Dnr. Prints
the latency percentiles per kind and the throughput.

Run: .venv/bin/python bench/web.py [--errands 20000 --documents 100000 --clients 8 --seconds 30 --workers 2]
The load comes from wrk when it is installed (apt-get install wrk), else from Python
threads, whose own CPU on the same two cores adds to what they measure.
Goal (issue 15): page p95 < 100 ms, search p95 < 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import emit, fresh_database, pg_available  # noqa: E402

PASSWORD = "bänk-lösenord-12345"
WORDS = (
    "remiss riktlinjer yttrande program uppföljning avtal ansökan bidrag granskning rapport integration "
    "trygghet arbetsmarknad försörjning vuxenutbildning praktik budget delårsrapport kontroll plan"
).split()
OFFICERS = [f"Handläggare {i:02d}" for i in range(20)]


def build(errands: int, documents: int, clients: int) -> None:
    """Bulk rows as a year of a large committee leaves them: errands in all statuses,
    five handlingar each on average, a deadline or two, some steps."""
    from sqlalchemy import insert, select

    from arende.services.accounts import create_user
    from db.models import Deadline, Document, Errand, ErrandStep, Meeting, Organ
    from db.session import engine_for, session_scope

    rng = random.Random(15)
    statuses = ["registered", "assigned", "drafted", "fsg_done", "decided", "justerad", "closed", "closed", "closed"]
    with session_scope() as s:
        organ_ids = list(s.scalars(select(Organ.id).order_by(Organ.id)))
        codes = {o.id: o.code for o in s.scalars(select(Organ))}
        for i in range(clients):
            create_user(s, f"bench{i}", OFFICERS[i % len(OFFICERS)], "handlaggare", PASSWORD)
    engine = engine_for(os.environ["ARENDE_DATABASE_URL"])
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        rows = []
        for i in range(errands):
            organ = organ_ids[i % len(organ_ids)]
            year = 2015 + i * 10 // errands
            rows.append(
                {
                    "id": i + 1,
                    "organ_id": organ,
                    "errand_type": "remiss",
                    "prefix": codes[organ],
                    "year": year,
                    "seq": i // len(organ_ids) + 1,
                    "title": " ".join(rng.sample(WORDS, 4)).capitalize() + f" {i}",
                    "status": rng.choice(statuses),
                    "registered_on": dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 360)),
                    "officer": rng.choice(OFFICERS),
                    "counterpart": rng.choice(["Kommunstyrelsen", "Revisorerna", "Länsstyrelsen", "Förening"]),
                    "fsg_required": False,
                    "details": {},
                    "created_at": now,
                }
            )
        conn.execute(insert(Errand), rows)
        for start in range(0, documents, 20_000):
            rows = []
            for j in range(start, min(documents, start + 20_000)):
                errand = j % errands + 1
                rows.append(
                    {
                        "errand_id": errand,
                        "number": j // errands + 1,
                        "registered_on": dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2000)),
                        "direction": rng.choice(["incoming", "drawn_up", "outgoing"]),
                        "counterpart": rng.choice(["Kommunstyrelsen", "Förvaltningen", "Person A", "Förening B"]),
                        "description": " ".join(rng.sample(WORDS, 3)).capitalize(),
                        "secrecy_provision": "OSL 26:1" if rng.random() < 0.05 else None,
                        "created_at": now,
                    }
                )
            conn.execute(insert(Document), rows)
        conn.execute(
            insert(Deadline),
            [
                {
                    "errand_id": e,
                    "step": "decision",
                    "kind": "reply",
                    "description": "Svar senast",
                    "due_on": dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 700)),
                    "status": rng.choice(["open", "met", "met"]),
                }
                for e in range(1, errands + 1)
            ],
        )
        conn.execute(
            insert(ErrandStep),
            [
                {"errand_id": e, "step": step, "state": "done", "done_on": dt.date(2022, 1, 1), "completed_at": now}
                for e in range(1, errands + 1)
                for step in ("register", "assign")
            ],
        )
        conn.execute(
            insert(Meeting),
            [
                {
                    "organ_id": organ,
                    "held_on": dt.date(2026, 1, 15) + dt.timedelta(days=30 * k),
                    "status": "planned",
                    "justering_due": dt.date(2026, 1, 29) + dt.timedelta(days=30 * k),
                    "justerare": [],
                    "in_plan": True,
                }
                for organ in organ_ids
                for k in range(11)
            ],
        )
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load(base: str, clients: int, seconds: float, errands: list[tuple[str, int, int]]) -> dict[str, list[float]]:
    import httpx

    times: dict[str, list[float]] = {"page": [], "search": []}
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        rng = random.Random(i)
        with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as c:
            c.get("/login")
            r = c.post(
                "/login",
                data={"username": f"bench{i}", "password": PASSWORD, "csrf_token": c.cookies["arende_csrf"]},
            )
            assert r.status_code == 303, r.text[:300]
            while time.monotonic() < stop:
                kind = "search" if rng.random() < 0.4 else "page"
                url = _url(kind, errands, rng)
                start = time.perf_counter()
                r = c.get(url)
                took = time.perf_counter() - start
                with lock:
                    if r.status_code != 200:
                        errors.append(f"{url}: {r.status_code}")
                    times[kind].append(took)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"{len(errors)} errors, e.g. {errors[:3]}", file=sys.stderr)
    return times


_WRK_SCRIPT = """
local paths = {%s}
local cookie = "%s"
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], {["Cookie"] = cookie})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"p50": %%f, "p95": %%f, "p99": %%f, "requests": %%d, "errors": %%d}\\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.status + e.connect + e.read + e.write + e.timeout))
end
"""


def _url(kind: str, errands: list[tuple[str, int, int]], rng: random.Random) -> str:
    """One request of the mix: a page, or a search."""
    prefix, year, seq = rng.choice(errands)
    if kind == "page":
        return rng.choice(
            [
                "/",
                f"/arende/{prefix}/{year}/{seq}",
                f"/arende/{prefix}/{year}/{seq}",
                f"/diarium?sida={rng.randint(1, 20)}",
                "/sammantraden?ar=2026",
                "/anslagstavla",
            ]
        )
    return rng.choice(
        [
            f"/diarium?q={rng.choice(WORDS)}",
            f"/diarium?q={rng.choice(WORDS)}+{rng.choice(WORDS)}&sida=2",
            f"/diarium?i=handlingar&q={rng.choice(WORDS)}",
            f"/diarium?q={prefix}+{year}-{seq:05d}",
        ]
    )


def _paths(kind: str, errands: list[tuple[str, int, int]], rng: random.Random) -> list[str]:
    return [_url(kind, errands, rng) for _ in range(2000)]


def load_wrk(base: str, clients: int, seconds: float, errands: list[tuple[str, int, int]]) -> dict[str, dict]:
    """The same mix from wrk (C, on loopback): half the clients ask for pages, half
    search, each half one wrk process with one logged-in session."""
    import json

    import httpx

    rng = random.Random(15)
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, kind in enumerate(("page", "search")):
            with httpx.Client(base_url=base, follow_redirects=False) as c:
                c.get("/login")
                r = c.post(
                    "/login",
                    data={"username": f"bench{i}", "password": PASSWORD, "csrf_token": c.cookies["arende_csrf"]},
                )
                assert r.status_code == 303, r.text[:300]
                cookie = f"arende_session={c.cookies['arende_session']}; arende_csrf={c.cookies['arende_csrf']}"
            # Percent-encoded (å, ä, ö), so the Lua strings are plain ASCII.
            paths = ", ".join(json.dumps(quote(p, safe="/?=&+")) for p in _paths(kind, errands, rng))
            script = Path(tmp) / f"{kind}.lua"
            script.write_text(_WRK_SCRIPT % (paths, cookie), encoding="utf-8")
            runs[kind] = subprocess.Popen(
                ["wrk", "-t1", f"-c{clients // 2}", f"-d{int(seconds)}s", "-s", str(script), base],
                stdout=subprocess.PIPE,
                text=True,
            )
        results = {}
        for kind, proc in runs.items():
            out, _ = proc.communicate(timeout=seconds + 60)
            line = [x for x in out.splitlines() if x.startswith("{")][-1]
            results[kind] = json.loads(line)
    return results


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errands", type=int, default=20_000)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--client",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="wrk (apt-get install wrk; C, light on the shared cores) or Python threads with httpx",
    )
    args = parser.parse_args()
    if not pg_available():
        print("bench/web.py: PostgreSQL does not answer on 127.0.0.1:5432; skipped", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp, fresh_database("postgresql", Path(tmp)) as url:
        started = time.perf_counter()
        build(args.errands, args.documents, args.clients)
        from sqlalchemy import select

        from db.models import Errand
        from db.session import read_scope

        with read_scope() as s:
            errands = [tuple(r) for r in s.execute(select(Errand.prefix, Errand.year, Errand.seq).limit(5000))]
        print(f"built {args.errands} errands, {args.documents} documents in {time.perf_counter() - started:.1f} s")
        port = _free_port()
        arende = str(Path(sys.executable).with_name("arende"))
        env = {**os.environ, "ARENDE_DATABASE_URL": url}
        server = subprocess.Popen(
            [arende, "web", "--port", str(port), "--workers", str(args.workers)], env=env, stdout=subprocess.DEVNULL
        )
        try:
            base = f"http://127.0.0.1:{port}"
            import httpx

            for _ in range(200):
                try:
                    httpx.get(base + "/login", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            if args.client == "wrk":
                measured = load_wrk(base, args.clients, args.seconds, errands)  # type: ignore[arg-type]
            else:
                times = load(base, args.clients, args.seconds, errands)  # type: ignore[arg-type]
        finally:
            server.terminate()
            server.wait(20)
    params = {
        "errands": args.errands,
        "documents": args.documents,
        "clients": args.clients,
        "seconds": args.seconds,
        "workers": args.workers,
        "backend": "postgresql",
    }
    params["client"] = args.client
    if args.client == "wrk":
        for kind, r in measured.items():
            for q in (50, 95, 99):
                emit(f"web_{kind}_p{q}", r[f"p{q}"], "ms", **params)
            emit(f"web_{kind}_requests", r["requests"] / args.seconds, "per s", **params)
            if r["errors"]:
                print(f"{kind}: {r['errors']} errors", file=sys.stderr)
        return
    for kind, values in times.items():
        if not values:
            continue
        for q in (50, 95, 99):
            emit(f"web_{kind}_p{q}", percentile(values, q) * 1000, "ms", **params)
        emit(f"web_{kind}_requests", len(values) / args.seconds, "per s", **params)


if __name__ == "__main__":
    main()

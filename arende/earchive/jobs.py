"""A delivery started from the web page runs beside the request, and says how far it has
come in a small status file next to the packages, so that any of the server's workers
can show it and a reload does not lose it.

The file `.leverans-<ORGAN>-<YEAR>.json` holds the state (running, done, failed), the
errands done of the total, the process that runs it, and when it ends what went and what
was left out. A delivery whose process is gone (the server restarted) reads as
interrupted; starting it again writes the package anew, as the export always does.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from arende.errors import Conflict


@dataclass
class Delivery:
    organ: str
    year: int
    state: str = "running"  # running, done, failed, interrupted
    done: int = 0
    total: int = 0
    pid: int = 0
    started: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def _path(out: Path, organ: str, year: int) -> Path:
    return out / f".leverans-{organ}-{year}.json"


def _save(out: Path, delivery: Delivery) -> None:
    """Written whole and renamed into place: a reader never sees half a file."""
    target = _path(out, delivery.organ, delivery.year)
    scratch = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    scratch.write_text(json.dumps(asdict(delivery), ensure_ascii=False), "utf-8")
    os.replace(scratch, target)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def status(out: Path, organ: str, year: int) -> Delivery | None:
    path = _path(out, organ, year)
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    delivery = Delivery(**data)
    if delivery.state == "running" and not _alive(delivery.pid):
        delivery.state = "interrupted"
    return delivery


_STARTING = threading.Lock()


def start(out: Path, organ: str, year: int) -> Delivery:
    """Start the delivery in a thread of this process; refused while the same one runs."""
    from arende.services.common import get_organ
    from db.session import read_scope

    with read_scope() as session:
        get_organ(session, organ)  # an unknown organ is the person's mistake, said now
    out.mkdir(parents=True, exist_ok=True)
    with _STARTING:  # two clicks at once: the second sees the first running
        current = status(out, organ, year)
        if current is not None and current.state == "running":
            so_far = f"{current.done} av {current.total} ärenden"
            raise Conflict("year", f"the delivery of {organ} {year} is already running",
                           sv=f"Leveransen av {organ} {year} pågår redan ({so_far}).")  # fmt: skip
        delivery = Delivery(organ=organ, year=year, pid=os.getpid(), started=dt.datetime.now(dt.UTC).isoformat())
        _save(out, delivery)
    threading.Thread(target=_run, args=(out, delivery), name=f"leverans-{organ}-{year}", daemon=True).start()
    return delivery


def _run(out: Path, delivery: Delivery) -> None:
    from arende.earchive.export import export
    from arende.errors import ArendeError
    from db.session import session_scope

    def step(done: int, total: int) -> None:
        delivery.done, delivery.total = done, total
        _save(out, delivery)

    try:
        with session_scope() as session:
            result = export(session, organ=delivery.organ, year=delivery.year, dnr=None, out=out, progress=step)
    except ArendeError as exc:
        delivery.state, delivery.error = "failed", exc.problem_sv or exc.problem
    except Exception as exc:  # a full disk, a file the store lost: said on the page, not lost in a thread
        delivery.state, delivery.error = "failed", f"Leveransen avbröts: {type(exc).__name__}: {exc}"
    else:
        delivery.state = "done"
        delivery.result = {"package": str(result.package), "errands": result.errands, "meetings": result.meetings,
                           "files": result.files, "disposals": result.disposals,
                           "left_out": result.left_out}  # fmt: skip
    _save(out, delivery)

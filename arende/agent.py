"""The command agent: why a clerk's command answers in well under half a second.

Importing what a command needs (SQLAlchemy alone is about 0.4 s here, the ORM models,
pydantic-settings, typer, docxtpl) costs 1 to 2 s, far more than the work. The first
`arende` command starts this agent in the background and runs itself as usual; the
agent imports everything once and waits on a Unix socket that only its user can reach.
Each later command hands the agent its arguments, working directory, environment,
umask and its own stdin/stdout/stderr (passed as file descriptors), and the agent
forks a child that runs exactly what `arende` would have run in-process, writing
straight to the caller's terminal. The child adopts the caller's environment, so
settings, the database and the Prefect API are the caller's, never the agent's.

The socket's name carries a fingerprint of the interpreter and of the code, so a changed
checkout or upgrade gets a new agent; an agent with nothing to do exits after
ARENDE_AGENT_IDLE seconds (default 900). ARENDE_AGENT=off runs every command in-process.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import socket
import struct
import sys
from pathlib import Path

# The first message: which of fds 0, 1, 2 come with it (a bit mask) and the length of
# the JSON header that follows.
_FIRST = struct.Struct("!BI")
# The agent's own descriptors, closed in each child so that a command still running
# never keeps a finished agent's lock or socket alive.
_OWN_FDS: list[int] = []


def serve(sock_path: Path, idle_seconds: float) -> None:
    lock = os.open(sock_path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return  # another agent for this code is alive (or starting)
    sock_path.unlink(missing_ok=True)  # left by an agent that was killed
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        listener.bind(str(sock_path))
    finally:
        os.umask(old_umask)
    # Bound before the imports: a command arriving meanwhile waits in the backlog
    # instead of starting yet another agent.
    listener.listen(64)
    _OWN_FDS[:] = [lock, listener.fileno()]
    try:
        _preload()
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
        while True:
            ready, _, _ = select.select([listener], [], [], idle_seconds)
            if not ready:
                return
            conn, _ = listener.accept()
            try:
                _dispatch(conn)
            except Exception:  # a broken request must not take the agent down
                pass
            finally:
                conn.close()
    finally:
        sock_path.unlink(missing_ok=True)
        listener.close()
        os.close(lock)


def _preload() -> None:
    import sqlalchemy.orm

    import arende.cli  # noqa: F401
    import arende.recording  # noqa: F401
    import arende.services.advance  # noqa: F401
    import arende.services.facts  # noqa: F401
    import arende.services.queries  # noqa: F401
    import arende.services.steps  # noqa: F401
    import arende.views  # noqa: F401
    import db.models  # noqa: F401
    import db.session  # noqa: F401
    from arende.services.catalogue import TYPES  # noqa: F401  (every errand type's module)

    sqlalchemy.orm.configure_mappers()
    arende.cli.click_command()
    # The holiday library's first Swedish calendar costs ~0.15 s; later years ~1 ms.
    import datetime as dt

    from arende.rules.legalcalendar import _public_holidays

    for year in range(dt.date.today().year - 6, dt.date.today().year + 8):
        _public_holidays(year)
    for name in (
        "docxtpl",
        "babel.dates",
        "rich.console",
        "rich.table",
        "pydantic_settings",
        "sqlalchemy.dialects.sqlite",
        "psycopg",
        "sqlalchemy.dialects.postgresql.psycopg",
    ):
        try:
            __import__(name)
        except ImportError:
            pass


def _recv_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("client went away")
        data += chunk
    return data


def _dispatch(conn: socket.socket) -> None:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", creds)
    if uid != os.getuid():
        return
    first, fds, _, _ = socket.recv_fds(conn, _FIRST.size, 3)
    mask, length = _FIRST.unpack(first)
    request = json.loads(_recv_exact(conn, length))
    try:
        pid = os.fork()
    except OSError:
        for fd in fds:
            os.close(fd)
        raise
    if pid:
        for fd in fds:
            os.close(fd)
        return
    # The child: become the caller's command.
    for fd in _OWN_FDS:
        os.close(fd)
    code = 1
    try:
        code = _run_as_caller(conn, mask, fds, request)
    finally:
        try:
            conn.sendall(f"EXIT {code}\n".encode())
        finally:
            os._exit(0)


def _run_as_caller(conn: socket.socket, mask: int, fds: list[int], request: dict) -> int:  # type: ignore[type-arg]
    import io

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    received = iter(fds)
    for target in (0, 1, 2):
        source = next(received) if mask & (1 << target) else os.open(os.devnull, os.O_RDWR)
        os.dup2(source, target)
        os.close(source)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(
        io.FileIO(1, "w", closefd=False), encoding="utf-8", line_buffering=os.isatty(1), write_through=True
    )
    sys.stderr = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), encoding="utf-8", line_buffering=True, write_through=True
    )
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    os.umask(request["umask"])
    sys.argv = ["arende", *request["argv"]]
    conn.sendall(f"PID {os.getpid()}\n".encode())

    from arende.cli import main
    from arende.settings import reset_settings
    from db.session import forget_engines

    reset_settings()
    forget_engines()
    try:
        code = main(request["argv"])
    except KeyboardInterrupt:
        print("arende: aborted", file=sys.stderr)
        code = 130
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except Exception:
        # A bug, not a user mistake: the caller sees the traceback, as it would without
        # the agent (it once saw only exit code 1 and an empty stderr).
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code


if __name__ == "__main__":
    serve(Path(sys.argv[1]), float(sys.argv[2]))

"""The `arende` console script. Standard library only, so a command that the agent
(arende.agent) runs costs about 40 ms of this process before the agent answers.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from arende.agent import _FIRST

ROOT = Path(__file__).resolve().parent.parent
# Long-running or Prefect-bound commands keep their own process (and their own signals).
IN_PROCESS = {"serve", "demo", "web", "user"}


def _fingerprint() -> str:
    """Interpreter, import path and the newest source file: a changed checkout or an
    upgrade gets its own agent, never one running old code."""
    newest = 0.0
    for top in ("arende", "db", "flows", "tasks", "alembic/versions"):
        for folder, _, names in os.walk(ROOT / top):
            for name in names:
                if name.endswith(".py"):
                    newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime)
    seed = json.dumps([sys.executable, sys.path, str(ROOT), newest])
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def _agent_dir() -> Path | None:
    """A directory only this user can enter; None (no agent) if it is not ours."""
    base = Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir())
    folder = base / f"arende-agent-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
        return None
    return folder


def _via_agent(sock_path: Path, argv: list[str]) -> int | None:
    """Run the command in the agent; None if no agent answers (nothing ran)."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(str(sock_path))
    except OSError:
        conn.close()
        return None
    umask = os.umask(0)
    os.umask(umask)
    try:
        cwd = os.getcwd()
    except OSError:  # the working directory is gone: nothing the agent can stand in
        conn.close()
        return None
    header = json.dumps({"argv": argv, "cwd": cwd, "env": dict(os.environ), "umask": umask}).encode()
    fds, mask = [], 0
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            continue
        fds.append(fd)
        mask |= 1 << fd
    child = None
    try:
        socket.send_fds(conn, [_FIRST.pack(mask, len(header))], fds)
        conn.sendall(header)
        reader = conn.makefile("rb")
        while True:
            try:
                line = reader.readline()
            except KeyboardInterrupt:
                if child:
                    os.kill(child, 2)  # the command ends as it would on Ctrl-C in-process
                continue
            if not line:
                # The agent went away before the command started: run it here.
                return None if child is None else 1
            word, _, value = line.decode().partition(" ")
            if word == "PID":
                child = int(value)
            elif word == "EXIT":
                # Ended before it became the command (say the working directory is
                # gone): nothing ran, so run it here and let it say what is wrong.
                return int(value) if child is not None else None
    except OSError:
        return None if child is None else 1
    finally:
        conn.close()


def _start_agent(sock_path: Path) -> None:
    idle = os.environ.get("ARENDE_AGENT_IDLE", "900")
    subprocess.Popen(
        [sys.executable, "-m", "arende.agent", str(sock_path), idle],
        cwd="/",
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def run() -> None:
    argv = sys.argv[1:]
    use_agent = os.environ.get("ARENDE_AGENT", "on").lower() not in ("off", "0", "no", "false")
    if use_agent and argv and argv[0] not in IN_PROCESS:
        folder = _agent_dir()
        if folder is not None:
            sock_path = folder / f"{_fingerprint()}.sock"
            code = _via_agent(sock_path, argv)
            if code is not None:
                sys.exit(code)
            _start_agent(sock_path)
    from arende.cli import run as run_in_process

    run_in_process()

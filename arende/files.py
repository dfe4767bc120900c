"""Files that may hold secret or personal data: owner-only from the first byte.

A file created with the default mode and restricted afterwards is readable by others in
between, and a copy made with `shutil.copyfile` takes the umask's mode (0644 here). So
every stored document, payout file, copy and rejection list is created with `os.open`
and mode 0600, written in full under a temporary name and renamed into place (a crash
never leaves half a file under the final name); its folder is 0700.

A folder or file that cannot be written is the user's to fix (a path, a permission, a
full disk): it is one InvalidInput naming the option or setting that gave the path.
"""

from __future__ import annotations

import os
from pathlib import Path

from arende.errors import InvalidInput

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path, field: str = "file") -> Path:
    """The folder, created owner-only if it is new."""
    try:
        path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(field, f"cannot create the folder {path}: {exc.strerror}") from None
    return path


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_leftovers(path: Path) -> int:
    """Temporary files a killed writer of `path` left (`.NAME.PID.tmp` whose process is
    gone): removed at the next write, so a crash leaves no litter for good."""
    removed = 0
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        pid = leftover.name[len(path.name) + 2 : -len(".tmp")]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            leftover.unlink(missing_ok=True)
            removed += 1
    return removed


def write_private(path: Path, data: bytes, field: str = "file") -> Path:
    """Write `data` to `path`, owner-only from the first byte, atomically."""
    private_folder(path.parent, field)
    remove_leftovers(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.unlink(missing_ok=True)  # a leftover of a killed writer, whatever its mode
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except OSError as exc:
        raise InvalidInput(field, f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput(field, f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_public(path: Path, data: bytes, field: str) -> Path:
    """An output file the user named (an extract, a calendar): the usual mode, and a
    path that cannot be written is one line naming the option."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise InvalidInput(field, f"cannot write {path}: {exc.strerror}") from None
    return path


def writable_file(field: str, path: Path) -> None:
    """Refuse an output path before anything is recorded: a folder, or a place where no
    file can be created."""
    if path.is_dir():
        raise InvalidInput(field, f"{path} is a folder; give a file name")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput(field, f"cannot write {path}: {folder} is not a writable folder")

"""Files that may hold secret or personal data: owner-only from the first byte.

A file created with the default mode and restricted afterwards is readable by others in
between, and a copy made with `shutil.copyfile` takes the umask's mode (0644 here). So
every stored document, payout file, copy and rejection list is created with `os.open`
and mode 0600, written in full under a temporary name and renamed into place (a crash
never leaves half a file under the final name); its folder is 0700.

Pure: the standard library only.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """The folder, created owner-only if it is new."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write `data` to `path`, owner-only from the first byte, atomically."""
    private_folder(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)  # a leftover of a killed writer, whatever its mode
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path

"""Owner-only files, created so from the first byte (arende.files)."""

import os
import stat

from arende.files import write_private


def test_a_private_file_is_0600_in_a_0700_folder_and_replaces_atomically(tmp_path):
    old = os.umask(0)
    try:
        path = write_private(tmp_path / "ny" / "fil.txt", b"personnummer")
        write_private(path, b"andra")
    finally:
        os.umask(old)
    assert path.read_bytes() == b"andra"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["fil.txt"]  # no temporary left

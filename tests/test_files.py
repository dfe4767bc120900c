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


def test_what_a_killed_writer_left_is_removed_at_the_next_write_and_a_living_ones_is_not(tmp_path):
    import subprocess
    import sys

    path = write_private(tmp_path / "utbetalning.txt", b"ett")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = tmp_path / f".utbetalning.txt.{dead.stdout.strip()}.tmp"
    leftover.write_bytes(b"half")
    alive = tmp_path / f".utbetalning.txt.{os.getppid()}.tmp"  # a writer still at work
    alive.write_bytes("pågår".encode())
    write_private(path, b"tv\xc3\xa5")
    assert not leftover.exists() and alive.exists()
    assert path.read_bytes() == "två".encode()


def test_archive_names_a_missing_or_altered_file_and_goes_on_with_the_rest(sqlite_db, capsys, monkeypatch):
    from sqlalchemy import select

    from arende.cli import main
    from arende.services.archive import ARCHIVED_KINDS
    from arende.services.steps import advance
    from db.models import Document
    from db.session import session_scope

    from helpers import record_all_facts, register

    errand_id, dnr = register()
    record_all_facts(dnr)
    advance(errand_id)
    with session_scope() as session:
        docs = session.scalars(
            select(Document).where(Document.kind.in_(ARCHIVED_KINDS), Document.storage_path.is_not(None))
        ).all()
        assert len(docs) >= 2
        gone, changed = docs[0], docs[1]
        os.unlink(gone.file)
        gone_id, changed_id, changed_path = gone.id, changed.id, changed.file
    monkeypatch.setenv("PATH", "/nonexistent")  # the check comes before LibreOffice is needed
    capsys.readouterr()
    assert main(["archive"]) == 0
    err = capsys.readouterr().err
    assert f"(handling {gone_id}): the stored file is missing; not archived" in err
    assert "LibreOffice is not installed" in err  # the rest goes on to the conversion
    with open(changed_path, "ab") as fh:
        fh.write(b"one more")
    assert main(["archive"]) == 0
    err = capsys.readouterr().err
    assert f"(handling {changed_id}): the stored file differs from the registered SHA-256; not archived" in err

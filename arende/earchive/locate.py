"""Finding a package's files by the paths its metadata gives, inside the package only."""

from __future__ import annotations

import os
from pathlib import Path


class Locator:
    """Where an appendix's path leads: relative to the package's root or to the ERMS
    document, and never out of the package (../../etc/passwd, or a symlink pointing out).
    Folders are resolved once each; resolving every file's path cost a fifth of a large
    import (bench/earchive.py)."""

    def __init__(self, root: Path, erms_root: Path) -> None:
        self.root = os.path.realpath(root)
        self.bases = (str(root), str(erms_root))
        self.folders: dict[str, str] = {}

    def __call__(self, href: str) -> Path | None:
        for base in self.bases:
            folder, name = os.path.split(os.path.normpath(os.path.join(base, href)))
            real = self.folders.get(folder)
            if real is None:
                real = self.folders[folder] = os.path.realpath(folder)
            candidate = os.path.join(real, name)
            if os.path.islink(candidate):
                candidate = os.path.realpath(candidate)
            if candidate.startswith(self.root + os.sep) and os.path.isfile(candidate):
                return Path(candidate)
        return None

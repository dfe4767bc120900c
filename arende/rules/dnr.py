"""Diary numbers (diarienummer).

Our own numbers are formatted strictly: ``ALN 2022-00011 1.2.4.1``. Other organs write
theirs in several ways (``KS 2021-00907``, ``KS-2021-00907``), so external references are
parsed leniently and kept verbatim; only a normalised key is used for matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from arende.errors import InvalidInput

_PREFIX = r"[A-ZÅÄÖ]{1,10}"
_CODE = r"\d+(?:\.\d+)*"
_OWN = re.compile(rf"^(?P<prefix>{_PREFIX}) (?P<year>\d{{4}})-(?P<seq>\d{{5}})(?: (?P<code>{_CODE}))?$")
_LENIENT = re.compile(
    rf"^\s*(?:dnr[:.]?\s*)?(?P<prefix>{_PREFIX})?[\s\-/]*(?P<year>\d{{4}})[\s\-/:]+(?P<seq>\d{{1,6}})"
    rf"(?:\s+(?P<code>{_CODE}))?\s*$",
    re.IGNORECASE,
)
CLASSIFICATION_CODE = re.compile(rf"^{_CODE}$")


@dataclass(frozen=True, order=True)
class Dnr:
    prefix: str
    year: int
    seq: int
    code: str | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(_PREFIX, self.prefix):
            raise InvalidInput("dnr", f"registry prefix {self.prefix!r} must be 1-10 capital letters")
        if not 1900 <= self.year <= 2999:
            raise InvalidInput("dnr", f"year {self.year} is out of range")
        if not 1 <= self.seq <= 99999:
            raise InvalidInput("dnr", f"sequence {self.seq} must be 1-99999")
        if self.code is not None and not CLASSIFICATION_CODE.match(self.code):
            raise InvalidInput("dnr", f"classification code {self.code!r} must be dotted digits")

    @property
    def base(self) -> str:
        """The number without classification code: what identifies the errand."""
        return f"{self.prefix} {self.year}-{self.seq:05d}"

    def __str__(self) -> str:
        return f"{self.base} {self.code}" if self.code else self.base

    @property
    def slug(self) -> str:
        """Safe in file names: ALN-2022-00011."""
        return f"{self.prefix}-{self.year}-{self.seq:05d}"

    @classmethod
    def parse(cls, text: str) -> Dnr:
        """Parse one of our own numbers, strictly."""
        m = _OWN.match(text.strip())
        if not m:
            raise InvalidInput(
                "dnr",
                f"{text!r} is not a diary number of the form 'ALN 2022-00011' (optionally followed by a code)",
                sv=f"{text!r} är inte ett diarienummer av formen 'ALN 2022-00011' (eventuellt följt av en kod)",
            )
        return cls(m["prefix"], int(m["year"]), int(m["seq"]), m["code"])


def external_ref_key(text: str) -> str:
    """A normalised matching key for another organ's reference; the text itself is kept.

    ``KS-2021-00907`` and ``KS 2021-00907`` give the same key. A reference we cannot
    recognise is still accepted (it is their number, not ours) and keyed by its
    whitespace-folded upper-case text.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput("sender_dnr", "must not be empty", sv="får inte vara tomt")
    m = _LENIENT.match(cleaned)
    if m:
        prefix = (m["prefix"] or "").upper()
        return f"{prefix} {m['year']}-{int(m['seq']):05d}".strip()
    return cleaned.upper()

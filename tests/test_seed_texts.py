"""The demo's texts are the seed's, word for word: every paragraph of
arende/demo_data/seed003.toml is found in seed 003 (tests/data/seed_003.txt, a copy of
shared/seeds/003_*: Borås Stad's public meeting papers), apart from the corrections the
README lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from arende.scenarios import SEED_003

SEED = " ".join((Path(__file__).parent / "data" / "seed_003.txt").read_text("utf-8").split())

# Changed on purpose and said so in the README ("Where the seed contradicts itself").
CORRECTED = {
    ("donation_policy", "decision"),  # the seed: "Arbetslivsförvaltningen beslutar"
    ("iop_terms", "economy"),  # § 125's daily-fee terms, not the agreement's 150 000 kr
}


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _texts():
    for name, draft in SEED_003["draft"].items():
        for field in ("summary", "text", "decision"):
            if draft.get(field) and (name, field) not in CORRECTED:
                for paragraph in _paragraphs(draft[field]):
                    yield name, field, paragraph
        for line in draft.get("attachment", []) + draft.get("recipient", []):
            yield name, "attachment", " ".join(line.split())
    for field, text in SEED_003["iop_terms"].items():
        if ("iop_terms", field) not in CORRECTED:
            for paragraph in _paragraphs(text):
                yield "iop_terms", field, paragraph
    for field, text in SEED_003["supplement"].items():
        yield "supplement", field, text


@pytest.mark.parametrize(("name", "field", "paragraph"), list(_texts()), ids=lambda v: str(v)[:30])
def test_each_paragraph_is_the_seed_s(name, field, paragraph):
    assert paragraph in SEED, f"{name}.{field}: {paragraph[:80]!r} is not in seed 003"


def test_the_corrections_are_corrections():
    """A corrected text differs from the seed's, and the README says why."""
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    assert "Arbetslivsförvaltningen beslutar" in SEED
    assert SEED_003["draft"]["donation_policy"]["decision"] not in SEED
    assert "Arbetslivsförvaltningen beslutar" in readme and "fast serviceavgift på 150 000 kr per år" in readme

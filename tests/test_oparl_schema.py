"""The OParl 1.1 validator the API's tests rely on (tests/oparl_schema.py) is itself
checked against the spec's own examples: a validator that passed everything would make
every crawl test worthless."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from oparl_schema import errors

EXAMPLES = Path(__file__).parent / "standards" / "oparl" / "examples"


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json") if p.name != "Meeting-01.json"))
def test_the_spec_s_examples_validate(name):
    assert errors(json.loads((EXAMPLES / name).read_text("utf-8"))) == []


def test_the_spec_s_meeting_example_lacks_an_agenda_item_s_order():
    """The known inconsistency of OParl 1.1: an embedded AgendaItem must have `order`."""
    found = errors(json.loads((EXAMPLES / "Meeting-01.json").read_text("utf-8")))
    assert found and all("'order' is a required property" in e for e in found), found
    assert all(e.startswith("agendaItem/") for e in found)


def test_what_the_schemas_forbid_is_caught():
    meeting = json.loads((EXAMPLES / "Meeting-01.json").read_text("utf-8"))
    for n, item in enumerate(meeting["agendaItem"], start=1):
        item["order"] = n
    assert errors(meeting) == []
    assert any("type" in e for e in errors({**meeting, "type": "https://schema.oparl.org/1.0/Meeting"}))
    broken_file = {k: v for k, v in meeting["invitation"].items() if k != "accessUrl"}
    assert any("'accessUrl' is a required property" in e for e in errors({**meeting, "invitation": broken_file}))
    assert any("is not a 'url'" in e for e in errors({**meeting, "id": "meeting/1"}))
    assert any("not of type 'integer'" in e for e in errors({**meeting["invitation"], "size": "12 kB"}))
    assert errors({"type": "https://schema.oparl.org/1.1/Nothing"}) == [
        "unknown type 'https://schema.oparl.org/1.1/Nothing'"
    ]

"""Errands taken in from an earlier diarium (arende earchive import): closed when they
arrive, with their Dnr, handlingar and files; no step of ours runs for them."""

from __future__ import annotations

from arende.services.types import ErrandType

TYPE = ErrandType(name="imported", label_sv="Importerat ärende")

"""Prefect's own UI, as an administrator meets our forms in it: a real `prefect server
start` with its UI on another port than 4200 (told where its API is, as the README says),
our deployments registered, and the run form opened in Chromium. The promise Prefect's
form keeps for us: a parameter's heading is our Swedish title, a closed set is a
dropdown of the values the schema lists (our Swedish words; Prefect shows no labels
beside values), and a list of objects is a list of small forms with their own dropdowns."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from conftest import PG_ADMIN_URL
from prefect_server import prefect_server_process

pytestmark = pytest.mark.flows


def _options(page: Any, select: Any) -> list[str]:
    """The choices a dropdown offers (Prefect's select opens on the arrow key)."""
    select.click()
    select.press("ArrowDown")
    options = page.locator(".p-select-option")
    options.first.wait_for(timeout=10_000)
    texts = [t.strip() for t in options.all_inner_texts()]
    page.keyboard.press("Escape")
    return texts


def _open_form(page: Any, ui: str, deployment_id: Any) -> list[str]:
    page.goto(f"{ui}/deployments/deployment/{deployment_id}/run")
    try:
        page.get_by_text("Utförd av", exact=True).wait_for(timeout=60_000)
    except Exception:
        page.screenshot(path="/tmp/exp/fail.png")
        raise
    return [label.removesuffix(" (Optional)") for label in page.locator("label").all_inner_texts()]


def test_the_prefect_forms_are_swedish_with_dropdowns_of_swedish_words(tmp_path: Path, browser: Any) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from arende.commands.choices import ENUM_LABELS_SV
    from arende.commands.fields import Outcome
    from flows.errands import donation_payout
    from flows.facts import record_decision

    def register(flow: Any) -> Any:
        with temporary_settings({PREFECT_API_URL: api_url}):
            return flow.to_deployment(name=flow.name).apply()

    with prefect_server_process(tmp_path, "sqlite", PG_ADMIN_URL, ui=True) as api_url:
        # Playwright's sync API keeps an event loop on this thread, where Prefect's
        # calls would return coroutines: register the deployments from another thread.
        with ThreadPoolExecutor(1) as pool:
            decision, donation = pool.map(register, [record_decision, donation_payout])
        ui = api_url.removesuffix("/api")
        page = browser.new_page(viewport={"width": 1280, "height": 1400})

        labels = _open_form(page, ui, decision)
        assert labels[:3] == ["Run Name", "Beslut", "Diarienummer"], labels
        assert {"Sammanträde", "Paragraf", "Utfall", "Beslutstext", "Utförd av"} <= set(labels)
        assert not {"fact", "start", "utförd_av", "dnr", "outcome"} & set(labels)
        outcome = page.get_by_role("button", name="Bifall till förslaget", exact=True)  # the default, in Swedish
        assert _options(page, outcome) == [ENUM_LABELS_SV[o.value] for o in Outcome]

        labels = _open_form(page, ui, donation)
        assert labels[:4] == ["Run Name", "Utdelning ur donationsfonder", "Nämnd", "År"], labels
        organ = page.get_by_role("button", name="ALN – Arbetslivsnämnden", exact=True)
        assert "KS – Kommunstyrelsen" in _options(page, organ)
        # The amounts: a list of fund and kronor, not a JSON box.
        assert page.get_by_text("Att dela ut", exact=True).is_visible()
        page.get_by_role("button", name="Add item").click()
        fund = page.locator("button.p-select-button__control").nth(1)
        assert "SAMFOND1 – Borås Stads sociala samfond 1" in _options(page, fund)
        assert "Kronor" in page.locator("label").all_inner_texts()
        assert page.locator("textarea.json-input, .p-code-input").count() == 0

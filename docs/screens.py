"""Screenshots of the web page's main pages on the demo's data, as the README shows them.

    .venv/bin/arende demo --out demo-out
    .venv/bin/python docs/screens.py demo-out

Starts `arende web --demo`, logs in as the demo's secretary in Debian's Chromium
(Playwright) and writes docs/screens/*.png.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
PAGES = {
    "mina-arenden": "/",
    "diarium": "/diarium?q=riktlinjer",
    "tidsfrister": "/tidsfrister",
    "arende": "/arende/ALN/2022/14",
    "registrera": "/registrera/remiss",
    "sammantrade": "/sammantrade/ALN/2022-02-15",
    "anslagstavla": "/anslagstavla",
    "administration": "/admin",
}


def main(demo: Path) -> None:
    password = (demo / "var" / "konton.txt").read_text(encoding="utf-8").splitlines()[0].split(": ")[1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARENDE_")}
    arende = str(Path(sys.executable).with_name("arende"))
    server = subprocess.Popen([arende, "web", "--demo", str(demo), "--port", str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        time.sleep(2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--lang=sv-SE",
                ],
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="sv-SE")
            page.goto(f"{base}/login")
            page.fill("#username", "sara")
            page.fill("#password", password)
            page.locator("main button[type=submit]").click()
            page.wait_for_url(f"{base}/")
            for name, url in PAGES.items():
                if name == "administration":  # the administrator's own page
                    page.locator("header button[type=submit]").click()
                    page.goto(f"{base}/login")
                    page.fill("#username", "ada")
                    page.fill("#password", password)
                    page.locator("main button[type=submit]").click()
                    page.wait_for_url(f"{base}/")
                page.goto(base + url)
                page.screenshot(path=str(HERE / "screens" / f"{name}.png"), full_page=False)
                print(HERE / "screens" / f"{name}.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-out").resolve())

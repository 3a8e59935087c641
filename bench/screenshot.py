"""Take docs/screenshot.png: a leader's "Mit overblik" on the demo municipality, in Danish.

    DRIFTSBLIK_VAR_DIR=/tmp/shot-var .venv/bin/driftsblik demo --no-serve --no-registers --force
    DRIFTSBLIK_VAR_DIR=/tmp/shot-var .venv/bin/python bench/screenshot.py

Starts `driftsblik serve` in demo mode on a free port (or uses --url), logs in through the demo
list on the login page as the first leader whose role is --role (default "Chef", a sector head;
"Direktør" for a director), optionally the one leading --unit, waits for the charts, and saves
the top of the overview at --width x --height (default 1280 x 1000) as PNG. Needs the system
Chromium (`apt-get install chromium`) and Playwright (in the virtualenv).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def demo_server(url: str | None) -> Iterator[str]:
    """The given URL, or a `driftsblik serve` in demo mode started here and stopped afterwards."""
    if url:
        yield url.rstrip("/")
        return
    port = free_port()
    command = [str(Path(sys.executable).parent / "driftsblik"), "serve", "--port", str(port)]
    env = {**os.environ, "DRIFTSBLIK_DEMO": "true"}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=2)  # noqa: S310 (our own local server)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    sys.exit(f"screenshot: the server did not start:\n{server.stderr.read() if server.stderr else ''}")
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def take(base: str, *, role: str, unit: str | None, out: Path, width: int, height: int) -> str:
    """Log in as the chosen demo leader and save the overview; returns who it shows."""
    executable = shutil.which("chromium")
    if executable is None:
        sys.exit("screenshot: the system Chromium is not on PATH (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height}, locale="da-DK")
        page.goto(f"{base}/login/")
        buttons = page.locator(".driftsblik-demo-button")
        if buttons.count() == 0:
            sys.exit("screenshot: the login page lists no demo leaders: build the demo and serve it in demo mode")
        chosen = None
        for i in range(buttons.count()):
            meta = buttons.nth(i).locator(".driftsblik-demo-meta").inner_text()
            unit_name, _, role_name = meta.rpartition(" · ")
            if role_name == role and (unit is None or unit_name == unit):
                chosen = buttons.nth(i)
                break
        if chosen is None:
            sys.exit(f"screenshot: no demo leader with role {role!r}" + (f" at {unit!r}" if unit else ""))
        who = chosen.inner_text().replace("\n", " · ")
        chosen.click()
        page.wait_for_url(f"{base}/")
        page.wait_for_function(
            "[...document.querySelectorAll('[data-chart]')].every("
            "el => ['rendered', 'error'].includes(el.getAttribute('data-chart-state')))",
            timeout=20_000,
        )
        if page.locator("[data-chart-state='error']").count():
            sys.exit("screenshot: a chart failed to render")
        page.evaluate("document.fonts.ready")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), type="png")
        browser.close()
    return who


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Driftsblik in demo mode (default: start one)")
    parser.add_argument(
        "--role", default="Chef", help='the demo leader\'s role as the login page shows it (default "Chef")'
    )
    parser.add_argument("--unit", help="the unit the leader leads, as the login page shows it (default: the first)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    with demo_server(args.url) as base:
        who = take(base, role=args.role, unit=args.unit, out=args.out, width=args.width, height=args.height)
    print(f"{args.out} ({args.out.stat().st_size / 1000:.0f} kB): Mit overblik for {who}")


if __name__ == "__main__":
    main()

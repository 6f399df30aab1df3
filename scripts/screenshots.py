"""The README's screenshots: ``readout serve`` over the demo database, photographed by Debian's
headless Chromium (Playwright with /usr/bin/chromium; nothing is downloaded).

    python scripts/screenshots.py --db readout-demo.db --out docs     # make screenshots

Writes ``board.png`` (the CHN-USA channel board as of 2023-12-22, with the timelines) and
``comparison.png`` (the two sides' accounts of the 21 December 2023 call) into ``--out``.
Only the sample corpus is in the demo database, so no outside text ends up in a picture.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="readout-demo.db")
    ap.add_argument("--out", type=Path, default=Path("docs"))
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "readout", "serve", "--db", args.db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/api/v1/failures", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        call = httpx.get(base + "/api/v1/engagements", params={"dyad": "CHN-USA", "since": "2023-12-21", "until": "2023-12-21",
                                                             "actor": "Liu Zhenli"}).json()
        if len(call) != 1:
            raise SystemExit(f"expected one CHN-USA engagement on 2023-12-21 in {args.db}, found {len(call)}")
        args.out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
            page.goto(base + "/dyads/CHN-USA?as_of=2023-12-22")
            page.screenshot(path=str(args.out / "board.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 1500})
            page.goto(f"{base}/engagements/{call[0]['id']}")
            page.screenshot(path=str(args.out / "comparison.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"wrote {args.out / 'board.png'} and {args.out / 'comparison.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

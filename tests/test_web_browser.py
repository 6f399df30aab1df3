"""``readout serve`` in a real browser: Debian's headless Chromium driven by Playwright.

The session builds a demo database through the library (the sample corpus; the reference
article of ``../shared`` when it is there; and a document whose title and text carry a
``<script>`` tag and an ``onerror=`` attribute), starts ``readout serve`` on a free loopback
port, and uses the pages as a person would. Every test fails on a browser console error, a
script error, or a request to anywhere but the server. Screenshots go to a temporary folder
(printed). Chromium comes from Debian (``apt-get install chromium``, done by ``.ci/run``);
Playwright is never asked to download a browser.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from webstore import HOSTILE_TEXT, HOSTILE_TITLE

CHROMIUM = os.environ.get("READOUT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]

pytestmark = [pytest.mark.model, pytest.mark.browser]


@dataclass
class Server:
    base: str
    db: Path
    shots: Path
    reference: bool
    hostile_id: str
    process: subprocess.Popen[bytes] | None = None
    console_errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _build_demo_db(folder: Path) -> tuple[Path, bool, str]:
    """The sample corpus, the reference article (when ../shared is there) and a hostile document, ingested by the library."""
    from readout.demo import corpus_dir
    from readout.store import ingest, open_store

    db = folder / "demo.db"
    summary = ingest([str(corpus_dir())], db=db)
    assert summary.failed == 0, summary.failures
    reference = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "liu-brown-video-call-2023-12.txt"
    if reference.is_file():
        assert ingest([str(reference)], db=db, published="2023-12-22", outlet="Global Times").failed == 0
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps({"text": HOSTILE_TEXT, "title": HOSTILE_TITLE, "published": "2024-01-09",
                                   "outlet": "Sample <b>Wire</b>", "url": "javascript:window.__readout_xss=4"}) + "\n", encoding="utf-8")
    assert ingest([str(hostile)], db=db).failed == 0
    with open_store(db) as store:
        hostile_id = str(store.scalar("SELECT id FROM documents WHERE title = ?", (HOSTILE_TITLE,)))
    return db, reference.is_file(), hostile_id


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium), as .ci/run does")
    pytest.importorskip("playwright.sync_api", reason="Playwright is a dev dependency: make test installs it")
    folder = Path(tempfile.mkdtemp(prefix="readout-browser-"))
    shots = folder / "screenshots"
    shots.mkdir()
    db, reference, hostile_id = _build_demo_db(folder)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (folder / "serve.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "readout", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT)
    srv = Server(base, db, shots, reference, hostile_id, process)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("readout serve did not start: " + (folder / "serve.log").read_text(errors="replace"))
            time.sleep(0.2)
        print(f"\nbrowser test: screenshots in {shots}")
        yield srv
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait()
        log.close()
        if not os.environ.get("READOUT_KEEP_BROWSER_TMP"):  # keep the screenshots, drop the database
            for name in ("demo.db", "demo.db-wal", "demo.db-shm", "hostile.jsonl"):
                (folder / name).unlink(missing_ok=True)


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    """A fresh page that records console errors, script errors and every request that would leave the server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(server.base + "/") or url.startswith("data:"):
            route.continue_()
        else:
            server.outside.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.on("console", lambda m: server.console_errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: server.console_errors.append(f"pageerror: {e}"))
    server.console_errors.clear()
    server.outside.clear()
    yield pg
    context.close()
    assert server.console_errors == [], "browser console errors"
    assert server.outside == [], "requests that left 127.0.0.1"


def shot(page: Any, server: Server, name: str) -> None:
    page.screenshot(path=str(server.shots / f"{name}.png"), full_page=True)


# ---------------------------------------------------------------- as a user would
def test_the_board_as_of_the_call_shows_chiefs_of_defense_active(page: Any, server: Server) -> None:
    page.goto(server.base + "/")
    page.get_by_role("link", name="CHN-USA", exact=True).click()
    page.wait_for_url("**/dyads/CHN-USA**")
    page.fill("#as-of", "2023-12-22")  # the date picker submits its form when a date is chosen
    page.wait_for_url("**as_of=2023-12-22**")
    assert page.locator("h1").inner_text() == "CHN-USA: channels as of 2023-12-22"
    chiefs = page.locator('tr[data-channel="chn-usa-chiefs-of-defense"]')
    assert chiefs.get_attribute("data-state") == "active"
    assert chiefs.locator(".badge").inner_text() == "active"
    assert chiefs.locator("td.last-held").inner_text() == "2023-12-21"
    for channel in ("chn-usa-mmca", "chn-usa-theater-commanders"):
        row = page.locator(f'tr[data-channel="{channel}"]')
        assert row.get_attribute("data-state") != "active", channel
        assert row.locator(".badge").inner_text() != "active"
    # the timeline: bars with hover text for every channel on the board
    titles = page.locator("svg.timeline rect.bar title").all_text_contents()
    assert any(t.startswith("China-US chiefs of defense talks: active") for t in titles)
    assert any("suspended" in t for t in titles) and page.locator("svg.timeline rect.mark").count() > 5
    shot(page, server, "board-chn-usa-2023-12-22")


def test_the_call_comparison_counts_respect_on_the_chinese_side(page: Any, server: Server) -> None:
    page.goto(server.base + "/engagements")
    page.fill("input[name=dyad]", "CHN-USA")
    page.fill("input[name=since]", "2023-12-21")
    page.fill("input[name=until]", "2023-12-21")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**since=2023-12-21**")
    rows = page.locator("tr[data-engagement]", has_text="Liu Zhenli")  # the chiefs' call, whatever else that day holds
    assert rows.count() == 1
    assert "chn-usa-chiefs-of-defense" in rows.first.inner_text()
    rows.first.get_by_role("link", name="compare accounts").click()
    page.wait_for_url("**/engagements/eng-*")
    assert "2023-12-21" in page.locator("h1").inner_text()
    topic = page.locator('tr[data-topic="respect"]')  # the topic "Respect, core interests and red lines"
    assert int(topic.locator('td[data-side="CHN"]').inner_text()) > 0 and topic.locator("td").nth(3).inner_text() == "CHN"
    shot(page, server, "comparison-2023-12-21")
    if not server.reference:
        pytest.skip("../shared is absent: the word 'respect' itself is counted from the reference article's account of the call")
    chn = page.locator('tr[data-term="respect"] td[data-side="CHN"]').inner_text()
    usa = page.locator('tr[data-term="respect"] td[data-side="USA"]').inner_text()
    assert int(chn) > 0 and int(chn) > int(usa)


def test_a_document_shows_its_evidence_highlighted(page: Any, server: Server) -> None:
    page.goto(server.base + "/engagements?dyad=CHN-USA&since=2023-12-21&until=2023-12-21&actor=Liu%20Zhenli")
    page.get_by_role("link", name="compare accounts").first.click()
    page.locator("table.sources a").first.click()
    page.wait_for_url("**/documents/doc-*")
    marks = page.locator("#doc-text mark.hl")
    assert marks.count() > 3
    assert page.locator("#doc-text mark.hl-statement").count() > 0 and page.locator("#doc-text mark.hl-engagement").count() > 0
    record = page.locator(".records a.jump").nth(1)
    target = record.get_attribute("href")
    record.click()
    assert page.evaluate("location.hash") == target
    assert page.locator("#doc-text mark.hl.focus").count() > 0  # the record's evidence is marked
    assert page.locator(".records li.selected").count() == 1
    shot(page, server, "document-highlighted")


def test_a_document_with_script_in_it_runs_none(page: Any, server: Server) -> None:
    page.goto(f"{server.base}/documents/{server.hostile_id}")
    assert page.evaluate("typeof window.__readout_xss") == "undefined"
    assert page.title() != "owned" and page.title().startswith(HOSTILE_TITLE)
    text = page.locator("#doc-text").inner_text()
    assert "<script>window.__readout_xss = 2;" in text and 'onerror="window.__readout_xss=3"' in text
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert page.locator("#doc-text script, #doc-text img, h1 img").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    page.goto(f"{server.base}/search?q=spokesman")
    assert page.evaluate("typeof window.__readout_xss") == "undefined"
    shot(page, server, "document-hostile")


def test_search_and_the_api_docs_work_offline(page: Any, server: Server) -> None:
    page.goto(server.base + "/")
    page.fill("header input[name=q]", "miscalculation")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=miscalculation")
    page.locator("ul.hits li mark").first.wait_for()
    assert "miscalculation" in page.locator("ul.hits li mark").first.inner_text().lower()
    page.goto(server.base + "/docs")
    page.get_by_text("/api/v1/board", exact=True).wait_for()
    shot(page, server, "api-docs")


def test_the_reference_article_is_in_the_demo_database(server: Server, shared_dir: Path) -> None:
    assert server.reference, "../shared is there but the reference article was not ingested"
    r = httpx.get(server.base + "/api/v1/documents", params={"outlet": "Global Times"}).json()
    assert any(d["published"] == "2023-12-22" for d in r)


def test_the_readme_curl_examples_answer(server: Server) -> None:
    """Every GET in the README's curl examples, against the demo database."""
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    urls = re.findall(r"curl -si? '(http://127\.0\.0\.1:8000/api/v1/[^']+)'", readme)
    assert len(urls) >= 6
    for url in urls:
        response = httpx.get(url.replace("http://127.0.0.1:8000", server.base), timeout=60)
        assert response.status_code == 200, (url, response.text[:300])

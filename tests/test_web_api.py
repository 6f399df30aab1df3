"""The HTTP API and the pages of ``readout serve``, through FastAPI's TestClient over a store
built by hand (no model, except the one ingest-over-HTTP test that analyzes a document).

Every endpoint, every format it offers, every error status; the JSON is compared with what
the CLI prints with ``--format json`` for the same question."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import warnings
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from readout.cli import cli
from readout.errors import StoreError

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note about httpx, the client it is built on
    from fastapi.testclient import TestClient

from readout.web import create_app
from readout.web.app import CSP, MAX_PAGE

from webstore import HOSTILE_SCRIPT, build

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "src" / "readout" / "corpus"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


def cli_out(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def engagement_id(client: TestClient) -> str:
    return str(client.get("/api/v1/engagements").json()[0]["id"])


# ---------------------------------------------------------------- the same answers as the CLI, in every format
# (API path and query, the CLI command that answers the same question)
SAME_AS_CLI = [
    ("/api/v1/board?dyad=CHN-USA&as_of=2023-12-22", ["channels", "--dyad", "CHN-USA", "--as-of", "2023-12-22"]),
    ("/api/v1/board?dyad=usa-chn&as_of=2024-06-01", ["channels", "--dyad", "CHN-USA", "--as-of", "2024-06-01"]),
    ("/api/v1/channels/chn-usa-mmca/timeline", ["timeline", "chn-usa-mmca"]),
    ("/api/v1/channels/MMCA/timeline", ["timeline", "MMCA"]),
    ("/api/v1/engagements?dyad=CHN-USA&kind=call,video_call", ["engagements", "--dyad", "CHN-USA", "--kind", "call,video_call", "--limit", "100"]),
    ("/api/v1/engagements?actor=Dong%20Jun&since=2024", ["engagements", "--actor", "Dong Jun", "--since", "2024", "--limit", "100"]),
    ("/api/v1/engagements?status=held", ["engagements", "--status", "held", "--limit", "100"]),
    ("/api/v1/statements?side=CHN", ["statements", "--side", "CHN", "--limit", "100"]),
    ("/api/v1/statements?search=lines%20communication&until=2024-12", ["statements", "--search", "lines communication", "--until", "2024-12", "--limit", "100"]),
    ("/api/v1/statements?topic=respect&speaker=Dong", ["statements", "--topic", "respect", "--speaker", "Dong", "--limit", "100"]),
    ("/api/v1/dyads", ["dyads"]),
    ("/api/v1/dyads?since=2024", ["dyads", "--since", "2024"]),
    ("/api/v1/dyads/CHN-USA?by=quarter", ["dyads", "--dyad", "CHN-USA", "--by", "quarter"]),
    ("/api/v1/dyads/CHN-USA?explain=true", ["dyads", "--dyad", "CHN-USA", "--explain"]),
    ("/api/v1/dyads?explain=true&since=2024", ["dyads", "--explain", "--since", "2024"]),
    ("/api/v1/failures", ["failures"]),
]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
@pytest.mark.parametrize(("path", "command"), SAME_AS_CLI, ids=[p for p, _ in SAME_AS_CLI])
def test_api_answers_as_the_cli_does_in_every_format(client: TestClient, db: Path, path: str, command: list[str], fmt: str) -> None:
    response = client.get(f"{path}&format={fmt}" if "?" in path else f"{path}?format={fmt}")
    assert response.status_code == 200, response.text
    assert response.text == cli_out(db, *command, "--format", fmt)
    assert response.headers["content-type"].startswith({"json": "application/json", "jsonl": "application/x-ndjson", "csv": "text/csv"}[fmt])
    if fmt == "json":
        assert response.json()  # not empty: each question has an answer in this store
    elif fmt == "csv":
        assert list(csv.DictReader(io.StringIO(response.text)))


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_comparison_is_the_cli_compare(client: TestClient, db: Path, fmt: str) -> None:
    eid = engagement_id(client)
    response = client.get(f"/api/v1/engagements/{eid}/comparison?format={fmt}")
    assert response.status_code == 200
    assert response.text == cli_out(db, "compare", eid, "--format", fmt)
    if fmt == "json":
        c = response.json()
        respect = next(t for t in c["terms"] if t["term"] == "respect")
        assert respect["counts"] == {"CHN": 2, "USA": 0} and respect["emphasis"] == "CHN"


def test_the_board_says_which_channels_are_open(client: TestClient) -> None:
    board = {r["channel"]: r for r in client.get("/api/v1/board", params={"dyad": "CHN-USA", "as_of": "2023-12-22"}).json()}
    assert board["chn-usa-mmca"]["state"] == "resumption_pending" and board["chn-usa-mmca"]["suspended_since"] == "2022-08-05"
    later = {r["channel"]: r for r in client.get("/api/v1/board", params={"dyad": "CHN-USA", "as_of": "2024-06-01"}).json()}
    assert later["chn-usa-mmca"]["state"] == "active" and later["chn-usa-mmca"]["last_held"] == "2024-04-03"


# ---------------------------------------------------------------- paging
def test_paging_walks_the_whole_list_with_link_headers(client: TestClient, db: Path) -> None:
    everything = json.loads(cli_out(db, "statements", "--format", "json"))
    assert len(everything) == 3
    seen: list[dict[str, Any]] = []
    url: str | None = "/api/v1/statements?limit=2"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += response.json()
        pages += 1
        link = response.headers.get("link")
        url = link.split(";")[0].strip("<>") if link else None
    assert pages == 2 and seen == everything
    assert client.get("/api/v1/statements?limit=2&offset=2").json() == everything[2:]
    assert "link" not in client.get("/api/v1/statements?limit=3").headers


def test_page_size_has_a_maximum(client: TestClient) -> None:
    assert client.get(f"/api/v1/engagements?limit={MAX_PAGE}").status_code == 200
    response = client.get(f"/api/v1/engagements?limit={MAX_PAGE + 1}")
    assert response.status_code == 400
    assert "'limit'" in response.json()["error"]["message"]


# ---------------------------------------------------------------- documents, search, actors
def test_documents_list_counts_records_and_pages(client: TestClient) -> None:
    rows = client.get("/api/v1/documents").json()
    assert [r["id"] for r in rows][:2] == ["doc-web-1", "doc-web-3"]  # oldest first
    cn = next(r for r in rows if r["id"] == "doc-web-cn")
    assert (cn["engagements"], cn["statements"], cn["events"]) == (1, 1, 1) and "text" not in cn
    assert client.get("/api/v1/documents?side=CHN").json() == [r for r in rows if r["side"] == "CHN"]
    assert client.get("/api/v1/documents?limit=2&offset=1").json() == rows[1:3]
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/documents?format=csv").text)))
    assert [r["id"] for r in csv_rows] == [r["id"] for r in rows]
    assert len(client.get("/api/v1/documents?format=jsonl").text.splitlines()) == len(rows)


def test_document_has_its_text_and_every_record_with_offsets(client: TestClient) -> None:
    d = client.get("/api/v1/documents/doc-web-cn").json()
    kinds = sorted(r["kind"] for r in d["records"])
    assert kinds == ["engagement", "event", "statement"]
    for r in d["records"]:
        assert 0 <= r["start"] < r["end"] <= len(d["text"])
    statement = next(r for r in d["records"] if r["kind"] == "statement")
    assert d["text"][statement["start"]:statement["end"]] == statement["content"]
    assert client.get("/api/v1/documents/doc-web-").status_code == 400  # a prefix of several: ambiguous
    assert client.get("/api/v1/documents/web-hostile").json()["id"] == "doc-web-hostile"  # a unique start, doc- left off
    assert client.get("/api/v1/documents/doc-web-cn?format=csv").status_code == 400


def test_search_finds_statements_and_documents_with_highlights(client: TestClient) -> None:
    r = client.get("/api/v1/search", params={"q": "respect"}).json()
    assert [h["id"] for h in r["statements"]] == ["doc-web-cn/s9"] and [h["id"] for h in r["documents"]] == ["doc-web-cn"]
    hit = r["statements"][0]
    assert [hit["snippet"][a:b].lower() for a, b in hit["highlights"]] == ["respect", "respect"]
    assert client.get("/api/v1/search", params={"q": "respect", "side": "USA"}).json()["statements"] == []
    only = client.get("/api/v1/search", params={"q": "sides", "speaker": "Austin"}).json()
    assert [h["speaker_name"] for h in only["statements"]] == ["Lloyd Austin"] and only["documents"] == []
    assert client.get("/api/v1/search", params={"q": "respect", "in": "documents"}).json()["statements"] == []
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/search", params={"q": "respect", "format": "csv"}).text)))
    assert [r["hit"] for r in rows] == ["statement", "document"]
    assert len(client.get("/api/v1/search", params={"q": "respect", "format": "jsonl"}).text.splitlines()) == 2


def test_actor_has_engagements_and_statements(client: TestClient) -> None:
    a = client.get("/api/v1/actors/dong-jun").json()
    assert a["name"] == "Dong Jun" and a["country"] == "CHN"
    assert len(a["engagements"]) == 1 and [s["id"] for s in a["statements"]] == ["doc-web-cn/s9"]
    assert a["mentions"] == 2 and {d["id"] for d in a["documents"]} == {"doc-web-us", "doc-web-cn"}


def test_openapi_and_docs_are_served_from_here(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/board", "/api/v1/channels/{channel}/timeline", "/api/v1/engagements", "/api/v1/engagements/{engagement}/comparison",
                 "/api/v1/statements", "/api/v1/dyads", "/api/v1/documents", "/api/v1/documents/{document}", "/api/v1/search"):
        assert path in spec["paths"], path
    assert "422" not in json.dumps(spec["paths"]) and "Error" in spec["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/docs/swagger-ui-bundle.js" in docs.text
    assert "http" not in docs.text.split("<body>")[1]  # no other origin
    assert client.get("/static/docs/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/docs-init.js").status_code == 200


# ---------------------------------------------------------------- errors: one shape, the right status
def error_of(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    assert "Traceback" not in response.text
    return str(body["error"]["message"])


@pytest.mark.parametrize(("path", "names"), [
    ("/api/v1/board?dyad=XXX-USA", "--dyad"),
    ("/api/v1/board?dyad=China", "--dyad"),
    ("/api/v1/board", "'dyad'"),  # missing
    ("/api/v1/board?dyad=CHN-USA&as_of=yesterday", "--as-of"),
    ("/api/v1/engagements?kind=lunch", "--kind"),
    ("/api/v1/engagements?status=maybe", "--status"),
    ("/api/v1/engagements?since=May", "--since"),
    ("/api/v1/engagements?offset=-1", "'offset'"),
    ("/api/v1/engagements?limit=0", "'limit'"),
    ("/api/v1/statements?topic=weather", "--topic"),
    ("/api/v1/statements?format=xml", "'format'"),
    ("/api/v1/dyads/CHN-USA?by=week", "'by'"),
    ("/api/v1/search?q=", "'q'"),
    ("/api/v1/search?q=%22%22", "--search"),
    ("/api/v1/search?q=x&in=everywhere", "'in'"),
    ("/api/v1/statements?search=" + "a" * 201, "'search'"),
])
def test_a_bad_parameter_is_400_naming_it(client: TestClient, path: str, names: str) -> None:
    assert names in error_of(client.get(path), 400, "bad_option")


@pytest.mark.parametrize("path", [
    "/api/v1/engagements/eng-000000000000/comparison",
    "/api/v1/channels/no-such-channel/timeline",
    "/api/v1/documents/doc-nothing",
    "/api/v1/actors/nobody-at-all",
    "/api/v1/dyads/FRA-NOR",
    "/api/v1/no-such-endpoint",
])
def test_what_is_not_there_is_404(client: TestClient, path: str) -> None:
    error_of(client.get(path), 404, "not_found")


def test_an_unexpected_error_is_500_without_a_traceback(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from readout.store import queries

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(queries, "channel_board", broken)
    message = error_of(client.get("/api/v1/board?dyad=CHN-USA"), 500, "internal_error")
    assert "secret" not in message and "bug in readout" in message
    page = client.get("/dyads/CHN-USA")
    assert page.status_code == 500 and "secret" not in page.text and "text/html" in page.headers["content-type"]


def test_a_wrong_method_is_405_in_the_same_shape(client: TestClient) -> None:
    error_of(client.delete("/api/v1/engagements"), 405, "method_not_allowed")


# ---------------------------------------------------------------- ingest over HTTP
def test_ingest_is_off_unless_the_server_allows_it(client: TestClient) -> None:
    error_of(client.post("/api/v1/documents", json={"text": "x"}, headers={"Authorization": "Bearer anything"}), 403, "forbidden")


def test_allowing_ingest_needs_a_token(db: Path) -> None:
    with pytest.raises(StoreError, match="READOUT_TOKEN"):
        create_app(db, allow_ingest=True, token=None)


@pytest.fixture
def ingest_client(tmp_path: Path) -> TestClient:
    path = build(tmp_path / "ingest.db")
    with TestClient(create_app(path, allow_ingest=True, token="s3cret-token", max_body=4000), raise_server_exceptions=False) as c:
        yield c


def test_ingest_needs_the_bearer_token(ingest_client: TestClient) -> None:
    response = ingest_client.post("/api/v1/documents", json={"text": "x"})
    error_of(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"
    error_of(ingest_client.post("/api/v1/documents", json={"text": "x"}, headers={"Authorization": "Bearer wrong"}), 401, "unauthorized")
    error_of(ingest_client.post("/api/v1/documents", json={"text": "x"}, headers={"Authorization": "Basic s3cret-token"}), 401, "unauthorized")


def test_ingest_refuses_a_body_over_the_limit(ingest_client: TestClient) -> None:
    auth = {"Authorization": "Bearer s3cret-token"}
    message = error_of(ingest_client.post("/api/v1/documents", json={"text": "word " * 2000}, headers=auth), 413, "too_large")
    assert "4,000" in message

    def chunks() -> Any:  # no Content-Length: the limit holds while reading
        for _ in range(10):
            yield b"[" + b" " * 1000

    error_of(ingest_client.post("/api/v1/documents", content=chunks(), headers={**auth, "Content-Type": "application/json"}), 413, "too_large")


def test_ingest_checks_the_body(ingest_client: TestClient) -> None:
    auth = {"Authorization": "Bearer s3cret-token"}
    error_of(ingest_client.post("/api/v1/documents", content=b"{not json", headers={**auth, "Content-Type": "application/json"}), 400, "malformed_record")
    error_of(ingest_client.post("/api/v1/documents", json=[1, 2], headers=auth), 400, "malformed_record")
    error_of(ingest_client.post("/api/v1/documents", json={"title": "no text"}, headers=auth), 400, "bad_input")
    error_of(ingest_client.post("/api/v1/documents", content=b"text", headers={**auth, "Content-Type": "text/plain"}), 415, "unsupported_format")


@pytest.mark.model
def test_ingest_over_http_adds_the_document_as_readout_ingest_does(ingest_client: TestClient) -> None:
    text = (CORPUS / "17-theater-commanders-call-2024-09.txt").read_text(encoding="utf-8")
    auth = {"Authorization": "Bearer s3cret-token"}
    app = ingest_client.app
    app.state.settings.max_body = 100_000  # type: ignore[attr-defined]
    assert ingest_client.get("/api/v1/documents", params={"since": "2024-09-11"}).json() == []  # now kept in the cache
    response = ingest_client.post("/api/v1/documents?published=2024-09-11", json={"text": text, "title": "Theater commanders talk"}, headers=auth)
    assert response.status_code == 201, response.text
    summary = response.json()
    assert summary["documents"] == {"new": 1, "unchanged": 0, "updated": 0, "failed": 0} and summary["records_added"]["documents"] == 1
    docs = ingest_client.get("/api/v1/documents", params={"since": "2024-09-11"}).json()
    assert [d["title"] for d in docs] == ["Theater commanders talk"]
    again = ingest_client.post("/api/v1/documents", json={"text": text}, headers=auth)
    assert again.status_code == 200 and again.json()["documents"]["unchanged"] == 1


# ---------------------------------------------------------------- the store is read-only, the pages are safe
def test_the_server_cannot_write(client: TestClient) -> None:
    store = client.app.state.settings.store()  # type: ignore[attr-defined]
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only"):
        store.conn.execute("DELETE FROM documents")


def test_serving_a_missing_or_foreign_database_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="readout ingest"):
        create_app(tmp_path / "none.db")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    with pytest.raises(StoreError, match="not a readout database"):
        create_app(other)


PAGES = ["/", "/dyads/CHN-USA?as_of=2023-12-22", "/dyads/CHN-USA", "/channels/chn-usa-mmca", "/engagements", "/engagements?dyad=CHN-USA&kind=video_call",
         "/documents", "/documents/doc-web-cn", "/documents/doc-web-hostile", "/search?q=respect", "/search?q=sides&speaker=Austin&side=USA",
         "/search", "/actors/dong-jun", "/docs"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    html = response.text
    assert "<script>" not in html  # no inline script: only <script src=...>
    assert " style=" not in html and " on" + "click=" not in html


def test_the_engagement_page_shows_both_accounts(client: TestClient) -> None:
    html = client.get(f"/engagements/{engagement_id(client)}").text
    assert 'data-term="respect"' in html and 'data-side="CHN">2<' in html
    assert "Xinhua" in html and "U.S. Department of Defense" in html


def test_document_text_is_escaped_and_script_urls_are_not_links(client: TestClient) -> None:
    html = client.get("/documents/doc-web-hostile").text
    assert HOSTILE_SCRIPT not in html and "&lt;script&gt;window.__readout_xss = 2;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert "javascript:" not in html
    assert "Sample &lt;b&gt;Wire&lt;/b&gt;" in html
    assert 'class="hl hl-statement' in html  # the statement's evidence is highlighted
    search = client.get("/search", params={"q": "spokesman script"}).text
    assert "<script>window" not in search


def test_a_bad_page_parameter_shows_the_message_on_a_page(client: TestClient) -> None:
    response = client.get("/dyads/China")
    assert response.status_code == 400 and "text/html" in response.headers["content-type"]
    assert "give two ISO 3166 alpha-3 country codes" in response.text
    assert client.get("/engagements/eng-000000000000").status_code == 404
    assert client.get("/nowhere").status_code == 404


def test_a_store_handed_over_between_threads_reads_through_each_threads_connection(client: TestClient) -> None:
    import threading

    store = client.app.state.settings.store()  # type: ignore[attr-defined]
    assert store.scalar("SELECT count(*) FROM documents") == 6
    found: list[Any] = []
    worker = threading.Thread(target=lambda: found.append(store.scalar("SELECT count(*) FROM documents")))
    worker.start()
    worker.join()
    assert found == [6]  # not "SQLite objects created in a thread can only be used in that same thread"


# ---------------------------------------------------------------- the response cache
def test_answers_are_kept_until_the_database_changes(tmp_path: Path) -> None:
    path = build(tmp_path / "cache.db")
    with TestClient(create_app(path), raise_server_exceptions=False) as c:
        first = c.get("/api/v1/failures")
        second = c.get("/api/v1/failures")
        assert (first.headers["x-readout-cache"], second.headers["x-readout-cache"]) == ("miss", "hit")
        assert second.text == first.text and second.headers["content-security-policy"] == CSP
        assert c.get("/api/v1/failures?format=csv").headers["x-readout-cache"] == "miss"  # another URL, another answer
        conn = sqlite3.connect(path)  # another process's ingest, as far as the server can tell
        conn.execute("INSERT INTO failures (source, code, reason) VALUES ('late.txt', 'empty_input', 'late.txt: the file is empty')")
        conn.commit()
        conn.close()
        third = c.get("/api/v1/failures")
        assert third.headers["x-readout-cache"] == "miss" and [r["source"] for r in third.json()] == ["bad.txt", "late.txt"]
        assert "x-readout-cache" not in c.get("/api/v1/board?dyad=XXX-USA").headers  # errors are not kept
    with TestClient(create_app(path, cache=False)) as c:
        assert "x-readout-cache" not in c.get("/api/v1/failures").headers


def test_timeline_chart_axis_starts_at_recent_records_and_clips_older_bars() -> None:
    from readout.web.render import timeline_chart

    board = {"as_of": "2023-12-22", "engagements": [
        {"id": "e1", "kind": "call", "date": "2022-03-01", "participants": [], "sources": 1, "channel": None}],
        "timelines": [{"channel": {"id": "old", "name": "Old link"}, "intervals": [
            {"state": "active", "status": "established", "start_date": "2008-01-01", "end_date": None, "last_held": None,
             "sources": 1, "sides": ["USA"], "contested": False}]},
            {"channel": {"id": "c", "name": "Talks"}, "intervals": [
                {"state": "suspended", "status": "suspended", "start_date": "2022-08-05", "end_date": "2023-11-15", "last_held": None,
                 "sources": 2, "sides": ["CHN"], "contested": False}]}]}
    chart = timeline_chart(board)
    assert chart.ticks[0][1] == "2022"  # not 2008: a 15-year-old start does not squeeze the recent years
    old_bar = chart.rows[0].bars[0]
    assert old_bar.x == chart.left and "from 2008-01-01" in old_bar.title
    suspended = chart.rows[1].bars[0]
    assert chart.left < suspended.x < chart.as_of_x  # type: ignore[operator]
    assert suspended.x + suspended.w < chart.as_of_x  # type: ignore[operator]  # it ended before the board date
    assert [m.href for m in chart.marks] == ["/engagements/e1"]


def test_a_store_being_rebuilt_is_503_try_again(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from readout.store import queries

    def stale(*args: Any, **kwargs: Any) -> Any:  # a timeline left stale by an interrupted ingest cannot be rebuilt read-only
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(queries, "channel_board", stale)
    assert "try again" in error_of(client.get("/api/v1/board?dyad=CHN-USA"), 503, "store_busy")


def test_serve_checks_the_database_and_the_port_before_starting(db: Path, tmp_path: Path) -> None:
    import socket

    missing = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 5 and missing.stderr.startswith("error: ") and "readout ingest" in missing.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        busy = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", str(port)])
    assert busy.exit_code == 2 and "already in use" in busy.stderr and len(busy.stderr.splitlines()) == 1
    no_token = CliRunner(env={"READOUT_TOKEN": ""}).invoke(cli, ["serve", "--db", str(db), "--allow-ingest", "--port", str(port)])
    assert no_token.exit_code == 5 and "READOUT_TOKEN" in no_token.stderr

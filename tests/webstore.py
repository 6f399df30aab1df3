"""A small store built by hand (no model) for the web tests: two readouts of one call, a
channel's suspension and resumption, and a document whose title, text and URL try to run
script in a page. The texts are written for these tests; every span points at its words."""

from __future__ import annotations

from pathlib import Path

from readout.records import Actor, Analysis, ChannelStatus, DateValue, Document, Engagement, Event, Span, Statement
from readout.registry import get_registry
from readout.store import aggregate, open_store
from readout.store.write import save_analysis

HOSTILE_TITLE = 'Drill report <img src=x onerror="window.__readout_xss=1">'
HOSTILE_SCRIPT = "<script>window.__readout_xss = 2; document.title = 'owned';</script>"
HOSTILE_TEXT = (
    "Navy officials from the two countries met on Tuesday to review the drill, the ministry said.\n\n"
    f"A spokesman said the page showed {HOSTILE_SCRIPT} and an image tag <img src=x onerror=\"window.__readout_xss=3\"> "
    "in the notes, and that both sides would keep talking.\n"
)


def span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


def day(value: str) -> DateValue:
    precision = {10: "day", 7: "month", 4: "year"}[len(value)]
    return DateValue(value, precision, value, None, "test")  # type: ignore[arg-type]


def person(pid: str, name: str, country: str, text: str) -> Actor:
    return Actor(id=pid, name=name, kind="person", country=country, sector="MIL", known=True, rule="test",
                 mentions=[span(text, name)] if name in text else [])


def analyses() -> list[Analysis]:
    us_text = ("Secretary of Defense Lloyd Austin held a video call with Dong Jun on Monday. "
               "Austin said the two sides should keep lines of communication open and manage competition responsibly.")
    cn_text = ("Dong Jun held a video call with Lloyd Austin on Monday at the request of the US side. "
               "Dong said the US side must respect China's core interests and respect its red lines on Taiwan.")
    us = Analysis(
        Document("doc-web-us", us_text, title="Readout of Secretary Austin's call", outlet="U.S. Department of Defense",
                 published="2024-09-09", url="https://example.org/readout"),
        actors=[person("lloyd-austin", "Lloyd Austin", "USA", us_text), person("dong-jun", "Dong Jun", "CHN", us_text)],
        engagements=[Engagement("eng-1", "video_call", ["lloyd-austin", "dong-jun"], ["CHN", "USA"],
                                [span(us_text, us_text.split(". ")[0])], "test", date=day("2024-09-09"))],
        statements=[Statement("s1", "indirect", "the two sides should keep lines of communication open and manage competition responsibly",
                              span(us_text, "the two sides should keep lines of communication open and manage competition responsibly"),
                              "test", speaker="lloyd-austin", speaker_name="Lloyd Austin", side="USA", cue="said",
                              topics=["communication"], engagement="eng-1", event_type="CONSULT")],
    )
    cn = Analysis(
        Document("doc-web-cn", cn_text, title="Dong Jun holds video call with Austin", outlet="Xinhua", published="2024-09-10"),
        actors=[person("dong-jun", "Dong Jun", "CHN", cn_text), person("lloyd-austin", "Lloyd Austin", "USA", cn_text)],
        engagements=[Engagement("eng-9", "video_call", ["dong-jun", "lloyd-austin"], ["CHN", "USA"],
                                [span(cn_text, cn_text.split(". ")[0])], "test", date=day("2024-09-09"), initiator="USA")],
        statements=[Statement("s9", "indirect", "the US side must respect China's core interests and respect its red lines on Taiwan",
                              span(cn_text, "the US side must respect China's core interests and respect its red lines on Taiwan"),
                              "test", speaker="dong-jun", speaker_name="Dong Jun", side="CHN", cue="said",
                              topics=["respect", "taiwan"], engagement="eng-9", event_type="DEMAND")],
        events=[Event("ev1", "CONSULT", [span(cn_text, cn_text.split(". ")[0])], "test", source="CHN", target="USA",
                      date=day("2024-09-09"))],
    )
    mmca = "chn-usa-mmca"
    out = [us, cn]
    for key, published, outlet, value, when, side, sentence in (
        ("1", "2022-08-05", "Ministry of Foreign Affairs of the PRC", "suspended", "2022-08-05", "CHN",
         "China suspended the maritime safety talks with the United States on Friday."),
        ("3", "2023-11-16", "The White House", "agreed_to_resume", "2023-11-15", "USA",
         "The two leaders agreed to resume the maritime safety talks."),
        ("5", "2024-04-05", "U.S. Indo-Pacific Command", "resumed", "2024-04-03", "USA",
         "The maritime safety talks resumed in Honolulu this week."),
    ):
        out.append(Analysis(Document(f"doc-web-{key}", sentence, title=f"Maritime talks {key}", outlet=outlet, published=published),
                            channel_status=[ChannelStatus(f"cs{key}", mmca, "maritime safety talks", ["CHN", "USA"], value,  # type: ignore[arg-type]
                                                          [span(sentence, sentence)], "test", date=day(when), side=side)]))
    hostile = Analysis(
        Document("doc-web-hostile", HOSTILE_TEXT, title=HOSTILE_TITLE, outlet="Sample <b>Wire</b>", published="2024-01-09",
                 url="javascript:window.__readout_xss=4"),
        statements=[Statement("sh", "indirect", HOSTILE_TEXT[HOSTILE_TEXT.index("the page"):HOSTILE_TEXT.index(" in the notes")],
                              span(HOSTILE_TEXT, HOSTILE_TEXT[HOSTILE_TEXT.index("the page"):HOSTILE_TEXT.index(" in the notes")]),
                              "test", speaker_name="A spokesman <script>", side=None, cue="said")],
    )
    out.append(hostile)
    return out


def build(path: Path) -> Path:
    """Write the analyses into a new store at ``path``, with one recorded failure."""
    registry = get_registry()
    store = open_store(path, create=True)
    with store.transaction() as conn:
        conn.execute("INSERT INTO analyzers (id, readout_version, model, registry) VALUES ('anz-web', 'test', 'none', 'none')")
        for a in analyses():
            save_analysis(conn, a, registry=registry, analyzer_id="anz-web", source=a.document.id)
        conn.execute("INSERT INTO failures (source, code, reason) VALUES ('bad.txt', 'empty_input', 'bad.txt: the file is empty')")
    aggregate.refresh_timelines(store.conn)
    store.close()
    return path

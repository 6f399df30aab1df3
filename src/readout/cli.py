"""The ``readout`` command. Each command parses its options, calls one library function and
prints the result; the work is done in the library.

Errors: a ``ReadoutError`` is printed as one line, ``error: <message>``, on standard error and
the command exits with the error's ``exit_code``; warnings are printed as ``warning: ...``. A
database error from SQLite (a damaged file, a full disk) is one line too, exit 5; Ctrl-C is
exit 130. Anything else is a bug: one line says so (exit 70), and ``readout --debug ...``
shows the traceback.

Exit statuses: 0 done; 2 bad input or option (and an ingest in which an input failed);
3 a knowledge file; 4 the model; 5 the database; 6 ``readout check`` found problems;
70 a bug in readout; 130 interrupted.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import warnings
from typing import Any

import click
from rich.console import Console, RenderableType

from . import __version__, inputs, output, pipeline, readers, report
from . import demo as demo_mod
from . import registry as registry_mod
from .errors import CheckFailedError, InputError, ReadoutError, StoreError
from .shards import DEFAULT_SHARD_SIZE
from .shards import analyze_corpus as analyze_corpus_documents
from . import views
from .store import compare as compare_mod
from .store import dyads as dyads_mod
from .store import export as export_mod
from .store import maintain
from .store import open_store, queries
from .store.db import db_path
from .store.ingest import ingest as ingest_documents

PIPE_WIDTH = 140
EXIT_BUG = 70  # EX_SOFTWARE: an unexpected exception, i.e. a bug in readout
EXIT_INTERRUPTED = 130  # 128 + SIGINT
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _warn(message: str) -> None:
    click.echo(f"warning: {_one_line(message)}", err=True)


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int, *args: Any, **kwargs: Any) -> None:
    _warn(str(message).splitlines()[0] if str(message) else category.__name__)


def _print(renderable: RenderableType) -> None:
    """Print a rich renderable to standard output: in colour on a terminal; in a pipe as plain
    text, without trailing blanks."""
    console = Console(highlight=False, emoji=False)
    if console.is_terminal:
        console.print(renderable)
    else:
        # a pipe has no width: use COLUMNS if set, else wide enough for tables
        width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else PIPE_WIDTH
        click.echo(report.to_text(renderable, width=width), nl=False)


def _json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


class ReadoutGroup(click.Group):
    """A click group that turns errors into one line on standard error."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            with warnings.catch_warnings():
                warnings.showwarning = _show_warning
                return super().invoke(ctx)
        except click.UsageError as exc:
            # a bad option or argument: one line, like every other error
            hint = f" (see 'readout {exc.ctx.command_path.split(' ', 1)[-1]} --help')" if exc.ctx and " " in exc.ctx.command_path else ""
            click.echo(f"error: {_one_line(exc.format_message())}{hint}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, BrokenPipeError):
            raise
        except ReadoutError as exc:
            if debug:
                raise
            click.echo(f"error: {_one_line(exc.message)}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("error: interrupted: what was committed is kept; run the same command again to finish", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except OSError as exc:
            if debug:
                raise
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            click.echo(f"error: {where}{exc.strerror or exc}: check the path, its permissions and the free space", err=True)
            ctx.exit(InputError.exit_code)
        except sqlite3.DatabaseError as exc:
            if debug:
                raise
            click.echo(
                f"error: the database could not be read or written ({_one_line(str(exc))}): run 'readout check' to see "
                "what is wrong; 'readout rebuild' or a backup repairs it",
                err=True,
            )
            ctx.exit(StoreError.exit_code)
        except Exception as exc:
            if debug:
                raise
            click.echo(
                f"error: unexpected {type(exc).__name__}: {_one_line(str(exc))} -- this is a bug in readout: "
                "run the command again with 'readout --debug ...' to see the traceback, and report it",
                err=True,
            )
            ctx.exit(EXIT_BUG)


registry_option = click.option(
    "--registry",
    "registry_files",
    multiple=True,
    metavar="FILE",
    help="An extra knowledge file (YAML); repeat for several. Added to the files in READOUT_REGISTRY.",
)
model_option = click.option(
    "--model",
    metavar="NAME",
    default=None,
    help="An installed English spaCy pipeline (default: READOUT_MODEL, else the pinned en_core_web_sm).",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a report for people; json: the readout.analysis/1 records.",
)
max_bytes_option = click.option(
    "--max-bytes",
    "max_bytes",
    metavar="SIZE",
    default=None,
    help="Refuse files, and fields of JSONL/CSV records, larger than this (bytes, or 50MB, 1GB; default 50MB).",
)


@click.group(cls=ReadoutGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="readout")
@click.option("--debug", is_flag=True, envvar="READOUT_DEBUG", help="Show the traceback of unexpected errors.")
def cli(debug: bool) -> None:
    """Read news articles and official readouts of talks between states and keep a sourced
    record of engagements, channel status, statements and events.

    \b
    Example:
        readout analyze article.txt --published 2023-12-22 --outlet "Global Times"
        readout demo
    """


text_column_option = click.option(
    "--text-column", "text_column", metavar="NAME", default="text", show_default=True,
    help="The column of .parquet inputs that holds each document's text.",
)
gate_option = click.option(
    "--no-gate", "no_gate", is_flag=True,
    help="Parse every document: without it, texts that name no state, person or body the registry knows, or no "
         "engagement, status, reporting or event word, are not parsed (recorded as not relevant with the reason).",
)


@cli.command()
@click.argument("path", metavar="PATH")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date: resolves 'on Thursday', 'last month'.")
@click.option("--outlet", metavar="NAME", help="The outlet that published it (e.g. Xinhua, Reuters).")
@click.option("--url", metavar="URL", help="Where the document was found.")
@click.option("--title", metavar="T", help="Its title (an HTML page's own title is used otherwise).")
@format_option
@model_option
@registry_option
@click.option("--no-language-check", is_flag=True, help="Process the text even if it does not look English.")
@max_bytes_option
@gate_option
def analyze(
    path: str,
    published: str | None,
    outlet: str | None,
    url: str | None,
    title: str | None,
    fmt: str,
    model: str | None,
    registry_files: tuple[str, ...],
    no_language_check: bool,
    max_bytes: str | None,
    no_gate: bool,
) -> None:
    """Analyze one document: a .txt, .md or .html file, or - for standard input.

    \b
    Example:
        readout analyze article.txt --published 2023-12-22 --outlet "Global Times"
        curl -s https://example.org/news/call | readout analyze - --format json
    """
    with report.ingest_progress(lambda: 1, label="analyze") as progress:
        analysis = pipeline.analyze_path(
            path,
            published=published,
            outlet=outlet,
            url=url,
            title=title,
            model=model,
            registry_files=registry_files,
            check_language=not no_language_check,
            max_bytes=readers.parse_size(max_bytes),
            chunk_progress=progress.chunk,
            gate=not no_gate,
        )
    for warning in analysis.document.warnings:
        _warn(warning)
    if fmt == "json":
        if not analysis.document.published:
            _warn(report.NO_PUBLISHED_HINT)
        _json(analysis.to_dict())
    else:
        _print(report.analysis_report(analysis))


@cli.command()
@click.option("--corpus", metavar="DIR", default=None, help="A folder with an index.yaml (default: the bundled sample corpus).")
@click.option("--db", metavar="FILE", default=None, help="The demo database, made afresh (default: ./readout-demo.db).")
@click.option("--documents", is_flag=True, help="Instead: analyze each document and print its report (no database).")
@format_option
@model_option
@registry_option
def demo(corpus: str | None, db: str | None, documents: bool, fmt: str, model: str | None, registry_files: tuple[str, ...]) -> None:
    """Ingest the sample corpus that ships with readout into a fresh database, then print the
    channel board of each of its dyads and the two sides' accounts of one engagement. An
    earlier demo database is replaced; any other file at --db is left alone (an error).

    \b
    Example:
        readout demo
        readout demo --documents            # a report per document, no database
        readout demo --documents --format json > demo.json
    """
    if documents:
        analyses = demo_mod.run_demo(corpus, model=model, registry_files=registry_files)
        if fmt == "json":
            _json([a.to_dict() for a in analyses])
        else:
            _print(report.demo_report(analyses))
        return
    with report.ingest_progress(lambda: inputs.count_inputs([corpus or str(demo_mod.corpus_dir())])) as progress:
        result = demo_mod.run_tracker_demo(corpus, db=db, model=model, registry_files=registry_files, progress=progress)
    if fmt == "json":
        _json({
            "ingest": result.summary.to_dict(),
            "boards": result.boards,
            "comparison": result.comparison.to_dict() if result.comparison else None,
        })
    else:
        _print(views.tracker_demo(result))


# ---------------------------------------------------------------- the tracker: ingest and queries
db_option = click.option(
    "--db",
    metavar="FILE",
    default=None,
    help="The database (default: READOUT_DB, else ./readout.db).",
)
output_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(output.FORMATS),
    default="table",
    show_default=True,
    help="table for people; json, jsonl or csv for programs.",
)


def _emit(fmt: str, data: Any, rows: list[dict[str, Any]] | None, view: Any, columns: tuple[str, ...] | None = None) -> None:
    """Print a query's result: ``view()`` as a table, else ``data``/``rows`` for programs
    (``columns``: the CSV header of an empty result)."""
    if fmt == "table":
        _print(view())
    else:
        click.echo(output.render(data, fmt, rows, columns), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, metavar="PATH...")
@db_option
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date for documents that carry none.")
@click.option("--outlet", metavar="NAME", help="Outlet for documents that name none.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="text: a summary for people; json: for programs.")
@model_option
@registry_option
@click.option("--no-language-check", is_flag=True, help="Process texts even if they do not look English.")
@max_bytes_option
@gate_option
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, envvar="READOUT_WORKERS",
              help="Analyze in this many processes (the model loaded once in each; one process writes). "
                   "Up to the number of cores helps; each takes about 0.5 GB.")
@click.option("--scheduler", metavar="tcp://HOST:PORT", envvar="READOUT_SCHEDULER", default=None,
              help="Analyze on the workers of this Dask cluster (needs readout[dask]); this process still writes.")
@text_column_option
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    published: str | None,
    outlet: str | None,
    fmt: str,
    model: str | None,
    registry_files: tuple[str, ...],
    no_language_check: bool,
    max_bytes: str | None,
    no_gate: bool,
    workers: int,
    scheduler: str | None,
    text_column: str,
) -> None:
    """Analyze documents and add them to the database: .txt, .md and .html files, folders
    (recursively; an index.yaml gives metadata), .jsonl/.csv files with one document per record
    (text, title, published, outlet, url), .parquet files with one per row (read a row group at
    a time; --text-column names the text's column), or - for standard input. A folder that
    analyze-corpus wrote is loaded from its shards without analyzing again.

    In folders, the database itself, hidden files and files of other types (images, PDFs,
    office documents, archives) are skipped and counted. Idempotent: a document already in the
    database is skipped; one given with new metadata (--outlet, --published) is updated, and
    its records analyzed again. Inputs that cannot be read are recorded with their reason
    (readout failures) and the rest go on; the exit status is 2 when any failed, else 0.

    \b
    Example:
        readout ingest articles/ --db china-us.db
        readout ingest call.txt --published 2023-12-22 --outlet "Global Times"
        readout ingest feed.jsonl
        readout ingest archive/ --workers 2      # one process per core
        readout ingest archive/ --scheduler tcp://10.0.0.5:8786   # a Dask cluster
        readout ingest news.parquet --text-column body
        readout ingest shards/                    # what analyze-corpus --to shards/ wrote
    """
    exclude = inputs.database_files(db_path(db))
    with report.ingest_progress(lambda: inputs.count_inputs(paths, exclude)) as progress:
        summary = ingest_documents(
            paths,
            db=db,
            published=published,
            outlet=outlet,
            model=model,
            registry_files=registry_files,
            check_language=not no_language_check,
            progress=progress.document,
            chunk_progress=progress.chunk,
            max_bytes=max_bytes,
            gate=not no_gate,
            workers=workers,
            scheduler=scheduler,
            text_column=text_column,
        )
    if fmt == "json":
        _json(summary.to_dict())
    else:
        _print(report.ingest_summary(summary))
    if summary.failed:
        sys.exit(InputError.exit_code)


@cli.command("analyze-corpus")
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option("--to", "to", required=True, metavar="DIR", help="The folder of shards (made if missing; a rerun keeps what is there).")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date for documents that carry none.")
@click.option("--outlet", metavar="NAME", help="Outlet for documents that name none.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="text: a summary for people; json: for programs.")
@model_option
@registry_option
@click.option("--no-language-check", is_flag=True, help="Process texts even if they do not look English.")
@max_bytes_option
@gate_option
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, envvar="READOUT_WORKERS",
              help="Analyze in this many processes (the model loaded once in each).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", envvar="READOUT_SCHEDULER", default=None,
              help="Analyze on the workers of this Dask cluster (needs readout[dask]); this process writes the shards.")
@click.option("--shard-size", type=click.IntRange(min=1), default=DEFAULT_SHARD_SIZE, show_default=True,
              help="Inputs per shard: the unit of work and of resuming.")
@text_column_option
def analyze_corpus(
    paths: tuple[str, ...],
    to: str,
    published: str | None,
    outlet: str | None,
    fmt: str,
    model: str | None,
    registry_files: tuple[str, ...],
    no_language_check: bool,
    max_bytes: str | None,
    no_gate: bool,
    workers: int,
    scheduler: str | None,
    shard_size: int,
    text_column: str,
) -> None:
    """Analyze documents (the inputs ingest reads) into Parquet shards in DIR, one per batch,
    without a database; then 'readout ingest DIR' loads them without analyzing again. A shard
    is written whole or not at all, and one already in DIR is kept: run the same command again
    after a crash and only the missing batches are analyzed. The gate's rejections and the
    inputs that failed are kept in the shards too, with the reason.

    \b
    Example:
        readout analyze-corpus archive/ --to shards/ --workers 2
        readout analyze-corpus news.parquet --text-column body --to shards/ --scheduler tcp://10.0.0.5:8786
        readout ingest shards/ --db archive.db
    """
    with report.ingest_progress(lambda: inputs.count_inputs(paths), label="analyze") as progress:
        summary = analyze_corpus_documents(
            paths,
            to=to,
            published=published,
            outlet=outlet,
            model=model,
            registry_files=registry_files,
            check_language=not no_language_check,
            max_bytes=max_bytes,
            text_column=text_column,
            gate=not no_gate,
            workers=workers,
            scheduler=scheduler,
            shard_size=shard_size,
            progress=progress.document,
        )
    if fmt == "json":
        _json(summary.to_dict())
    else:
        _print(report.corpus_summary(summary))
    if summary.failed or summary.lost:
        sys.exit(InputError.exit_code)


@cli.command()
@click.option("--dyad", required=True, metavar="XXX-YYY", help="Two ISO 3166 alpha-3 country codes, e.g. CHN-USA.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The day to show (default: today).")
@click.option("--known-on", "known_on", metavar="YYYY-MM-DD",
              help="Draw the board from the documents published by this day only: what was known then (default: all).")
@db_option
@output_option
def channels(dyad: str, as_of: str | None, known_on: str | None, db: str | None, fmt: str) -> None:
    """The channel board of a dyad: each dialogue channel, its state as of a date, since when,
    when last held, how many sources and which sides say so. Channels under an umbrella
    (military-to-military communication) take in its suspensions and agreements to resume,
    marked "inherited", until their own later news.

    \b
    Example:
        readout channels --dyad CHN-USA --as-of 2023-12-22
        readout channels --dyad CHN-USA --as-of 2023-01-01 --known-on 2023-01-01
        readout channels --dyad CHN-USA --format csv > board.csv
    """
    with open_store(db, read_only=True) as store:
        rows = queries.channel_board(store, dyad, as_of, known_on=known_on)
    _emit(fmt, rows, None, lambda: report.board_table(rows), queries.BOARD_COLUMNS)


@cli.command()
@click.argument("channel")
@click.option("--known-on", "known_on", metavar="YYYY-MM-DD", help="Only from the documents published by this day (default: all).")
@db_option
@output_option
def timeline(channel: str, known_on: str | None, db: str | None, fmt: str) -> None:
    """One channel's history: each interval (active, suspended, resumption pending, dormant)
    with the assertions behind it, their side and evidence; those said of an umbrella the
    channel belongs to are marked inherited. CHANNEL is an id, its start, or a name.

    \b
    Example:
        readout timeline chn-usa-mmca
        readout timeline "defense policy coordination talks" --format json
        readout timeline chn-usa-chiefs-of-defense --known-on 2023-06-01
    """
    with open_store(db, read_only=True) as store:
        result = queries.timeline(store, channel, known_on=known_on)
    _emit(fmt, result.to_dict(), result.to_rows(), lambda: report.timeline_view(result), queries.TIMELINE_COLUMNS)


@cli.command()
@click.option("--dyad", metavar="XXX-YYY", help="Only this dyad, e.g. CHN-USA.")
@click.option("--actor", metavar="NAME", help="Only engagements this actor took part in (a name or id).")
@click.option("--kind", metavar="KIND", help="call, video_call, meeting, talks, summit, visit (comma-separated).")
@click.option("--status", metavar="STATUS",
              help="held, planned, proposed, requested, declined, cancelled, postponed (comma-separated); default: all.")
@click.option("--since", metavar="DATE", help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Up to this date.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many.")
@db_option
@output_option
def engagements(
    dyad: str | None, actor: str | None, kind: str | None, status: str | None, since: str | None, until: str | None,
    limit: int | None, db: str | None, fmt: str
) -> None:
    """Engagements (calls, meetings, talks, visits), each merged from every document that
    reports it, with its status (held, or planned, requested, declined, cancelled... when it
    did not take place), its sources and the sides that report it.

    \b
    Example:
        readout engagements --dyad CHN-USA --since 2023
        readout engagements --status planned,postponed       # what is coming
        readout engagements --actor "Dong Jun" --format jsonl
    """
    with open_store(db, read_only=True) as store:
        rows = queries.engagements(store, dyad=dyad, actor=actor, kind=kind, since=since, until=until, limit=limit, status=status)
    _emit(fmt, rows, None, lambda: report.engagements_table(rows), queries.ENGAGEMENT_COLUMNS)


@cli.command()
@click.option("--speaker", metavar="NAME", help="Only this speaker (a name or id).")
@click.option("--side", metavar="CODE", help="Only statements for this side (a country code, e.g. CHN).")
@click.option("--topic", metavar="TOPIC", help="Only statements on this topic (readout registry show topics).")
@click.option("--engagement", metavar="ID", help="Only statements about this engagement (an id or its start).")
@click.option("--search", metavar="TEXT", help="Only statements containing these words (full-text search).")
@click.option("--since", metavar="DATE", help="Published from this date.")
@click.option("--until", metavar="DATE", help="Published up to this date.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many.")
@db_option
@output_option
def statements(
    speaker: str | None,
    side: str | None,
    topic: str | None,
    engagement: str | None,
    search: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
    db: str | None,
    fmt: str,
) -> None:
    """Who said what for which side: statements with speaker, side, topics and source.

    \b
    Example:
        readout statements --side CHN --topic taiwan
        readout statements --search "miscalculation" --format csv
    """
    with open_store(db, read_only=True) as store:
        rows = queries.statements(
            store, speaker=speaker, side=side, topic=topic, engagement=engagement, search=search, since=since, until=until, limit=limit
        )
    _emit(fmt, rows, None, lambda: report.statements_table(rows), queries.STATEMENT_COLUMNS)


@cli.command()
@click.argument("engagement")
@click.option("--explain", is_flag=True, help="Also list the statements behind each side's tone.")
@db_option
@output_option
def compare(engagement: str, explain: bool, db: str | None, fmt: str) -> None:
    """The two sides' accounts of one engagement side by side: statements by side and source,
    the topics each side raised, points both made and points only one made, terms one side
    repeats (with counts), and each side's tone. ENGAGEMENT is an id or its start
    (readout engagements lists them).

    \b
    Example:
        readout compare eng-0759d76300e3
        readout compare eng-0759 --format json
        readout compare eng-0759 --explain
    """
    with open_store(db, read_only=True) as store:
        result = compare_mod.compare(store, engagement)
    _emit(fmt, result.to_dict(), result.to_rows(), lambda: views.compare_view(result, explain=explain))


@cli.command()
@click.option("--dyad", metavar="XXX-YYY", help="Instead of the list: this dyad's cooperation-conflict index per period.")
@click.option("--by", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True, help="The period of the index.")
@click.option("--since", metavar="DATE", help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Up to this date.")
@click.option("--explain", is_flag=True, help="List the coded events and statements behind each figure (and those left out, with why).")
@db_option
@output_option
def dyads(dyad: str | None, by: str, since: str | None, until: str | None, explain: bool, db: str | None, fmt: str) -> None:
    """Every dyad in the database with its counts and a cooperation-conflict index (PLOVER
    scores of its coded events and statements); with --dyad, that dyad's index per month.

    \b
    Example:
        readout dyads
        readout dyads --dyad CHN-USA --by quarter --format csv
        readout dyads --dyad CHN-TWN --explain
    """
    with open_store(db, read_only=True) as store:
        if explain:
            rows = dyads_mod.explain(store, dyad, by=by if dyad else None, since=since, until=until)
            _emit(fmt, rows, None, lambda: views.dyads_explain_view(rows), dyads_mod.EXPLAIN_COLUMNS)
        elif dyad:
            rows = dyads_mod.dyad_index(store, dyad, by=by, since=since, until=until)
            _emit(fmt, rows, None, lambda: views.dyad_index_view(rows), dyads_mod.INDEX_COLUMNS)
        else:
            rows = dyads_mod.dyads(store, since=since, until=until)
            _emit(fmt, rows, None, lambda: views.dyads_view(rows), dyads_mod.DYAD_COLUMNS)


@cli.command()
@click.option("--to", "to", required=True, metavar="DIR|FILE", help="The folder for the table files (a file with --timeline).")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), default="csv", show_default=True, help="The tables' file format.")
@click.option("--table", "tables", multiple=True, metavar="NAME", help="Only this table; repeat for several.")
@click.option("--timeline", metavar="CHANNEL|DYAD", help="Instead: one channel's or dyad's timeline as TimelineJS JSON.")
@db_option
def export(to: str, fmt: str, tables: tuple[str, ...], timeline: str | None, db: str | None) -> None:
    """Write the database's tables, one file per table (and events_plover, the events in the
    columns event-data users expect), or a timeline in the TimelineJS format.

    \b
    Example:
        readout export --to out/ --format parquet
        readout export --timeline chn-usa-mmca --to mmca-timeline.json
        readout export --timeline CHN-USA --to china-us.json
    """
    if timeline:
        done = export_mod.export_timelinejs(db, to, timeline)
        click.echo(f"wrote {done['events']} timeline events to {done['path']}")
        return
    result = export_mod.export_store(db, to, fmt, tables or None)
    _print(report.export_summary(result))


@cli.command()
@db_option
@output_option
def failures(db: str | None, fmt: str) -> None:
    """Inputs that could not be ingested, with the reason for each.

    \b
    Example:
        readout failures --db china-us.db
    """
    with open_store(db, read_only=True) as store:
        rows = queries.failures(store)
    _emit(fmt, rows, None, lambda: output.table(rows, ["source", "code", "reason", "run", ("failed_at", "when")], title="Failed inputs",
                                                wide=("reason",)), queries.FAILURE_COLUMNS)


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="text for people; json for programs.")
def check(db: str | None, fmt: str) -> None:
    """Check the database: SQLite's integrity and foreign keys, and that every aggregate agrees
    with its sources (engagements with their reports, channel timelines with their assertions,
    statements with their engagements, evidence with the documents' text, full-text indexes).
    Read-only. Exit status 6 when it finds problems.

    \b
    Example:
        readout check --db china-us.db
        readout check --format json
    """
    result = maintain.check_store(db)
    if fmt == "json":
        _json(result.to_dict())
    else:
        _print(report.check_view(result))
    if not result.ok:
        sys.exit(CheckFailedError.exit_code)


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="text for people; json for programs.")
def rebuild(db: str | None, fmt: str) -> None:
    """Recompute every aggregate from the documents' own records: engagements merged again
    from their reports, statements linked to them, every channel timeline, the full-text
    indexes. Also brings a database made by an earlier readout up to date.

    \b
    Example:
        readout rebuild --db china-us.db && readout check --db china-us.db
    """
    result = maintain.rebuild_store(db)
    if fmt == "json":
        _json(result.to_dict())
    else:
        _print(report.rebuild_view(result))


@cli.command()
@click.argument("to", metavar="FILE")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="text for people; json for programs.")
def backup(to: str, db: str | None, fmt: str) -> None:
    """Copy the database to FILE (a new file) safely, even while an ingest writes (SQLite's
    online backup API), and check the copy. Exit status 6 if the copy does not check clean.

    \b
    Example:
        readout backup china-us-2024-06-01.db --db china-us.db
    """
    result = maintain.backup(db, to)
    if fmt == "json":
        _json(result.to_dict())
    else:
        _print(report.backup_view(result))
    if not result.check.ok:
        sys.exit(CheckFailedError.exit_code)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on (another than loopback exposes the database).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--allow-ingest", is_flag=True, help="Accept POST /api/v1/documents with the READOUT_TOKEN bearer token.")
@click.option("--max-upload", type=click.IntRange(min=1), default=2 * 1024 * 1024, show_default=True, metavar="BYTES",
              help="The largest POST /api/v1/documents body.")
@click.option("--no-cache", is_flag=True, help="Compute every API answer afresh (by default answers are kept until the database changes).")
def serve(db: str | None, host: str, port: int, workers: int, allow_ingest: bool, max_upload: int, no_cache: bool) -> None:
    """Serve the database read-only as web pages (channel boards, timelines, comparisons,
    documents with their evidence highlighted, search) and a JSON API under /api/v1/ (the
    same JSON as --format json; OpenAPI at /docs). Needs the [web] extra.

    \b
    Example:
        readout serve --db readout-demo.db          # then open http://127.0.0.1:8000/
        curl -s 'http://127.0.0.1:8000/api/v1/board?dyad=CHN-USA&as_of=2023-12-22'
        READOUT_TOKEN=... readout serve --allow-ingest --port 8080
    """
    try:
        from .web.server import serve as serve_web
    except ImportError as exc:
        raise ReadoutError(f"readout serve needs the web extra ({exc.name} is missing): pip install 'readout[web]'") from None
    serve_web(db, host=host, port=port, workers=workers, allow_ingest=allow_ingest, max_body=max_upload, cache=not no_cache)


@cli.group()
def registry() -> None:
    """Check and browse the knowledge files (countries, people, channels, verbs...).

    \b
    Example:
        readout registry check --registry my-people.yaml
        readout registry show channels --country CHN
    """


@registry.command("check")
@registry_option
def registry_check(registry_files: tuple[str, ...]) -> None:
    """Validate the package's knowledge files, READOUT_REGISTRY and --registry files, and
    count the entries of each section. An error names the file and line.

    \b
    Example:
        readout registry check --registry my-people.yaml
    """
    _print(report.registry_check(registry_mod.load_registry(registry_files)))


@registry.command("show")
@click.argument("section", type=click.Choice(registry_mod.SECTIONS))
@click.option("--country", metavar="CODE", help="Only entries of this country (ISO 3166-1 alpha-3, e.g. CHN).")
@registry_option
def registry_show(section: str, country: str | None, registry_files: tuple[str, ...]) -> None:
    """Show one section of the knowledge files as a table.

    \b
    Example:
        readout registry show people --country CHN
        readout registry show channels --country USA
    """
    _print(report.registry_table(registry_mod.load_registry(registry_files), section, country=country))


eval_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table for people; json: the numbers for programs.",
)
eval_errors_option = click.option(
    "--errors", "n_errors", type=click.IntRange(min=0), default=0, metavar="N",
    help="Also list the N worst misses and false alarms, with their text.",
)


def _eval_output(result: dict[str, Any], fmt: str, render: Any) -> None:
    if fmt == "json":
        _json(result)
    else:
        click.echo(render(result))


@cli.group("eval")
def eval_group() -> None:
    """Measure readout's accuracy against human-annotated gold data.

    \b
    Example:
        readout eval quotes --gold ../shared/eval/polnear/dev.jsonl
        readout eval events --gold ../shared/eval/plover/gold-records.jsonl --errors 10
        readout eval corpus --format json
    """


@eval_group.command("quotes")
@click.option("--gold", "gold", required=True, metavar="FILE", help="PolNeAR JSONL: one {doc_id, text, attributions} per line.")
@click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N", help="Score only the first N documents.")
@eval_format_option
@eval_errors_option
@model_option
def eval_quotes(gold: str, limit: int | None, fmt: str, n_errors: int, model: str | None) -> None:
    """Quote attribution on PolNeAR-form gold: precision, recall and F1 of quote detection at
    overlap 0.3 and 0.8 and exact match, speaker and cue accuracy on matched quotes, and
    quote+speaker F1, overall and by quote type (direct, mixed, indirect), with counts.

    \b
    Example:
        readout eval quotes --gold ../shared/eval/polnear/dev.jsonl --errors 20
    """
    from .evaluate import quotes

    _eval_output(quotes.evaluate_quotes(gold, limit=limit, model=model, errors=n_errors), fmt, quotes.format_report)


@eval_group.command("events")
@click.option("--gold", "gold", required=True, metavar="FILE", help="PLOVER gold records, JSONL: text, actor, recipient, event_plover_v2, mode.")
@eval_format_option
@eval_errors_option
@model_option
@registry_option
def eval_events(gold: str, fmt: str, n_errors: int, model: str | None, registry_files: tuple[str, ...]) -> None:
    """Event coding on PLOVER gold records: per sentence, the (actor country, recipient country,
    event type) set against the gold; P/R/F1 at type and type+mode level, and a confusion table.

    \b
    Example:
        readout eval events --gold ../shared/eval/plover/gold-records.jsonl --errors 10
    """
    from .evaluate import events

    result = events.evaluate_events(gold, model=model, registry_files=registry_files, errors=n_errors)
    _eval_output(result, fmt, events.format_report)


@eval_group.command("corpus")
@click.option("--gold", "gold", default=None, metavar="FILE|DIR",
              help="Expected records in readout's form (default: the sample corpus's expected.yaml; an index.yaml beside it "
                   "lists the documents), or a corpus folder like eval/readouts (index.yaml with splits, texts/, gold/).")
@click.option("--split", default=None, metavar="NAME", help="Score only the documents of this split (dev or test).")
@eval_format_option
@eval_errors_option
@model_option
@registry_option
def eval_corpus(gold: str | None, split: str | None, fmt: str, n_errors: int, model: str | None, registry_files: tuple[str, ...]) -> None:
    """Records against gold in readout's own form, matched on meaning: engagements (kind,
    status, dyad, date at its precision, a shared participant; fields scored on a looser
    pairing), channel status (channel, status), statements (speaker, content), events (type,
    target). A corpus folder with splits is scored per split as well.

    The gold file is YAML, 'documents:' a list of {file, engagements, channel_status,
    statements, events} (see the sample corpus's expected.yaml). Its documents are read from
    the index.yaml in the same folder (file, published, outlet, title per document, as for
    'readout demo --corpus DIR'); each gold 'file' must be listed there.

    \b
    Example:
        readout eval corpus
        readout eval corpus --gold my-annotations/expected.yaml --errors 10
        readout eval corpus --gold eval/readouts --split dev --errors 20
    """
    from .evaluate import corpus

    result = corpus.evaluate_corpus(gold, model=model, registry_files=registry_files, errors=n_errors, split=split)
    _eval_output(result, fmt, corpus.format_report)


def main(argv: list[str] | None = None) -> None:
    """The ``readout`` console script."""
    cli.main(args=argv, prog_name="readout")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])

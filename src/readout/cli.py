"""The ``readout`` command. Each command parses its options, calls one library function and
prints the result; the work is done in the library.

Errors: a ``ReadoutError`` is printed as one line, ``error: <message>``, on standard error and
the command exits with the error's ``exit_code``; warnings are printed as ``warning: ...``.
Anything else is a bug: one line says so, and ``readout --debug ...`` shows the traceback.
"""

from __future__ import annotations

import json
import sys
import warnings
from typing import Any

import click
from rich.console import Console, RenderableType

from . import __version__, pipeline, report
from . import demo as demo_mod
from . import registry as registry_mod
from .errors import ReadoutError

EXIT_BUG = 70  # EX_SOFTWARE: an unexpected exception, i.e. a bug in readout
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
        click.echo(report.to_text(renderable, width=console.width), nl=False)


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
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, BrokenPipeError):
            raise
        except ReadoutError as exc:
            if debug:
                raise
            click.echo(f"error: {_one_line(exc.message)}", err=True)
            ctx.exit(exc.exit_code)
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
) -> None:
    """Analyze one document: a .txt, .md or .html file, or - for standard input.

    \b
    Example:
        readout analyze article.txt --published 2023-12-22 --outlet "Global Times"
        curl -s https://example.org/news/call | readout analyze - --format json
    """
    analysis = pipeline.analyze_path(
        path,
        published=published,
        outlet=outlet,
        url=url,
        title=title,
        model=model,
        registry_files=registry_files,
        check_language=not no_language_check,
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
@format_option
@model_option
@registry_option
def demo(corpus: str | None, fmt: str, model: str | None, registry_files: tuple[str, ...]) -> None:
    """Analyze the sample corpus that ships with readout, in one batch, and print a short
    report per document and a summary table.

    \b
    Example:
        readout demo
        readout demo --format json > demo.json
    """
    analyses = demo_mod.run_demo(corpus, model=model, registry_files=registry_files)
    if fmt == "json":
        _json([a.to_dict() for a in analyses])
    else:
        _print(report.demo_report(analyses))


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


def main(argv: list[str] | None = None) -> None:
    """The ``readout`` console script."""
    cli.main(args=argv, prog_name="readout")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])

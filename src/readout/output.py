"""One set of output formats for every query command: a table for people; JSON, JSONL and
CSV for programs.

- ``json``: the whole result, indented (a list of rows, or an object for results with parts);
- ``jsonl``: one JSON object per line, a row each;
- ``csv``: a header and a row each; lists and objects in a cell are JSON text;
- ``table``: the columns that matter to a reader, long texts cut, built with rich.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.table import Table

from .report import DASH, abbreviate

FORMATS = ("table", "json", "jsonl", "csv")
CELL_CHARS = 90


def _columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        for k in r:
            seen.setdefault(k, None)
    return list(seen)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_jsonl(rows: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    cols = list(columns or _columns(rows))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in cols])
    return buf.getvalue()


def _show(value: Any, limit: int) -> str:
    if value is None or value == [] or value == "":
        return DASH
    if isinstance(value, bool):
        return "yes" if value else DASH
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or DASH
    return abbreviate(str(value), limit)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str | tuple[str, str]], *, title: str | None = None, wide: Sequence[str] = ()) -> Table:
    """A rich table of ``rows`` with ``columns`` (a key, or (key, heading))."""
    t = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", show_lines=False)
    keys = []
    for c in columns:
        key, heading = (c, c.replace("_", " ")) if isinstance(c, str) else c
        keys.append(key)
        t.add_column(heading, overflow="fold", ratio=3 if key in wide else None)
    for r in rows:
        t.add_row(*[_show(r.get(k), CELL_CHARS * 2 if k in wide else CELL_CHARS) for k in keys])
    if not rows:
        t.caption = "nothing found"
    return t


def render(data: Any, fmt: str, rows: Sequence[dict[str, Any]] | None = None, columns: Sequence[str] | None = None) -> str:
    """``data`` as JSON, or ``rows`` (default: ``data``) as JSONL or CSV. ``columns`` are the
    CSV header when there are no rows (an empty result still says what its columns are)."""
    flat = list(rows if rows is not None else data)
    if fmt == "json":
        return to_json(data)
    if fmt == "jsonl":
        return to_jsonl(flat)
    if fmt == "csv":
        return to_csv(flat, None if flat else columns)
    raise ValueError(f"not a program format: {fmt}")

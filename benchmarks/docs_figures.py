"""Write a benchmark's figures into docs/benchmarks.md, between its markers.

Each benchmark owns one section of the page, delimited by `<!-- bench:NAME -->` and
`<!-- /bench:NAME -->`; `--update-docs` replaces what lies between them and leaves the rest of
the page (context, baselines, hand-written notes) untouched.
"""
from __future__ import annotations

import os
import platform
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

DOCS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
_NAME = re.compile(r"[a-z0-9_-]+")


class MarkerError(ValueError):
    """The page lacks a section's markers, or has them twice, or in the wrong order."""


def _markers(name: str) -> tuple[str, str]:
    if not _NAME.fullmatch(name):
        raise ValueError(f"section name {name!r}: use lower-case letters, digits, '_' or '-'")
    return f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"


def replace_section(text: str, name: str, markdown: str) -> str:
    """The page text with the section `name` replaced by `markdown`; raises MarkerError."""
    start_marker, end_marker = _markers(name)
    for marker in (start_marker, end_marker):
        count = text.count(marker)
        if count != 1:
            found = "is missing" if count == 0 else f"appears {count} times"
            raise MarkerError(f"marker {marker} {found}: the page needs exactly one "
                              f"{start_marker} ... {end_marker} pair")
    start = text.index(start_marker) + len(start_marker)
    end = text.index(end_marker)
    if end < start:
        raise MarkerError(f"{end_marker} comes before {start_marker}")
    return text[:start] + "\n" + markdown.strip("\n") + "\n" + text[end:]


def write_section(name: str, markdown: str, path: Path | str = DOCS_PAGE) -> None:
    """Replace the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` in `path`."""
    path = Path(path)
    if not path.exists():
        raise MarkerError(f"{path} does not exist: there is no page to write section {name!r} into")
    updated = replace_section(path.read_text(encoding="utf-8"), name, markdown)
    # Write beside, then rename: an interrupted run never leaves a half-written page.
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(updated, encoding="utf-8")
    os.replace(scratch, path)
    print(f"figures written to {path} (section {name})", file=sys.stderr)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured markdown table; `|` in a cell is escaped."""
    def line(cells: Sequence[object]) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(headers), line(["---"] * len(headers)), *map(line, rows)])


def run_stamp(command: str) -> str:
    """One line saying when, where and how the figures below it were measured."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f"Measured {when} by `{command}` on {os.cpu_count()} cores, "
            f"Python {platform.python_version()}.")

"""Writing a checked CSV file into the log: its accepted lines in one transaction, or nothing.

A file imports whole or not at all. When some lines are refused the import stops before
writing (CsvRefused lists every refused line), unless the operator has seen them and chosen to
import the other lines only (`skip_refused`, the dialog's Import button after its preview).
The lines then go through EventLog.create_events: one SQLite transaction for the events and
their outbox entries, so a crash or a kill leaves none of them, and importing again completes.
"""
from __future__ import annotations

from console.models.actor import Actor
from console.models.eventlog.bulk import present
from console.models.eventlog.log import EventLog
from console.models.exchange.csvimport import CsvError, CsvPreview, Progress
from console.models.exchange.importing import ImportReport


class CsvRefused(CsvError):
    """Some lines are refused and the import was not told to leave them out: nothing written."""

    def __init__(self, preview: CsvPreview) -> None:
        self.preview = preview
        listed = "".join(f"\n  line {number}: {why}" for number, why in preview.refused)
        super().__init__(
            f"refused: {len(preview.refused):,} of {preview.total:,} lines cannot be imported, "
            f"so nothing was imported; correct them, or import the other lines only:{listed}")


def part(progress: Progress | None, low: float, high: float) -> Progress | None:
    """A step's progress mapped onto [low, high] of the whole operation's."""
    if progress is None:
        return None
    whole = progress

    def step(fraction: float, text: str = "") -> None:
        whole(low + (high - low) * fraction, text)
    return step


def write_lines(eventlog: EventLog, actor: Actor, preview: CsvPreview, *, dry_run: bool = False,
                progress: Progress | None = None) -> ImportReport:
    """Import the accepted lines of a preview (all or none); refused lines are only reported."""
    entries = [line.checked for line in preview.accepted]
    labels = {line.checked.event_id: f"line {line.number}" for line in preview.accepted}
    report = ImportReport(refused=[(f"line {number}", why) for number, why in preview.refused])
    if dry_run:
        with eventlog.store.session() as session:
            already = present(session, entries)
        report.created = [entry.event_id for entry in entries if entry.event_id not in already]
    else:
        report.created, already, report.changes = eventlog.create_events(
            actor, entries, progress=progress)
    report.already_present = [labels[entry.event_id] for entry in entries
                              if entry.event_id in already]
    return report

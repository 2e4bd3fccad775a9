"""What the user sees: the live build table with progress bars, and the saved report."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from golfkit.errors import UsageError
from golfkit.stages import StageVerdict

VERDICT_STYLE = {
    StageVerdict.VERIFIED: "green",
    StageVerdict.PARTIAL: "yellow",
    StageVerdict.REJECTED: "red",
    StageVerdict.ERROR: "red",
    StageVerdict.NO_CHANGE: "dim",
    StageVerdict.NOT_SHORTER: "dim",
    StageVerdict.SKIPPED: "dim",
}
# Verdicts whose reason the table shows after them.
EXPLAINED = (StageVerdict.REJECTED, StageVerdict.ERROR, StageVerdict.PARTIAL, StageVerdict.NOT_SHORTER,
             StageVerdict.SKIPPED)


def _signed(value: int) -> str:
    return f"{value:+d}" if value else "0"


def _row(stage: dict) -> list[str]:
    verdict = stage["verdict"]
    style = VERDICT_STYLE.get(verdict, "")
    parity = verdict
    if verdict == StageVerdict.PARTIAL:
        parity = f"partial {stage['edits_kept']}/{stage['edits_total']}"
    if stage.get("reason") and verdict in EXPLAINED:
        parity += f": {stage['reason']}"
    elif stage.get("reason") and stage["name"] == "pack":
        parity += f" ({stage['reason']})"
    if stage.get("known_broken_skipped"):
        parity += f" ({stage['known_broken_skipped']} skipped as known to break)"
    if stage.get("cached"):
        parity += " (cached)"
    seconds = stage.get("pass_seconds") or 0.0
    if stage.get("run_seconds") is not None:
        seconds += stage["run_seconds"]
    ratio = stage.get("runtime_ratio")
    return [
        str(stage["step"]),
        stage["name"] + ("" if stage["round"] <= 1 else f" (r{stage['round']})"),
        str(stage["chars"]),
        str(stage["bytes"]),
        str(stage["deflate"]),
        _signed(stage["delta_chars"]),
        _signed(stage["delta_bytes"]),
        f"[{style}]{parity}[/{style}]" if style else parity,
        f"{seconds:.1f}s",
        "" if ratio is None else f"{ratio:.2f}x",
    ]


COLUMNS = ("#", "pass", "chars", "bytes", "deflate", "Δchars", "Δbytes", "parity", "time", "runtime")


def stage_table(report: dict) -> Table:
    title = f"golfkit build {report['source']} --target {report['target']}"
    if report.get("overrides"):
        title += "  [bold yellow]QUICK BUILD under " + " ".join(
            f"{k}={v}" for k, v in report["overrides"].items()) + " (not the real result)[/]"
    table = Table(title=title)
    for column in COLUMNS:
        table.add_column(column, justify="right" if column not in ("pass", "parity") else "left",
                         overflow="fold")
    reference = report["reference"]
    table.add_row("0", "reference", str(reference["chars"]), str(reference["bytes"]), str(reference["deflate"]),
                  "", "", "[green]reference[/]", f"{reference['seconds']:.1f}s", "1.00x")
    for stage in report["stages"]:
        table.add_row(*_row(stage))
    final = report["final"]
    table.caption = (f"{final['file']}: {final['chars']} chars, {final['bytes']} bytes, verified; "
                     f"{report['runs_made']} runs made, {report['wall_seconds']:.0f} s")
    if report.get("known_broken_skipped"):
        table.caption += f"; {report['known_broken_skipped']} sites skipped as known to break"
    if report.get("precheck_interpreter"):
        table.caption += f"; intermediates pre-checked under {report['precheck_interpreter']}"
    if report.get("trace_note"):
        table.caption += f"; {report['trace_note']}"
    if report.get("precheck_refused"):
        table.caption += f"; {report['precheck_refused']}"
    for failure in report.get("confirmation_failures") or ():
        table.caption += f"; pre-checked stage failed under the target: {failure}"
    return table


class ConsoleListener:
    """Prints each stage as it resolves and a progress bar per running verification."""

    def __init__(self, console: Console | None = None, quiet: bool = False):
        self.console = console or Console(stderr=True)
        self.quiet = quiet
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=self.console, transient=True, disable=quiet,
        )
        self.lock = threading.Lock()

    def __enter__(self):
        self.progress.start()
        if not self.quiet:
            self.console.print("  ".join(COLUMNS))
        return self

    def __exit__(self, *exc):
        self.progress.stop()

    def stage(self, record) -> None:
        if not self.quiet:
            self.console.print("  ".join(_row(record.to_json())))

    def run_started(self, label: str, total_lines: int):
        with self.lock:
            task = self.progress.add_task(f"verify {label}", total=total_lines or None)

        def advance(line: int):
            self.progress.update(task, completed=line)

        def finish():
            with self.lock:
                self.progress.remove_task(task)

        advance.finish = finish
        return advance


def load_report(folder: Path) -> dict:
    path = folder / "report.json"
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no build report yet; run `golfkit build` first") from None
    except (ValueError, UnicodeDecodeError):
        raise UsageError(f"{path}: unreadable report; run `golfkit build` again") from None

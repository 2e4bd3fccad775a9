"""What the user sees: the live build table with progress bars, and the saved report."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from rich import box
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


def _optional(value) -> str:
    return "" if value is None else str(value)


def _row(stage: dict) -> list[str]:
    verdict = stage["verdict"]
    style = VERDICT_STYLE.get(verdict, "")
    parity = verdict
    if verdict == StageVerdict.PARTIAL:
        parity = f"partial {stage['edits_kept']}/{stage['edits_total']}"
    if stage.get("reason") and verdict in EXPLAINED and stage["reason"] != verdict:
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
        _optional(stage.get("shipped")),
        _signed(stage["delta_chars"]),
        _signed(stage["delta_bytes"]),
        f"[{style}]{parity}[/{style}]" if style else parity,
        f"{seconds:.1f}s",
        "" if ratio is None else f"{ratio:.2f}x",
    ]


# "shipped": the size of the packed file the stage's text would make (the build's objective).
COLUMNS = ("#", "pass", "chars", "bytes", "deflate", "shipped", "Δchars", "Δbytes", "parity", "time", "runtime")
# Below this width the table keeps the columns a reader needs most, so nothing is cut.
WIDE = 120
NARROW_COLUMNS = {"chars": ("#", "pass", "chars", "shipped", "Δchars", "parity", "time"),
                  "bytes": ("#", "pass", "bytes", "shipped", "Δbytes", "parity", "time")}


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def interpreter_name(path: str | None, version: str | None) -> str:
    name = Path(path).name if path else "?"
    return f"{name} ({version})" if version else name


def built_line(path: Path, report: dict) -> str:
    """The build's last line: what it wrote, how big, verified under what."""
    final = report["final"]
    under = interpreter_name(report["interpreter"], report.get("interpreter_version"))
    quick = " (a quick build, not the real result)" if report.get("overrides") else ""
    return (f"wrote {path}: {final['chars']} chars, {final['bytes']} bytes, its full log verified under "
            f"{under}{quick}")


def judged_by(report: dict) -> str:
    """Which interpreter judged what, in one sentence."""
    target = interpreter_name(report.get("interpreter"), report.get("interpreter_version"))
    if report.get("precheck_interpreter"):
        precheck = interpreter_name(report["precheck_interpreter"], report.get("precheck_version"))
        return f"intermediates judged by {precheck}; reference, final and packed files by {target}"
    return f"every run judged by {target}"


def cases_line(report: dict) -> str:
    """The test cases a build verified on, and what that means for contract rewrites."""
    labels = []
    for case in report["cases"]:
        label = f'"{case["name"]}"' if case.get("name") else f"#{case['case']}"
        details = [f"args: {' '.join(case['args'])}"] if case["args"] else []
        if case.get("stdin_file") or case["stdin_bytes"]:
            details.append(f"stdin: {case.get('stdin_file') or str(case['stdin_bytes']) + ' bytes'}")
        if case["files"]:
            details.append("files: " + ", ".join(case["files"]))
        labels.append(f"{label} ({'; '.join(details) or 'no input'})")
    line = f"verified on {plural(len(labels), 'case')}: {', '.join(labels)}"
    if report.get("contract_passes"):
        line += "; contract rewrites hold for these cases only"
    return line


def stage_table(report: dict, all_rows: bool = False, width: int | None = None) -> Table:
    """The build's table; rows that changed nothing are left out unless ``all_rows``; narrower
    than WIDE columns, the table keeps the main columns only and drops its grid."""
    title = f"golfkit build {report['source']} --target {report['target']}"
    if report.get("overrides"):
        title += "  [bold yellow]QUICK BUILD under " + " ".join(
            f"{k}={v}" for k, v in report["overrides"].items()) + " (not the real result)[/]"
    if report.get("assumed_no_input"):
        reads = ", ".join(report.get("input_reads") or ()) or "no read found"
        title += f"  [bold yellow]ASSUMING NO INPUT: empty stdin, no arguments ({reads})[/]"
    narrow = width is not None and width < WIDE
    shown = NARROW_COLUMNS.get(report["target"], COLUMNS) if narrow else COLUMNS
    table = Table(title=title, box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD, padding=(0, 1),
                  pad_edge=not narrow)
    for column in shown:
        # Pass names and numbers never break; the parity text wraps at spaces.
        table.add_column(column, justify="right" if column not in ("pass", "parity") else "left",
                         no_wrap=column != "parity", overflow="fold" if column == "parity" else "ellipsis",
                         min_width=12 if column == "parity" else None)
    keep = [COLUMNS.index(column) for column in shown]
    reference = report["reference"]
    first = ["0", "reference", str(reference["chars"]), str(reference["bytes"]), str(reference["deflate"]),
             _optional(reference.get("shipped")), "", "", "[green]reference[/]", f"{reference['seconds']:.1f}s",
             "1.00x"]
    table.add_row(*(first[index] for index in keep))
    hidden = 0
    for stage in report["stages"]:
        if not all_rows and stage["verdict"] == StageVerdict.NO_CHANGE:
            hidden += 1
            continue
        row = _row(stage)
        table.add_row(*(row[index] for index in keep))
    final = report["final"]
    table.caption = (f"{final['file']}: {final['chars']} chars, {final['bytes']} bytes, verified; "
                     f"{plural(report['runs_made'], 'run')} made, {report['wall_seconds']:.0f} s; {judged_by(report)}")
    if report.get("cases"):
        table.caption += f"; {cases_line(report)}"
    if hidden:
        table.caption += f"; {plural(hidden, 'row')} with no change not shown (--all-rows shows them)"
    if report.get("harness"):
        kept = ", ".join(report.get("kept_names") or ()) or "no name kept"
        table.caption += f"; judged through the harness {report['harness']} ({kept})"
    if report.get("bundled"):
        table.caption += f"; bundled: {plural(len(report['bundled']), 'module')} inside, runs alone"
    if report.get("modules_note"):
        table.caption += f"; {report['modules_note']}"
    if report.get("known_broken_skipped"):
        table.caption += f"; {plural(report['known_broken_skipped'], 'site')} skipped as known to break"
    if report.get("trace_note"):
        table.caption += f"; {report['trace_note']}"
    if report.get("precheck_refused"):
        table.caption += f"; {report['precheck_refused']}"
    for failure in report.get("confirmation_failures") or ():
        table.caption += f"; pre-checked stage failed under the target: {failure}"
    return table


# Without a terminal (a CI log, `| tee`), how often a line names the runs in flight.
HEARTBEAT_SECONDS = 30.0


class ConsoleListener:
    """Prints each stage as it resolves, and the runs in flight: progress bars on a terminal; a
    plain heartbeat line every HEARTBEAT_SECONDS otherwise, so a long build never looks hung."""

    def __init__(self, console: Console | None = None, quiet: bool = False,
                 heartbeat_seconds: float = HEARTBEAT_SECONDS):
        self.console = console or Console(stderr=True)
        self.quiet = quiet
        self.live = self.console.is_terminal and not quiet
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=self.console, transient=True, disable=not self.live,
        )
        self.lock = threading.Lock()
        self.in_flight: dict[int, list] = {}  # id -> [label, lines seen, lines expected, start]
        self.next_id = 0
        self.heartbeat_seconds = heartbeat_seconds
        self.stopped = threading.Event()
        self.started = time.monotonic()

    def __enter__(self):
        self.progress.start()
        if not self.quiet:
            self.console.print("  ".join(COLUMNS))
            if not self.live:
                threading.Thread(target=self._beat, daemon=True, name="golfkit-heartbeat").start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.progress.stop()

    def _beat(self) -> None:
        while not self.stopped.wait(self.heartbeat_seconds):
            self.console.print(self.heartbeat(), markup=False, highlight=False)

    def heartbeat(self) -> str:
        """One line: how long the build has run and each run in flight with its progress."""
        now = time.monotonic()
        with self.lock:
            runs = list(self.in_flight.values())
        parts = []
        for label, seen, expected, start in runs:
            progress = f"{seen}/{expected} lines" if expected else f"{seen} lines"
            parts.append(f"{label} ({progress}, {now - start:.0f} s)")
        what = "; ".join(parts) if parts else "applying passes"
        return f"[{now - self.started:.0f} s] {plural(len(runs), 'run')} in flight: {what}"

    def stage(self, record) -> None:
        if not self.quiet:
            self.console.print("  ".join(_row(record.to_json())))

    def run_started(self, label: str, total_lines: int):
        with self.lock:
            task = self.progress.add_task(f"verify {label}", total=total_lines or None)
            run_id, self.next_id = self.next_id, self.next_id + 1
            self.in_flight[run_id] = [label, 0, total_lines, time.monotonic()]

        def advance(line: int):
            self.progress.update(task, completed=line)
            self.in_flight.get(run_id, [None, 0])[1] = line

        def finish():
            with self.lock:
                self.progress.remove_task(task)
                entry = self.in_flight.pop(run_id, None)
            if entry and not self.live and not self.quiet and "(reference" in entry[0]:
                self.console.print(f"reference runs done: {entry[1]} lines, {time.monotonic() - entry[3]:.0f} s",
                                   markup=False, highlight=False)

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

"""`golfkit compare`: the benchmark and equivalence harness.

Runs each program and the reference to completion (in parallel, through the cache) and judges
three things separately: the loss trace (`step ... loss ...` lines), the sampled output
(`sample ...` lines) and the full raw log, so a program that reproduces the numbers but drops a
metadata line is told apart from a faithful one. A judgement with no such lines in either log is
"n/a", never a match of two empty traces.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from golfkit.cache import RunCache
from golfkit.modules import local_module_copies, merge_copies
from golfkit.runner import RunLimits, RunResult, RunSpec
from golfkit.source import read_source
from golfkit.verify import cached_run

METADATA_PREFIXES = ("num docs:", "vocab size:", "num params:")
LOSS_LINE = re.compile(r"^step\s+\d+\s*/\s*\d+\s*\|\s*loss\s")
SAMPLE_LINE = re.compile(r"^sample\s+\d+:")


@dataclass
class Trace:
    metadata: list[str]
    losses: list[str]
    samples: list[str]


def extract(log: str) -> Trace:
    lines = log.splitlines()
    return Trace(
        [line for line in lines if line.startswith(METADATA_PREFIXES)],
        [line for line in lines if LOSS_LINE.match(line)],
        [line for line in lines if SAMPLE_LINE.match(line)],
    )


# What the table's and the summary's columns mean, for their captions.
COLUMNS_EXPLAINED = (
    "metadata: how many of the lines starting 'num docs:', 'vocab size:' or 'num params:' the program "
    "prints; loss trace: its 'step N / M | loss ...' lines against the reference's; samples: its "
    "'sample N: ...' lines; n/a: neither log has such lines"
)


def matches(lines: list[str], reference_lines: list[str]) -> bool | None:
    """Whether two traces agree; None (n/a) when neither log has any such line."""
    if not lines and not reference_lines:
        return None
    return lines == reference_lines


def yes_no(flag: bool | None) -> str:
    return "n/a" if flag is None else "yes" if flag else "no"


def _names(paths: list[Path]) -> list[str]:
    """Short unique names: the file stem, with its folder when stems repeat."""
    stems = [path.stem for path in paths]
    return [
        path.stem if stems.count(path.stem) == 1 else f"{path.parent.name}-{path.stem}" for path in paths
    ]


def compare(
    programs: list[Path],
    reference: Path,
    *,
    data: tuple[Path, ...],
    python: str,
    jobs: int,
    cache: RunCache,
    timeout: float | None,
    memory_limit_mb: int | None,
    results_root: Path = Path("run_results"),
) -> tuple[Path, list[dict]]:
    sources = {path: read_source(path) for path in [reference, *programs]}
    reference_modules = local_module_copies(reference)

    def run(path: Path) -> RunResult:
        # A golfed program kept apart from its modules (build/<target>/) imports the reference's.
        modules = reference_modules if path == reference else merge_copies(local_module_copies(path), reference_modules)
        spec = RunSpec(path.read_bytes(), path.name, data, modules)
        result, _ = cached_run(spec, python, cache, RunLimits(timeout, memory_limit_mb))
        return result

    ordered = [reference, *programs]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as executor:
        results = list(executor.map(run, ordered))

    # Made only now that there are results: a compare that fails leaves no empty folder.
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    folder = results_root / stamp
    folder.mkdir(parents=True, exist_ok=False)
    names = _names(ordered)
    reference_name, reference_result = names[0], results[0]
    reference_log = reference_result.stdout.decode("utf-8", "replace")
    reference_trace = extract(reference_log)
    rows = []
    for name, path, result in zip(names, ordered, results):
        log = result.stdout.decode("utf-8", "replace")
        trace = extract(log)
        source = sources[path]
        row = {
            "program": name,
            "path": str(path),
            "reference": reference_name,
            "exit_status": result.returncode,
            "timed_out": result.timed_out,
            "seconds": round(result.elapsed, 3),
            "runtime_ratio": round(result.elapsed / reference_result.elapsed, 3) if reference_result.elapsed else None,
            "peak_memory_kb": result.peak_memory_kb,
            "source_bytes": len(path.read_bytes()),
            "source_chars": len(source),
            "metadata": trace.metadata,
            "loss_trace_match": matches(trace.losses, reference_trace.losses),
            "sample_output_match": matches(trace.samples, reference_trace.samples),
            "full_log_match": result.stdout == reference_result.stdout
            and result.returncode == reference_result.returncode and not result.timed_out,
        }
        rows.append(row)
        (folder / f"{name}.log").write_bytes(result.stdout)
        (folder / f"{name}.stderr").write_bytes(result.stderr)
        (folder / f"{name}.loss.txt").write_text("".join(f"{line}\n" for line in trace.losses))
        (folder / f"{name}.samples.txt").write_text("".join(f"{line}\n" for line in trace.samples))
        if path is not reference:
            diff = difflib.unified_diff(
                reference_log.splitlines(keepends=True), log.splitlines(keepends=True),
                fromfile=f"{reference_name}.log", tofile=f"{name}.log",
            )
            (folder / f"{name}.diff").write_text("".join(diff))
    (folder / "summary.json").write_text(json.dumps(rows, indent=2) + "\n")
    (folder / "summary.txt").write_text(summary_text(rows[1:]))
    return folder, rows


def summary_text(rows: list[dict]) -> str:
    blocks = []
    for row in rows:
        blocks.append(
            "\n".join(
                [
                    f"{row['program']} vs {row['reference']}",
                    f"  exit status: {'timeout' if row['timed_out'] else row['exit_status']}",
                    f"  elapsed: {row['seconds']:.2f} s ({row['runtime_ratio']}x reference)",
                    f"  peak memory: {row['peak_memory_kb']} KiB",
                    f"  source size: {row['source_bytes']} bytes, {row['source_chars']} chars",
                    f"  metadata: {' | '.join(row['metadata']) or '(none)'}",
                    f"  loss trace match: {yes_no(row['loss_trace_match'])}",
                    f"  sample output match: {yes_no(row['sample_output_match'])}",
                    f"  full log match: {yes_no(row['full_log_match'])}",
                ]
            )
        )
    return "\n\n".join(blocks) + "\n\n" + COLUMNS_EXPLAINED + ".\n"

"""Verification speed figures for one machine, side by side in one run (issue: verification speed).

Prints, as ratios to T_ref (one reference run, timed at the end beside a run of the final file,
as candidates run beside each other; the cold build's own reference time is shown too):
- the cold build's wall time against the goal (ceil(distinct candidates / cores) + 1) x T_ref,
  with the runs made (and how many of them under the pre-check interpreter);
- the warm rebuild's wall time and runs made (nothing changed: the goal is <= 5 s and no run);
- the time to reject a deliberately broken pass (one that drops the first print), put first in
  the default pipeline on the warm cache: from the build's start to that pass's verdict;
- the final file's runtime and peak memory against the reference's, both run side by side.

Run it on an idle machine; nothing here is asserted. Usage:

    python bench/speed.py [--source reference/microgpt.py] [--target chars]
                          [--precheck-python auto|none|pypy3] [--set num_steps=30] [--jobs N]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from golfkit.build import Builder  # noqa: E402
from golfkit.options import Options  # noqa: E402
from golfkit.overrides import apply_overrides, parse_assignment  # noqa: E402
from golfkit.passes import default_pipeline  # noqa: E402
from golfkit.pipeline import SilentListener  # noqa: E402
from golfkit.runner import RunLimits, RunSpec, run_program  # noqa: E402
from golfkit.source import resolve_data  # noqa: E402
from tests.passes_for_tests import DropFirstPrintPass  # noqa: E402


class StageClock(SilentListener):
    """Notes when each stage's verdict is known, from the listener's creation."""

    def __init__(self):
        self.started = time.perf_counter()
        self.verdicts: list[tuple[str, str, float]] = []

    def stage(self, record):
        self.verdicts.append((record.name, record.verdict, time.perf_counter() - self.started))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "reference" / "microgpt.py")
    parser.add_argument("--data", type=Path, default=ROOT / "input.txt")
    parser.add_argument("--target", default="chars")
    parser.add_argument("--precheck-python", default="auto")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    overrides = tuple(parse_assignment(item) for item in args.overrides)
    dataset = resolve_data((args.data,), explicit=False)
    source = apply_overrides(args.source.read_text(), overrides)
    print(f"{args.source} --target {args.target}, {args.jobs} jobs on {os.cpu_count()} cores, "
          f"pre-check: {args.precheck_python or 'none'}", flush=True)

    with tempfile.TemporaryDirectory() as scratch:
        cache_dir, out_dir = Path(scratch) / "cache", Path(scratch) / "build"
        options = Options(source=args.source, target=args.target, out_dir=out_dir, cache_dir=cache_dir,
                          jobs=args.jobs, overrides=overrides, precheck_python=args.precheck_python)

        started = time.perf_counter()
        cold = Builder(options, data=dataset).build()
        cold_seconds = time.perf_counter() - started
        report = cold.report
        final = cold.final_path.read_bytes()  # before the later builds write the same folder
        print(f"cold build done in {cold_seconds:.1f} s", flush=True)

        started = time.perf_counter()
        warm = Builder(options, data=dataset).build()
        warm_line = f"warm rebuild: {time.perf_counter() - started:.1f} s, runs made {warm.report['runs_made']}"
        print(warm_line, flush=True)

        clock = StageClock()
        broken = [DropFirstPrintPass(), *default_pipeline(contract=options.contract)]
        # Same options as the cold build: once the broken pass is rejected, every later run is cached.
        Builder(options, listener=clock, data=dataset, passes=broken).build()
        name, verdict, seconds = clock.verdicts[0]
        broken_line = (f"broken pass ({name}, first in the pipeline, warm cache): {verdict} {seconds:.1f} s after "
                       f"the build started; the build ended {time.perf_counter() - clock.started:.1f} s after its start")
        print(broken_line, flush=True)

    def timed_run(program: bytes):
        return run_program(RunSpec(program, args.source.name, dataset), limits=RunLimits(timeout=7200))

    with ThreadPoolExecutor(max_workers=2) as executor:
        reference_run = executor.submit(timed_run, source.encode())
        final_run = executor.submit(timed_run, final)
        reference, golfed = reference_run.result(), final_run.result()
    t_ref = reference.elapsed
    runs, prechecked = report["runs_made"], report["precheck_runs_made"]
    goal = (math.ceil(runs / args.jobs) + 1) * t_ref
    print()
    print(f"T_ref: {t_ref:.1f} s (the reference beside the final file); inside the cold build it took "
          f"{report['reference']['seconds']:.1f} s beside the traced run")
    print(f"cold build: {cold_seconds:.1f} s = {cold_seconds / t_ref:.2f} x T_ref; {runs} candidate runs "
          f"({prechecked} under the pre-check interpreter); goal (ceil({runs} / {args.jobs}) + 1) x T_ref "
          f"= {goal:.1f} s = {goal / t_ref:.0f} x T_ref: {'met' if cold_seconds <= goal else 'missed'}")
    for note in (report.get("precheck_refused"), report.get("trace_note"), *(report.get("confirmation_failures") or ())):
        if note:
            print(f"  note: {note}")
    print(warm_line)
    print(broken_line)
    print(f"final {cold.final_path.name}: {report['final']['chars']} chars, {len(final)} bytes; runtime "
          f"{golfed.elapsed / t_ref:.3f} x the reference's, peak memory "
          f"{golfed.peak_memory_kb / reference.peak_memory_kb:.3f} x ({golfed.peak_memory_kb} vs "
          f"{reference.peak_memory_kb} KiB); same log: {golfed.stdout == reference.stdout}")
    print("stages (runtime / memory ratio to the cold build's reference run, where run under the target):")
    for stage in report["stages"]:
        if stage["verdict"] in ("verified", "partial"):
            print(f"  {stage['step']:2d} {stage['name']:20s} {stage['verdict']:8s} runtime "
                  f"{stage['runtime_ratio'] if stage['runtime_ratio'] is not None else 'pre-checked':>11} "
                  f"memory {stage['memory_ratio'] if stage['memory_ratio'] is not None else '-'}")


if __name__ == "__main__":
    main()
